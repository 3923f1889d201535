// Adapter switching at runtime through the ConfigMap: istio → linkerd → consul,
// old mesh's objects pruned, new ones created, statuses follow; an invalid
// ConfigMap keeps the last good configuration and says why.

import { expect } from 'chai';
import { getAdapter } from '../../../adapters/index.js';
import { MANAGED_BY_LABEL, MESH_LABEL, MESH_NAMES, type MeshName } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { resourcePath } from '../../../kube/client.js';
import { applyApp, condition, eventually, newNamespace, routeGroup, runOperator, settled, TestKube, tcpRoute, trafficSplit, trafficTarget } from './helpers.js';

async function managed(k: TestKube, ns: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  const seen = new Set<string>();
  for (const m of MESH_NAMES) {
    for (const kind of getAdapter(m).nativeKinds) {
      const id = `${kind.apiVersion}/${kind.kind}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const r = await k.client.request<{ items: KubeObject[] }>('GET', resourcePath(kind.apiVersion, kind.plural, ns), { query: { labelSelector: `${MANAGED_BY_LABEL}=smi-operator` } });
      if (r.ok) out.push(...r.body.items.map((o) => ({ ...o, apiVersion: kind.apiVersion, kind: kind.kind })));
      else throw new Error(`list ${kind.kind}: ${r.error.message}`);
    }
  }
  return out;
}

async function switchTo(k: TestKube, ns: string, data: Record<string, string>): Promise<void> {
  await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smi-operator-config', namespace: ns }, data } as KubeObject);
}

async function allOn(k: TestKube, ns: string, mesh: MeshName): Promise<KubeObject[]> {
  return eventually(`only ${mesh} objects, statuses on ${mesh}`, async () => {
    // Statuses first: they are written after the unit's objects are applied and the old ones pruned.
    for (const [av, kind, name] of [['split.smi-spec.io/v1alpha4', 'TrafficSplit', 'web'], ['access.smi-spec.io/v1alpha3', 'TrafficTarget', 'api']] as const) {
      const ready = condition(await k.get(av, kind, ns, name), 'Ready');
      if (ready?.status !== 'True' || !ready.message.startsWith(`${mesh}:`)) throw new Error(`${kind} ${name} Ready: ${JSON.stringify(ready)}`);
    }
    const objs = await managed(k, ns);
    const kinds = new Set(getAdapter(mesh).nativeKinds.map((x) => `${x.apiVersion}/${x.kind}`));
    if (objs.length === 0 || !objs.every((o) => o.metadata.labels?.[MESH_LABEL] === mesh && kinds.has(`${o.apiVersion}/${o.kind}`))) throw new Error(`objects: ${objs.map((o) => `${o.kind}/${o.metadata.name}(${o.metadata.labels?.[MESH_LABEL]})`).join(', ')}`);
    return objs;
}, 45_000);
}

describe('operator adapter switching (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-config');
    await applyApp(k, ns);
    await k.apply(routeGroup(ns, 'api-routes', [{ name: 'read', pathRegex: '/api/.*', methods: ['GET'] }]));
    await k.apply(tcpRoute(ns, 'tcp'));
    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 75], ['web-v2', 25]]));
    await k.apply(trafficTarget(ns, 'api', 'api', ['client'], [{ kind: 'HTTPRouteGroup', name: 'api-routes', matches: ['read'] }]));
    await k.apply(trafficTarget(ns, 'api-tcp', 'api', ['web'], [{ kind: 'TCPRoute', name: 'tcp' }]));
    await switchTo(k, ns, { mesh: 'istio' });
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('switches istio → linkerd → consul without a restart', async () => {
    const istio = await allOn(k, ns, 'istio');
    expect(istio.map((o) => o.kind)).to.include('VirtualService');
    await switchTo(k, ns, { mesh: 'linkerd' });
    const linkerd = await allOn(k, ns, 'linkerd');
    expect(op!.config().mesh).to.equal('linkerd');
    expect(linkerd.length).to.be.greaterThan(0);
    await switchTo(k, ns, { mesh: 'consul', accessMode: 'enforce' });
    const consul = await allOn(k, ns, 'consul');
    expect(consul.length).to.be.greaterThan(0);
    // Consul config entries are named after the Consul service: names are unique per kind.
    const ids = consul.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).to.equal(ids.length);
    // Settled: nobody fights over shared objects (e.g. ServiceDefaults wanted by a split and an access unit).
    await settled(op!, k, ns);
    const writes = await op!.metrics.writeCount();
    await settled(op!, k, ns);
    expect(await op!.metrics.writeCount()).to.equal(writes);
  });

  it('keeps the last good configuration when the ConfigMap is invalid, with an Event naming the key', async () => {
    const before = op!.config();
    await switchTo(k, ns, { mesh: 'nginx', mtlsMode: 'strict' });
    const ev = await eventually('InvalidConfig Event on the ConfigMap', async () => {
      const items = (await k.list('v1', 'Event', ns)) as unknown as Array<{ involvedObject: { kind: string; name: string }; reason: string; message: string }>;
      return items.find((e) => e.involvedObject.kind === 'ConfigMap' && e.reason === 'InvalidConfig');
    });
    expect(ev.message).to.contain('data.mesh');
    expect(op!.config()).to.deep.equal(before);
    const m = await op!.metrics.configReloads.get();
    expect(m.values.find((v) => v.labels.result === 'invalid')?.value ?? 0).to.be.greaterThan(0);
  });
});
