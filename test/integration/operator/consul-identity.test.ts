// Consul names both ends of a TrafficTarget by the Services selecting their pods. The
// operator must feed the adapter a source's Services and pods, and reconcile the target
// when they change: a Service created for the source later, a pod of another
// ServiceAccount that starts sharing it. And under accessMode enforce, mtlsMode
// permissive never reaches a governed destination (plaintext would skip the intentions).

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, deployment, eventually, newNamespace, runOperator, service, serviceAccount, TestKube, tcpRoute, trafficTarget } from './helpers.js';

const SI = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceIntentions' };
const sourceNames = (o: KubeObject | undefined): string[] => (((o?.spec as { sources?: Array<{ name: string }> } | undefined)?.sources) ?? []).map((s) => s.name);

describe('operator: Consul identities of TrafficTarget sources (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-consul-id');
    await applyApp(k, ns);
    await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smi-operator-config', namespace: ns }, data: { mesh: 'consul', accessMode: 'enforce', mtlsMode: 'permissive' } } as KubeObject);
    await k.apply(tcpRoute(ns, 'all'));
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('allows no source without a Service (it has no Consul name), and says so on the TrafficTarget', async () => {
    const si = await eventually('ServiceIntentions api', async () => k.get(SI.apiVersion, SI.kind, ns, 'api'));
    expect(sourceNames(si)).to.deep.equal(['*']);
    const cond = await eventually('TrafficTarget Accepted with the note', async () => {
      const c = condition(await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api'), 'Accepted');
      return c?.message.includes('source ServiceAccount') ? c : undefined;
    });
    expect(cond.message).to.match(/no Service selects its pods/);
  });

  it('never puts mutualTLSMode permissive next to the intentions, and says why', async () => {
    const cond = await eventually('mtls note', async () => {
      const c = condition(await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api'), 'Accepted');
      return c?.message.includes('mtlsMode permissive is not applied') ? c : undefined;
    });
    expect(cond.message).to.include('Consul enforces no intention on the plaintext connections');
    const defaults = await k.list('consul.hashicorp.com/v1alpha1', 'ServiceDefaults', ns);
    expect(JSON.stringify(defaults)).to.not.include('mutualTLSMode');
  });

  it('allows the source once a Service selects its pods (the Service is an input of the target)', async () => {
    await k.apply(service(ns, 'client', { app: 'client' }));
    const si = await eventually('client allowed', async () => {
      const o = await k.get(SI.apiVersion, SI.kind, ns, 'api');
      return sourceNames(o).includes('client') ? o : undefined;
    });
    expect(sourceNames(si)).to.deep.equal(['client', '*']);
  });

  it('withdraws it when that Service also selects pods of a ServiceAccount the target does not allow', async () => {
    await k.apply(serviceAccount(ns, 'batch'));
    await k.apply(deployment(ns, 'batch', 'batch', { app: 'client', role: 'batch' }));
    const si = await eventually('client withdrawn', async () => {
      const o = await k.get(SI.apiVersion, SI.kind, ns, 'api');
      return o && !sourceNames(o).includes('client') ? o : undefined;
    });
    expect(sourceNames(si)).to.deep.equal(['*']);
    const cond = await eventually('TrafficTarget reports it', async () => {
      const c = condition(await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api'), 'Accepted');
      return c?.message.includes('also selects pods of ServiceAccount(s) batch') ? c : undefined;
    });
    expect(cond.reason).to.equal('Unsupported');
  });
});
