// Splits as Envoy runs them, for the cases reviews found tricky: a root Service with an HTTP, a gRPC and a TCP
// port (the VirtualService names no destination port, so each port must route to the same port of the backends),
// and 999:1 weights (whole percentages: the 1 becomes 0, which the operator reports).

import { expect } from 'chai';
import { routeClusters } from '../../conformance/xds/observe.js';
import type { KubeObject } from '../../schemas/hub.js';
import { OracleNamespace } from './harness.js';
import { NS, PORTS } from './smi-gen.js';

const split = (backends: Array<[string, number]>): KubeObject[] => [
  { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'split', namespace: NS }, spec: { service: 'root', backends: backends.map(([service, weight]) => ({ service, weight })) } } as KubeObject,
];

describe('Istio splits through istiod and Envoy', function () {
  this.timeout(300_000);
  let h: OracleNamespace;
  before(async () => (h = await OracleNamespace.start('oracle-splits')));
  after(async () => h?.stop());

  it('every port of a multi-port root goes to the same port of each backend, with 999:1 weights', async () => {
    const { natives, world } = await h.translateAndObserve(split([['api', 999], ['db', 1]]));
    expect(natives.map((n) => n.kind)).to.include('VirtualService');
    const root = world.services.find((s) => s.name === 'root')!;
    const host = (svc: string) => `${svc}.${h.ns}.svc.cluster.local`;
    for (const p of PORTS) {
      const port = root.ports.find((x) => x.port === p.port)!;
      const request = p.name === 'tcp-admin' ? undefined : { method: 'POST', path: '/pkg.Service/Call', headers: {} };
      const clusters = routeClusters(world, { ns: h.ns, sa: 'web' }, root, port, request);
      const shares = Object.fromEntries(clusters.filter((c) => c.weight > 0).map((c) => [c.name, c.weight]));
      expect(shares, `${p.name}`).to.deep.equal({ [`outbound|${p.port}||${host('api')}`]: 100 });
      expect(clusters.every((c) => c.name.startsWith(`outbound|${p.port}||`)), JSON.stringify(clusters)).to.equal(true);
    }
  });
});
