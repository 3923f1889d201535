// An access unit's snapshot holds every workload of the destination namespace, so a
// pod selector that would also pick an ungoverned ServiceAccount's pods is refused
// (no rule of this destination on someone else's pods: the pods are closed instead,
// with an AuthorizationPolicy that allows nothing) and the TrafficTarget says why.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import { AP, applyApp, condition, deployment, eventually, newNamespace, runOperator, serviceAccount, tcpRoute, TestKube, trafficTarget } from './helpers.js';

describe('operator access units see the whole namespace (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-selector');
    await applyApp(k, ns);
    // `admin` runs as its own ServiceAccount, is named by no TrafficTarget, and carries app=api too.
    await k.apply(serviceAccount(ns, 'admin'));
    await k.apply(deployment(ns, 'admin', 'admin', { app: 'api', role: 'admin' }));
    await k.apply(tcpRoute(ns, 'all'));
    op = await runOperator(ns, { healthPort: 0 });
  });

  after(async () => {
    await op?.stop();
  });

  it('refuses a selector that also selects an ungoverned workload, naming it in the status, and closes the pods instead', async () => {
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    const tt = await eventually('TrafficTarget status reports the conflict', async () => {
      const o = await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api');
      return condition(o, 'Accepted')?.message.includes('Deployment/admin (ServiceAccount admin)') ? o : undefined;
    });
    expect(condition(tt, 'Accepted')?.reason).to.equal('Unsupported');
    const closed = await eventually('a deny-all AuthorizationPolicy for api', async () => k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api'));
    expect(closed.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' });

    // A destination whose labels select only its own pods still gets its policy.
    await k.apply(trafficTarget(ns, 'client-to-web', 'web', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    const ap = await eventually('AuthorizationPolicy for web', async () => k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web'));
    expect((ap.spec as { selector: unknown }).selector).to.deep.equal({ matchLabels: { app: 'web' } });
  });
});
