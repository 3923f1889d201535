// Splits as Envoy runs them, for the cases reviews found tricky: a root Service with an HTTP, a gRPC and a TCP
// port (the VirtualService names no destination port, so each port must route to the same port of the backends),
// 999:1 weights (Istio's weights are relative, so the 1 keeps its 0.1 %), and a split that keeps a share on the root
// Service itself (the VirtualService applies once, at the client: no loop).

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

  for (const [title, other] of [['999:1 weights', 'db'], ['a self-referential backend and 999:1 weights', 'root']] as const) {
    it(`every port of a multi-port root goes to the same port of each backend, with ${title}`, async () => {
      const { natives, world } = await h.translateAndObserve(split([['api', 999], [other, 1]]));
      expect(natives.map((n) => n.kind)).to.include('VirtualService');
      const root = world.services.find((s) => s.name === 'root')!;
      const host = (svc: string) => `${svc}.${h.ns}.svc.cluster.local`;
      for (const p of PORTS) {
        const port = root.ports.find((x) => x.port === p.port)!;
        const request = p.name === 'tcp-admin' ? undefined : { method: 'POST', path: '/pkg.Service/Call', headers: {} };
        const clusters = routeClusters(world, { ns: h.ns, sa: 'web' }, root, port, request);
        expect(Object.fromEntries(clusters.map((c) => [c.name, c.weight])), p.name).to.deep.equal({ [`outbound|${p.port}||${host('api')}`]: 999, [`outbound|${p.port}||${host(other)}`]: 1 });
      }
    });
  }
});
