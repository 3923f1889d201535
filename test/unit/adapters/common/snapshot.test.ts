import { expect } from 'chai';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { formatProblem } from '../../../../schemas/problem.js';

const service = (name: string, ns?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP' }] },
});

const deployment = (name: string, sa?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels: { app: name } }, spec: { ...(sa ? { serviceAccountName: sa } : {}), containers: [] } } },
});

describe('buildSnapshot', () => {
  it('reads Services with ports, protocol defaults and selectors; defaults the namespace', () => {
    const { snapshot, problems } = buildSnapshot([service('web')]);
    expect(problems).to.deep.equal([]);
    expect(snapshot.services).to.deep.equal([
      { namespace: 'default', name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] },
    ]);
  });

  it('reads the pod identity of controllers and Pods, default ServiceAccount `default`', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: { app: 'p' } }, spec: { serviceAccountName: 'psa' } };
    const { snapshot } = buildSnapshot([deployment('web', 'web-sa'), deployment('api'), pod]);
    expect(snapshot.workloads).to.deep.equal([
      { namespace: 'shop', owner: 'Deployment/api', serviceAccount: 'default', podLabels: { app: 'api' }, containers: [], podAnnotations: {} },
      { namespace: 'shop', owner: 'Deployment/web', serviceAccount: 'web-sa', podLabels: { app: 'web' }, containers: [], podAnnotations: {} },
      { namespace: 'shop', owner: 'Pod/p', serviceAccount: 'psa', podLabels: { app: 'p' }, containers: [], podAnnotations: {} },
    ]);
  });

  it('skips pods whose controller is in the input (its template already says the same)', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true }] },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: {} } },
    };
    const orphan: KubeObject = { ...rs, metadata: { ...rs.metadata, name: 'other-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone', uid: 'v', controller: true }] } };
    const { snapshot } = buildSnapshot([deployment('web', 'web'), rs, orphan]);
    expect(snapshot.workloads.map((w) => w.owner)).to.deep.equal(['Deployment/web', 'ReplicaSet/other-1']);
  });

  it('converts older SMI versions to the hub', () => {
    const old: KubeObject = {
      apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'TrafficSplit', metadata: { name: 'ab', namespace: 'shop' },
      spec: { service: 'web', backends: [{ service: 'web-v1', weight: 1 }, { service: 'web-v2', weight: 3 }] },
    };
    const { snapshot, problems } = buildSnapshot([old]);
    expect(problems).to.deep.equal([]);
    expect(snapshot.trafficSplits).to.have.length(1);
    expect(snapshot.trafficSplits[0]!.apiVersion).to.equal('split.smi-spec.io/v1alpha4');
    expect(snapshot.trafficSplits[0]!.spec.backends).to.deep.equal([{ service: 'web-v1', weight: 1 }, { service: 'web-v2', weight: 3 }]);
  });

  it('leaves invalid SMI objects out and reports them naming object and field', () => {
    const bad: KubeObject = {
      apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'ab', namespace: 'shop' },
      spec: { service: 'web', backends: [{ service: 'web-v1', weight: 0 }] },
    };
    const { snapshot, problems } = buildSnapshot([bad]);
    expect(snapshot.trafficSplits).to.deep.equal([]);
    expect(problems.map(formatProblem)).to.deep.equal(['TrafficSplit shop/ab: spec.backends: at least one backend needs a positive weight']);
  });

  it('reports a Service port that is not a number and keeps the others', () => {
    const s = service('web', 'shop');
    (s.spec as { ports: unknown[] }).ports.push({ port: 'x' });
    const { snapshot, problems } = buildSnapshot([s]);
    expect(snapshot.services[0]!.ports.map((p) => p.port)).to.deep.equal([80, 53]);
    expect(problems.map(formatProblem)).to.deep.equal(['Service shop/web: spec.ports[2].port: must be a port number 1-65535, got "x"']);
  });

  it('reports duplicate SMI definitions and keeps the last', () => {
    const mk = (w: number): KubeObject => ({
      apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'ab' },
      spec: { service: 'web', backends: [{ service: 'web-v1', weight: w }] },
    });
    const { snapshot, problems } = buildSnapshot([mk(1), mk(2)]);
    expect(snapshot.trafficSplits.map((t) => t.spec.backends[0]!.weight)).to.deep.equal([2]);
    expect(problems.map(formatProblem)).to.deep.equal(['TrafficSplit default/ab: is defined more than once; the last definition is used']);
  });

  it('ignores kinds it does not need and never crashes on odd input', () => {
    const odd = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: 'nonsense' },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      { apiVersion: 'v1', kind: 'Service', metadata: {} },
    ] as unknown as KubeObject[];
    const { snapshot, problems } = buildSnapshot(odd);
    expect(snapshot.services).to.deep.equal([{ namespace: 'default', name: 's', ports: [] }]);
    expect(snapshot.workloads).to.deep.equal([{ namespace: 'default', owner: 'Deployment/d', serviceAccount: 'default', podLabels: {}, containers: [], podAnnotations: {} }]);
    expect(problems.map(formatProblem)).to.deep.equal(['Service default/<unnamed>: metadata.name: is required']);
  });
});
