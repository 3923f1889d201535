// Inputs.gather for an access unit reads only the workloads that can matter (the
// destination's and sources' pods, and the pods their selectors may also pick),
// not the whole namespace. The property: the translation from those inputs is the
// translation from the whole namespace, on every mesh, for generated namespaces
// of workloads, labels and Services.

import { expect } from 'chai';
import fc from 'fast-check';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, type MeshName } from '../../../adapters/types.js';
import { Inputs, type CacheReader } from '../../../operator/controller/inputs.js';
import { accessUnit, DependencyIndex, parseUnit } from '../../../operator/controller/units.js';
import type { KubeObject } from '../../../schemas/hub.js';

class MapCache implements CacheReader {
  readonly m = new Map<string, KubeObject>();
  constructor(readonly index: DependencyIndex) {}
  put(o: KubeObject): void {
    const id = `${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
    const old = this.m.get(id);
    this.m.set(id, o);
    this.index.update(o.kind, old, o);
  }
  get(kind: string, ns: string | undefined, name: string): KubeObject | undefined {
    return this.m.get(`${kind}|${ns ?? ''}|${name}`);
  }
  list(kind: string): KubeObject[] {
    return [...this.m.values()].filter((o) => o.kind === kind);
  }
}

const NS = 'app';
const SOURCE_NS = 'clients';
const sa = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
const service = (ns: string, name: string, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }] },
});
const deployment = (ns: string, name: string, account: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: account, containers: [{ name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
});
const pod = (ns: string, name: string, account: string, labels: Record<string, string>, owner?: { kind: string; name: string }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'u', controller: true }] } : {}) },
  spec: { serviceAccountName: account, containers: [{ name: 'app', image: 'x' }] },
});
const routes: KubeObject = {
  apiVersion: 'specs.smi-spec.io/v1alpha4',
  kind: 'HTTPRouteGroup',
  metadata: { name: 'r', namespace: NS },
  spec: { matches: [{ name: 'read', pathRegex: '/api/.*', methods: ['GET'] }] },
};
const target = (sources: Array<{ ns: string; name: string }>): KubeObject => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name: 't', namespace: NS },
  spec: {
    destination: { kind: 'ServiceAccount', name: 'dest', namespace: NS },
    rules: [{ kind: 'HTTPRouteGroup', name: 'r', matches: ['read'] }],
    sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s.name, namespace: s.ns })),
  },
});

const labelsArb = fc.dictionary(fc.constantFrom('app', 'version', 'tier', 'pod-template-hash'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 3 });
const accountArb = fc.constantFrom('dest', 'other', 'client', 'third');
const worldArb = fc.record({
  workloads: fc.array(fc.record({ ns: fc.constantFrom(NS, NS, SOURCE_NS), account: accountArb, labels: labelsArb, kind: fc.constantFrom('Deployment', 'Pod', 'PodOfStatefulSet') }), { maxLength: 10 }),
  services: fc.array(fc.record({ ns: fc.constantFrom(NS, SOURCE_NS), selector: labelsArb }), { maxLength: 6 }),
  sources: fc.subarray([{ ns: NS, name: 'client' }, { ns: SOURCE_NS, name: 'client' }, { ns: NS, name: 'other' }], { minLength: 1 }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): { cache: MapCache; inputs: Inputs; all: KubeObject[] } {
  const index = new DependencyIndex();
  const cache = new MapCache(index);
  const all: KubeObject[] = [];
  const put = (o: KubeObject): void => {
    cache.put(o);
    all.push(o);
  };
  for (const ns of [NS, SOURCE_NS]) for (const a of ['dest', 'other', 'client', 'third']) put(sa(ns, a));
  w.workloads.forEach((x, i) => {
    if (x.kind === 'Deployment') put(deployment(x.ns, `w${i}`, x.account, x.labels));
    else if (x.kind === 'Pod') put(pod(x.ns, `p${i}`, x.account, x.labels));
    else {
      // A StatefulSet and its pod, which carries a per-pod label on top of the template's.
      put({ ...deployment(x.ns, `s${i}`, x.account, x.labels), kind: 'StatefulSet' });
      put(pod(x.ns, `s${i}-0`, x.account, { ...x.labels, 'statefulset.kubernetes.io/pod-name': `s${i}-0` }, { kind: 'StatefulSet', name: `s${i}` }));
    }
  });
  w.services.forEach((s, i) => put(service(s.ns, `svc${i}`, s.selector)));
  put(routes);
  put(target(w.sources));
  return { cache, inputs: new Inputs(cache, index), all };
}

describe('Inputs.gather (access unit)', () => {
  it('translates the same from the workloads it reads as from every workload of the namespaces', () => {
    fc.assert(
      fc.property(worldArb, fc.constantFrom<MeshName>('istio', 'linkerd', 'consul'), (w, mesh) => {
        const { inputs, all } = build(w);
        const unit = parseUnit(accessUnit(NS, 'dest'))!;
        const { inputs: read } = inputs.gather(unit);
        const isWorkload = (o: KubeObject): boolean => ['Deployment', 'StatefulSet', 'Pod'].includes(o.kind);
        const full = [...read.filter((o) => !isWorkload(o)), ...all.filter(isWorkload)];
        const adapter = getAdapter(mesh);
        const got = adapter.translate(buildSnapshot(read).snapshot, DEFAULT_MESH_OPTIONS);
        const want = adapter.translate(buildSnapshot(full).snapshot, DEFAULT_MESH_OPTIONS);
        expect(got).to.deep.equal(want);
      }),
      { numRuns: Number(process.env.SMI_FUZZ_RUNS ?? 300) },
    );
  });

  it('reads the destination\'s workloads and those its selector may pick, not the rest of the namespace', () => {
    const { cache, inputs } = build({ workloads: [], services: [], sources: [{ ns: NS, name: 'client' }] });
    cache.put(deployment(NS, 'dest', 'dest', { app: 'dest', version: 'v1' }));
    cache.put(deployment(NS, 'look-alike', 'other', { app: 'dest', version: 'v1', extra: 'x' }));
    for (let i = 0; i < 50; i++) cache.put(deployment(NS, `app-${i}`, `sa-${i}`, { app: `app-${i}`, version: 'v1' }));
    const { inputs: read } = inputs.gather(parseUnit(accessUnit(NS, 'dest'))!);
    expect(read.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).to.deep.equal(['dest', 'look-alike']);
  });
});

describe('validated hubs shared across translations', () => {
  const deepFreeze = <T>(v: T): T => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const x of Object.values(v)) deepFreeze(x);
    }
    return v;
  };
  it('adapters never change the hub objects they are given (a caller of SnapshotOptions.validate may hand one hub to several translations)', async () => {
    const { SCENARIOS } = await import('../fuzz/generators.js');
    const { validateSmiObject } = await import('../../../schemas/validate.js');
    const { MESH_NAMES } = await import('../../../adapters/types.js');
    for (const objects of SCENARIOS) {
      for (const mesh of MESH_NAMES) {
        const adapter = getAdapter(mesh);
        const want = adapter.translate(buildSnapshot(objects).snapshot, DEFAULT_MESH_OPTIONS);
        const frozen = (o: KubeObject): ReturnType<typeof validateSmiObject> => deepFreeze(validateSmiObject(o));
        const withNs = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? 'default' } }));
        // Throws (strict mode) if an adapter writes into a hub.
        const got = adapter.translate(buildSnapshot(withNs, { validate: frozen }).snapshot, DEFAULT_MESH_OPTIONS);
        expect(got).to.deep.equal(want);
      }
    }
  });
});

describe('Inputs.validate', () => {
  const split = (rv: string | undefined, weight: unknown): KubeObject =>
    ({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 's', namespace: NS, ...(rv === undefined ? {} : { resourceVersion: rv }) }, spec: { service: 'web', backends: [{ service: 'web-v1', weight }] } }) as KubeObject;

  it('validates each resourceVersion once, whatever form the verdict is kept in', () => {
    let runs = 0;
    const inputs = new Inputs(new MapCache(new DependencyIndex()), new DependencyIndex(), () => runs++);
    for (const rv of ['17', 'x-17', '00017']) {
      runs = 0;
      const v = inputs.validate(split(rv, 10));
      expect(v).to.deep.equal({ rv, ok: true, problems: [] });
      expect(inputs.validate(split(rv, 10)), rv).to.deep.equal(v);
      expect(runs, `rv ${rv}`).to.equal(1);
    }
    // A new version is validated again: valid → invalid → valid.
    runs = 0;
    expect(inputs.validate(split('18', 'ten')).ok).to.equal(false);
    const bad = inputs.validate(split('18', 'ten'));
    expect(bad.ok).to.equal(false);
    expect(bad.problems).to.have.length.greaterThan(0);
    expect(inputs.validate(split('19', 10)).ok).to.equal(true);
    expect(inputs.validate(split('19', 10)).ok).to.equal(true);
    expect(runs).to.equal(2);
    // Without a resourceVersion nothing is taken from memory; forget() drops the verdict.
    runs = 0;
    inputs.validate(split(undefined, 10));
    inputs.validate(split(undefined, 10));
    expect(runs).to.equal(2);
    inputs.validate(split('20', 10));
    inputs.forget(split('20', 10));
    inputs.validate(split('20', 10));
    expect(runs).to.equal(4);
  });
});
