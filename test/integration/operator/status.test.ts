// Statuses and Events, invalid input isolation, user-owned objects in the way,
// and a restart that must not write anything.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import { MANAGED_BY_LABEL } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, settled, TestKube, trafficSplit, trafficTarget, routeGroup, service, tcpRoute, VS, AP } from './helpers.js';

const TS = 'split.smi-spec.io/v1alpha4';
const TT = 'access.smi-spec.io/v1alpha3';

async function ready(k: TestKube, apiVersion: string, kind: string, ns: string, name: string): Promise<KubeObject> {
  return eventually(`${kind} ${name} Ready`, async () => {
    const o = await k.get(apiVersion, kind, ns, name);
    return condition(o, 'Ready')?.status === 'True' ? o : undefined;
  });
}

async function eventsFor(k: TestKube, ns: string, name: string): Promise<Array<{ reason: string; message: string; type: string }>> {
  const items = (await k.list('v1', 'Event', ns)) as unknown as Array<{ involvedObject: { name: string }; reason: string; message: string; type: string }>;
  return items.filter((e) => e.involvedObject.name === name);
}

/** Sum of mutating requests the API server counted for the resources the operator writes. */
async function apiserverWrites(k: TestKube): Promise<number> {
  const r = await k.client.request<string>('GET', '/metrics');
  if (!r.ok) throw new Error(r.error.message);
  const text = String(r.body);
  let n = 0;
  const resources = /resource="(virtualservices|authorizationpolicies|peerauthentications|trafficsplits|traffictargets|httproutegroups|tcproutes)"/;
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    if (!/verb="(POST|PUT|PATCH|DELETE|APPLY)"/.test(line) || !resources.test(line)) continue;
    n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

describe('operator statuses, conflicts and restarts (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-status');
    await applyApp(k, ns);
    await k.apply(service(ns, 'pay', { app: 'pay' }));
    await k.apply(service(ns, 'shop', { app: 'shop' }));
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('marks an invalid object Accepted=False/Invalid with an Event and still reconciles the others', async () => {
    await k.apply(trafficSplit(ns, 'bad', 'api', [['web-v1', 50], ['web-v1', 50]]));
    await k.apply(trafficSplit(ns, 'good', 'web', [['web-v1', 60], ['web-v2', 40]]));
    const bad = await eventually('bad split Accepted=False', async () => {
      const o = await k.get(TS, 'TrafficSplit', ns, 'bad');
      return condition(o, 'Accepted')?.status === 'False' ? o : undefined;
    });
    const acc = condition(bad, 'Accepted')!;
    expect(acc.reason).to.equal('Invalid');
    expect(acc.message).to.contain('spec.backends[1].service');
    expect(acc.observedGeneration).to.equal(bad.metadata.generation);
    expect(condition(bad, 'Ready')?.status).to.equal('False');
    await eventually('Invalid Event on the bad split', async () => (await eventsFor(k, ns, 'bad')).some((e) => e.reason === 'Invalid' && e.type === 'Warning'));
    await ready(k, TS, 'TrafficSplit', ns, 'good');
    await op!.idle();
    // One Event per transition, summarising both conditions (not one per condition).
    const badEvents = await eventsFor(k, ns, 'bad');
    expect(badEvents.map((e) => [e.type, e.reason])).to.deep.equal([['Warning', 'Invalid']]);
    expect(badEvents[0]!.message).to.contain('Accepted=False (Invalid)').and.to.contain('spec.backends[1].service').and.to.contain('Ready=False');
    const goodEvents = await eventsFor(k, ns, 'good');
    expect(goodEvents.map((e) => [e.type, e.reason])).to.deep.equal([['Normal', 'Ready']]);
    expect(goodEvents[0]!.message).to.contain('Accepted=True').and.to.contain('Ready=True (Applied)');
    expect(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-good')).to.not.equal(undefined);
    expect(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-bad')).to.equal(undefined);

    // Fixing it turns it Accepted and keeps the transition time of the untouched condition stable.
    await k.apply(trafficSplit(ns, 'bad', 'api', [['web-v1', 50], ['web-v2', 50]]));
    const fixed = await eventually('fixed split Accepted', async () => {
      const o = await k.get(TS, 'TrafficSplit', ns, 'bad');
      return condition(o, 'Accepted')?.status === 'True' && condition(o, 'Accepted')?.observedGeneration === o?.metadata.generation ? o : undefined;
    });
    expect(condition(fixed, 'Accepted')!.reason).to.equal('Accepted');
    // The fix is a transition: a second Event, Ready this time.
    const after = await eventually('Ready Event on the fixed split', async () => {
      const evs = await eventsFor(k, ns, 'bad');
      return evs.length >= 2 ? evs : undefined;
    });
    expect(after.map((e) => e.reason).sort()).to.deep.equal(['Invalid', 'Ready']);
  });

  it('reports InvalidReference for a missing backend and recovers when the Service appears', async () => {
    await k.apply(service(ns, 'late-root', { app: 'late' }));
    await k.apply(trafficSplit(ns, 'late', 'late-root', [['late-v1', 1], ['web-v1', 1]]));
    const split = await eventually('InvalidReference', async () => {
      const o = await k.get(TS, 'TrafficSplit', ns, 'late');
      return condition(o, 'Accepted')?.reason === 'InvalidReference' ? o : undefined;
    });
    expect(condition(split, 'Accepted')?.message).to.contain('late-v1');
    await k.apply(service(ns, 'late-v1', { app: 'late', version: 'v1' }));
    await ready(k, TS, 'TrafficSplit', ns, 'late');
    await k.delete(TS, 'TrafficSplit', ns, 'late');
  });

  it('reports Conflict and leaves alone an existing object it does not manage', async () => {
    const theirs: KubeObject = {
      apiVersion: VS.apiVersion,
      kind: VS.kind,
      metadata: { name: 'smi-split-owned', namespace: ns, labels: { team: 'payments' } },
      spec: { hosts: ['somewhere.example.com'], http: [{ route: [{ destination: { host: 'somewhere.example.com' } }] }] },
    };
    await k.apply(theirs, 'someone-else');
    await k.apply(trafficSplit(ns, 'owned', 'pay', [['web-v1', 1], ['web-v2', 1]]));
    const split = await eventually('Ready=False Conflict', async () => {
      const o = await k.get(TS, 'TrafficSplit', ns, 'owned');
      return condition(o, 'Ready')?.reason === 'Conflict' ? o : undefined;
    });
    expect(condition(split, 'Ready')!.message).to.contain('smi-split-owned');
    const still = (await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-owned')) as KubeObject & { spec: { hosts: string[] } };
    expect(still.metadata.labels?.[MANAGED_BY_LABEL]).to.equal(undefined);
    expect(still.spec.hosts).to.deep.equal(['somewhere.example.com']);
    expect(condition(split, 'Ready')!.message).to.contain('re-checked when it is deleted');
    // Once it is deleted the split takes the name at once (a watch on that one object),
    // well before the 30 s periodic re-check.
    await k.delete(VS.apiVersion, VS.kind, ns, 'smi-split-owned');
    await eventually('Ready=True once the blocking object is gone', async () => condition(await k.get(TS, 'TrafficSplit', ns, 'owned'), 'Ready')?.status === 'True', 15_000);
    const ours = await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-owned');
    expect(ours?.metadata.labels?.[MANAGED_BY_LABEL]).to.equal('smi-operator');
    await k.delete(TS, 'TrafficSplit', ns, 'owned');
  });

  it('reconciles only the dependents of a changed HTTPRouteGroup', async () => {
    await k.apply(routeGroup(ns, 'routes', [{ name: 'api', pathRegex: '/api/.*', methods: ['GET'] }, { name: 'metrics', pathRegex: '/metrics' }]));
    await k.apply(tcpRoute(ns, 'tcp'));
    await k.apply(trafficTarget(ns, 'api-http', 'api', ['client'], [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['api'] }]));
    await k.apply(trafficSplit(ns, 'ab', 'shop', [['web-v1', 0], ['web-v2', 100]], ['routes']));
    // Unrelated units that must not be touched by the route change.
    await k.apply(trafficTarget(ns, 'web-tcp', 'web', ['client'], [{ kind: 'TCPRoute', name: 'tcp' }]));
    await ready(k, TT, 'TrafficTarget', ns, 'api-http');
    await ready(k, TT, 'TrafficTarget', ns, 'web-tcp');
    await ready(k, TS, 'TrafficSplit', ns, 'ab');
    await op!.idle();
    const before = new Map(op!.reconcileCounts());
    await k.apply(routeGroup(ns, 'routes', [{ name: 'api', pathRegex: '/api/v2/.*', methods: ['GET'] }, { name: 'metrics', pathRegex: '/metrics' }]));
    await eventually('AuthorizationPolicy follows the route change', async () => JSON.stringify(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api')).includes('/api/v2/'));
    await op!.idle();
    const after = op!.reconcileCounts();
    const touched = [...after].filter(([u, n]) => n !== (before.get(u) ?? 0)).map(([u]) => u).sort();
    expect(touched).to.include(`access:${ns}/api`);
    expect(touched).to.include(`split:${ns}/shop`);
    expect(touched).to.include(`route:${ns}/HTTPRouteGroup/routes`);
    expect(touched).to.not.include(`access:${ns}/web`);
    expect(touched).to.not.include(`route:${ns}/TCPRoute/tcp`);
    expect(touched.length).to.be.at.most(3);
    // One reconcile each for the change (at most one more if a watch event races our own write's response).
    for (const u of touched) expect((after.get(u) ?? 0) - (before.get(u) ?? 0), u).to.be.at.most(2);
  });

  it('a restart with everything in place writes nothing', async () => {
    // Status writes and their watch events have settled.
    await settled(op!, k, ns);
    await op!.stop();
    op = undefined;
    const serverBefore = await apiserverWrites(k);
    const again = await runOperator(ns);
    op = again;
    await eventually('first pass done', async () => again.reconcileCounts().size > 0);
    await settled(again, k, ns);
    expect(await again.metrics.writeCount()).to.equal(0);
    expect(await apiserverWrites(k)).to.equal(serverBefore);
    // The cache holds our Istio objects digested, and the digest of what the API server holds
    // decides "unchanged" without reading any of them live (controller/observed.ts).
    expect((await again.metrics.liveReads.get()).values[0]?.value ?? 0, 'no object read live').to.equal(0);
    expect((await again.metrics.writesSkipped.get()).values[0]?.value ?? 0).to.be.greaterThan(0);
  });
});
