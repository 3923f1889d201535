import { expect } from 'chai';
import { relevant } from '../../../operator/controller/predicates.js';
import type { KubeObject } from '../../../schemas/hub.js';

const tt = (meta: Partial<KubeObject['metadata']> = {}, spec: unknown = { destination: { kind: 'ServiceAccount', name: 'api' } }): KubeObject =>
  ({ apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: { name: 't', namespace: 'ns', generation: 1, resourceVersion: '1', ...meta }, spec }) as KubeObject;

describe('predicates: relevant()', () => {
  it('an edit of smi-operator.io/destination-port (no new generation) matters (issue 18.9)', () => {
    const before = tt();
    const after = tt({ resourceVersion: '2', annotations: { 'smi-operator.io/destination-port': '8080' } });
    expect(relevant('TrafficTarget', before, after)).to.equal(true);
    const changed = tt({ resourceVersion: '3', annotations: { 'smi-operator.io/destination-port': '9090' } });
    expect(relevant('TrafficTarget', after, changed)).to.equal(true);
  });

  it('the other conversion annotations matter too; an unrelated annotation or a status-only update does not', () => {
    expect(relevant('TrafficSplit', tt(), tt({ annotations: { 'smi-operator.io/hub-fields': '{}' } }))).to.equal(true);
    expect(relevant('TrafficSplit', tt(), tt({ annotations: { 'smi-operator.io/v1alpha1-weights': '["1"]' } }))).to.equal(true);
    expect(relevant('TrafficTarget', tt(), tt({ resourceVersion: '2', annotations: { 'example.com/owner': 'team-a' } }))).to.equal(false);
    expect(relevant('TrafficTarget', tt(), { ...tt({ resourceVersion: '2' }), status: { conditions: [] } } as KubeObject)).to.equal(false);
  });

  it('generation, labels, deletion and the spec of SMI objects matter', () => {
    expect(relevant('TrafficTarget', tt(), tt({ generation: 2 }))).to.equal(true);
    expect(relevant('TrafficTarget', tt(), tt({ labels: { a: 'b' } }))).to.equal(true);
    expect(relevant('TrafficTarget', tt(), tt({ deletionTimestamp: '2024-01-01T00:00:00Z' }))).to.equal(true);
    expect(relevant('TrafficTarget', tt(), tt({}, { destination: { kind: 'ServiceAccount', name: 'web' } }))).to.equal(true);
  });

  describe('workloads', () => {
    const deploy = (container: Record<string, unknown>, annotations?: Record<string, string>): KubeObject =>
      ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'ns', resourceVersion: '1' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, ...(annotations ? { annotations } : {}) }, spec: { serviceAccountName: 'web', containers: [{ name: 'app', ...container }] } } },
      }) as KubeObject;
    const ports = { ports: [{ containerPort: 8080 }] };

    it('a new container port or HTTP probe matters (Linkerd Servers and probe authorizations read them)', () => {
      expect(relevant('Deployment', deploy(ports), deploy({ ports: [{ containerPort: 8080 }, { containerPort: 9090 }] }))).to.equal(true);
      expect(relevant('Deployment', deploy(ports), deploy({ ...ports, readinessProbe: { httpGet: { path: '/ready', port: 8081 } } }))).to.equal(true);
      expect(relevant('Deployment', deploy(ports), deploy(ports, { 'config.linkerd.io/opaque-ports': '8080' }))).to.equal(true);
      const pod = (probePort: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', livenessProbe: { httpGet: { path: '/', port: probePort } } }] } }) as KubeObject;
      expect(relevant('Pod', pod(8081), pod(8082))).to.equal(true);
    });

    it('a status-only update of a workload does not', () => {
      expect(relevant('Deployment', deploy(ports), { ...deploy(ports), metadata: { ...deploy(ports).metadata, resourceVersion: '2' }, status: { readyReplicas: 1 } } as KubeObject)).to.equal(false);
    });
  });
});
