// A route (HTTPRouteGroup/TCPRoute/UDPRoute) has no translation of its own: its
// status carries what the translations of the splits and targets using it said
// about it. The adapter here is Istio's plus remarks on two routes, so the test
// does not depend on which inputs a real renderer happens to remark on.

import { expect } from 'chai';
import { getAdapter } from '../../../adapters/index.js';
import type { MeshName, TranslationOutput } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { applyApp, condition, eventually, newNamespace, routeGroup, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget } from './helpers.js';

const SPECS = 'specs.smi-spec.io/v1alpha4';
const NOTE = 'spec.matches[0].pathRegex: remark from the adapter';
const UNSUPPORTED = 'spec.matches.ports: remark that makes it unusable';

function remarking(mesh: MeshName) {
  const a = getAdapter(mesh);
  return {
    ...a,
    translate(s: Parameters<typeof a.translate>[0], o: Parameters<typeof a.translate>[1]): TranslationOutput {
      const out = a.translate(s, o);
      for (const r of out.results) {
        if (r.kind === 'HTTPRouteGroup' && r.name === 'noted') r.messages.push(NOTE);
        if (r.kind === 'TCPRoute' && r.name === 'db') {
          r.status = 'Unsupported';
          r.messages.push(UNSUPPORTED);
        }
      }
      return out;
    },
  };
}

describe('operator: route status carries the translation results (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-route-status');
    await applyApp(k, ns);
    op = await runOperator(ns, { adapter: remarking });
  });

  after(async () => {
    await op?.stop();
  });

  it("a route's status shows the adapter's remarks from the units using it, and drops them when no unit uses it", async () => {
    await k.apply(routeGroup(ns, 'noted', [{ name: 'all', pathRegex: '/.*' }]));
    await k.apply(routeGroup(ns, 'lonely', [{ name: 'all', pathRegex: '/.*' }]));
    await k.apply(tcpRoute(ns, 'db', [5432]));
    await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 90], ['web-v2', 10]], ['noted']));
    await k.apply(trafficTarget(ns, 'db-access', 'api', ['client'], [{ kind: 'TCPRoute', name: 'db' }]));

    const noted = await eventually('noted carries the remark', async () => {
      const c = condition(await k.get(SPECS, 'HTTPRouteGroup', ns, 'noted'), 'Accepted');
      return c?.message.includes(NOTE) ? c : undefined;
    });
    expect(noted.status).to.equal('True');
    expect(condition(await k.get(SPECS, 'HTTPRouteGroup', ns, 'noted'), 'Ready')?.status).to.equal('True');

    const db = await eventually('db Unsupported', async () => {
      const c = condition(await k.get(SPECS, 'TCPRoute', ns, 'db'), 'Accepted');
      return c?.reason === 'Unsupported' ? c : undefined;
    });
    expect(db.status).to.equal('False');
    expect(db.message).to.contain(UNSUPPORTED);
    expect(condition(await k.get(SPECS, 'TCPRoute', ns, 'db'), 'Ready')).to.include({ status: 'False', reason: 'Unsupported' });

    const lonely = await eventually('lonely Ready', async () => {
      const o = await k.get(SPECS, 'HTTPRouteGroup', ns, 'lonely');
      return condition(o, 'Ready')?.status === 'True' ? o : undefined;
    });
    expect(condition(lonely, 'Accepted')?.message).to.equal('HTTPRouteGroup is valid');

    // No unit uses db any more: the remark goes with the last user.
    await k.delete('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'db-access');
    const after = await eventually('db Accepted again', async () => {
      const c = condition(await k.get(SPECS, 'TCPRoute', ns, 'db'), 'Accepted');
      return c?.status === 'True' ? c : undefined;
    });
    expect(after.message).to.equal('TCPRoute is valid');
  });
});
