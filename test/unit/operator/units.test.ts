import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeObject } from '../../../schemas/hub.js';
import { DependencyIndex, MultiIndex, parseUnit, accessUnit, splitUnit, routeUnit } from '../../../operator/controller/units.js';
import { decorate, longNativeKey, shortNativeKey, unitLabelValue } from '../../../operator/controller/labels.js';

const ns = 'n';
const split = (name: string, root: string, backends: string[], matches: string[] = []): KubeObject => ({
  apiVersion: 'split.smi-spec.io/v1alpha4',
  kind: 'TrafficSplit',
  metadata: { name, namespace: ns, generation: 1 },
  spec: { service: root, backends: backends.map((service) => ({ service, weight: 1 })), matches: matches.map((m) => ({ kind: 'HTTPRouteGroup', name: m })) },
});
const target = (name: string, dest: string, sources: string[], routes: string[]): KubeObject => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name, namespace: ns },
  spec: { destination: { kind: 'ServiceAccount', name: dest }, sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s })), rules: routes.map((r) => ({ kind: 'HTTPRouteGroup', name: r })) },
});
const rg = (name: string): KubeObject => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name, namespace: ns }, spec: { matches: [] } });
const deploy = (name: string, sa: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels }, spec: { serviceAccountName: sa } } },
});
const svc = (name: string, selector: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector } });

function world(n: number): DependencyIndex {
  const idx = new DependencyIndex();
  for (let i = 0; i < n; i++) idx.update('TrafficSplit', undefined, split(`s${i}`, `root${i}`, [`b${i}`]));
  idx.update('HTTPRouteGroup', undefined, rg('shared'));
  idx.update('TrafficSplit', undefined, split('ab', 'web', ['web-v1', 'web-v2'], ['shared']));
  idx.update('TrafficTarget', undefined, target('t', 'api', ['client'], ['shared']));
  idx.update('Deployment', undefined, deploy('api', 'api', { app: 'api' }));
  return idx;
}

describe('DependencyIndex', () => {
  it('an HTTPRouteGroup change reaches only its dependents, whatever the number of other objects', () => {
    for (const n of [0, 10, 500]) {
      const idx = world(n);
      const units = idx.update('HTTPRouteGroup', rg('shared'), rg('shared'));
      expect([...units].sort()).to.deep.equal([accessUnit(ns, 'api'), routeUnit(ns, 'HTTPRouteGroup', 'shared'), splitUnit(ns, 'web')].sort());
    }
  });

  it('a Service maps to the splits naming it and the access units whose pods it selects', () => {
    const idx = world(3);
    expect([...idx.update('Service', undefined, svc('web-v2', { app: 'web' }))]).to.deep.equal([splitUnit(ns, 'web')]);
    expect([...idx.update('Service', undefined, svc('api', { app: 'api' }))]).to.deep.equal([accessUnit(ns, 'api')]);
    expect([...idx.update('Service', undefined, svc('other', { app: 'nope' }))]).to.deep.equal([]);
  });

  it('a Service reaches the splits it is the root of, a backend of, or both, until they let go of it', () => {
    const idx = new DependencyIndex();
    idx.update('TrafficSplit', undefined, split('a', 'web', ['web-v1', 'web']));
    idx.update('TrafficSplit', undefined, split('b', 'shop', ['web-v1']));
    const units = (name: string): string[] => [...idx.update('Service', undefined, svc(name, {}))].sort();
    expect(units('web')).to.deep.equal([splitUnit(ns, 'web')]);
    expect(units('web-v1')).to.deep.equal([splitUnit(ns, 'shop'), splitUnit(ns, 'web')]);
    expect(units('shop')).to.deep.equal([splitUnit(ns, 'shop')]);
    // Split a moves to another root: web is only its backend now; b drops web-v1.
    idx.update('TrafficSplit', split('a', 'web', ['web-v1', 'web']), split('a', 'api', ['web']));
    idx.update('TrafficSplit', split('b', 'shop', ['web-v1']), split('b', 'shop', ['shop-v2']));
    expect(units('web')).to.deep.equal([splitUnit(ns, 'api')]);
    expect(units('web-v1')).to.deep.equal([]);
    expect(units('shop-v2')).to.deep.equal([splitUnit(ns, 'shop')]);
  });

  it('a Service or workload of a source reaches the targets naming that source (sources resolve to the Services selecting their pods)', () => {
    const idx = world(0);
    // `client` is a source of target t (destination api); its pods and Service change.
    expect([...idx.update('Deployment', undefined, deploy('client', 'client', { app: 'client' }))]).to.deep.equal([accessUnit(ns, 'api')]);
    expect([...idx.update('Service', undefined, svc('client', { app: 'client' }))]).to.deep.equal([accessUnit(ns, 'api')]);
    // A pod of another ServiceAccount now also selected by the client's Service changes whom that Service holds.
    expect([...idx.update('Deployment', undefined, deploy('batch', 'batch', { app: 'client', role: 'batch' }))]).to.deep.equal([accessUnit(ns, 'api')]);
    expect([...idx.update('Service', undefined, svc('unrelated', { app: 'nobody' }))]).to.deep.equal([]);
  });

  it('a workload changing ServiceAccount affects the old and the new destination', () => {
    const idx = world(1);
    idx.update('TrafficTarget', undefined, target('t2', 'api-v2', ['client'], []));
    const units = idx.update('Deployment', deploy('api', 'api', { app: 'api' }), deploy('api', 'api-v2', { app: 'api' }));
    expect([...units].sort()).to.deep.equal([accessUnit(ns, 'api'), accessUnit(ns, 'api-v2')]);
  });

  it('a new workload sharing labels with a destination re-checks that destination (its selector may now catch it)', () => {
    const idx = world(1);
    idx.update('TrafficTarget', undefined, target('t-web', 'web', ['client'], []));
    idx.update('Deployment', undefined, deploy('web', 'web', { app: 'web', tier: 'front' }));
    // Another ServiceAccount's pods carrying app=api: api's policy selector (app=api) would select them.
    const units = idx.update('Deployment', undefined, deploy('intruder', 'batch', { app: 'api', job: 'x' }));
    expect([...units].sort()).to.deep.equal([accessUnit(ns, 'api')]);
    // Sharing no label with any governed workload reaches no unit.
    expect([...idx.update('Deployment', undefined, deploy('lonely', 'batch2', { app: 'lonely' }))]).to.deep.equal([]);
  });

  it('a split moving to another root reconciles both units (the old one prunes)', () => {
    const idx = world(1);
    const units = idx.update('TrafficSplit', split('s0', 'root0', ['b0']), split('s0', 'rootX', ['b0']));
    expect([...units].sort()).to.deep.equal([splitUnit(ns, 'root0'), splitUnit(ns, 'rootX')]);
  });

  it('a ServiceAccount maps to its destination unit and to targets naming it as a source', () => {
    const idx = world(1);
    expect([...idx.update('ServiceAccount', undefined, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'client', namespace: ns } })]).to.deep.equal([accessUnit(ns, 'api')]);
  });

  it('a managed native object maps to the unit named in its annotation, and is indexed for pruning', () => {
    const idx = new DependencyIndex();
    const o = decorate({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x', namespace: ns, labels: {} } }, splitUnit(ns, 'web'));
    expect([...idx.update('networking.istio.io/VirtualService', undefined, o)]).to.deep.equal([splitUnit(ns, 'web')]);
    expect(idx.ownedBy(splitUnit(ns, 'web'))).to.deep.equal([['networking.istio.io/VirtualService', ns, 'x']]);
    expect([...idx.allUnits([])]).to.deep.equal([splitUnit(ns, 'web')]);
  });

  it('a RateLimitPolicy\'s split unit is re-translated when the access inputs of its namespace change (Linkerd attaches it to their Servers)', () => {
    const idx = world(1);
    const rl: KubeObject = { apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'RateLimitPolicy', metadata: { name: 'api-rate', namespace: ns }, spec: { targetRef: { kind: 'Service', name: 'api' }, local: { requests: 1, unit: 'second' } } };
    expect([...idx.update('TrafficTarget', undefined, target('t2', 'web', ['client'], []))]).to.not.include(splitUnit(ns, 'api'));
    expect([...idx.update('RateLimitPolicy', undefined, rl)]).to.deep.equal([splitUnit(ns, 'api')]);
    expect([...idx.update('TrafficTarget', undefined, target('t3', 'web', ['client'], []))]).to.include(splitUnit(ns, 'api'));
    expect([...idx.update('Deployment', undefined, deploy('web', 'web', { app: 'web' }))]).to.include(splitUnit(ns, 'api'));
    expect([...idx.update('Service', undefined, svc('web', { app: 'web' }))]).to.include(splitUnit(ns, 'api'));
    // Another namespace's changes do not reach it, and deleting the policy stops it.
    expect([...idx.update('TrafficTarget', undefined, { ...target('t4', 'web', ['client'], []), metadata: { name: 't4', namespace: 'other' } })]).to.not.include(splitUnit(ns, 'api'));
    idx.update('RateLimitPolicy', rl, undefined);
    expect([...idx.update('TrafficTarget', target('t3', 'web', ['client'], []), undefined)]).to.not.include(splitUnit(ns, 'api'));
  });

  it('parses unit keys and makes label-safe unit labels', () => {
    expect(parseUnit('route:ns/HTTPRouteGroup/a')).to.deep.equal({ type: 'route', namespace: 'ns', kind: 'HTTPRouteGroup', name: 'a' });
    expect(parseUnit('split:ns/web')).to.deep.equal({ type: 'split', namespace: 'ns', name: 'web' });
    expect(parseUnit('bogus')).to.equal(undefined);
    expect(unitLabelValue('split:ns/web')).to.equal('split.ns.web');
    const long = unitLabelValue(`access:${'n'.repeat(60)}/${'s'.repeat(60)}`);
    expect(long.length).to.be.at.most(63);
    expect(long).to.match(/^u-[0-9a-f]{40}$/);
  });
});

describe('DependencyIndex selector indexes', () => {
  it('finds the Services selecting a pod and the pods a Service selects without scanning', () => {
    const idx = new DependencyIndex();
    // The index keeps only each selector's first pair; the whole selector comes from the cache (here: this map).
    const selectors = new Map<string, Record<string, string>>();
    const addSvc = (name: string, sel: Record<string, string>): void => {
      selectors.set(name, sel);
      idx.update('Service', undefined, svc(name, sel));
    };
    const selecting = (labels: Record<string, string>): string[] => idx.servicesSelecting(ns, labels, (n) => selectors.get(n)).sort();
    for (let i = 0; i < 50; i++) addSvc(`noise${i}`, { app: `noise${i}` });
    addSvc('api', { app: 'api' });
    addSvc('api-v2', { app: 'api', version: 'v2' });
    expect(selecting({ app: 'api', version: 'v1' })).to.deep.equal(['api']);
    expect(selecting({ app: 'api', version: 'v2', tier: 'web' })).to.deep.equal(['api', 'api-v2']);
    // Many labels: the same answer by the pair index and an exact check.
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`l${i}`, 'x']));
    expect(selecting({ ...many, app: 'api', version: 'v2' })).to.deep.equal(['api', 'api-v2']);
    expect(selecting({ ...many, app: 'api', version: 'v1' })).to.deep.equal(['api']);
    // A Service gone from the index is no candidate, whatever the cache still says.
    idx.update('Service', svc('api-v2', { app: 'api', version: 'v2' }), undefined);
    expect(selecting({ app: 'api', version: 'v2' })).to.deep.equal(['api']);
    addSvc('api-v2', { app: 'api', version: 'v2' });
    idx.update('TrafficTarget', undefined, target('t', 'api', [], []));
    idx.update('Deployment', undefined, deploy('api', 'api', { app: 'api', version: 'v2' }));
    expect([...idx.update('Service', undefined, svc('api-v3', { app: 'api', version: 'v2' }))]).to.deep.equal([accessUnit(ns, 'api')]);
    expect([...idx.update('Service', undefined, svc('api-v4', { app: 'api', version: 'v4' }))]).to.deep.equal([]);
  });
});

describe('DependencyIndex workloads', () => {
  it('keeps each workload\'s namespace, ServiceAccount and pod labels, following updates and deletes', () => {
    const idx = new DependencyIndex();
    const a = deploy('api', 'api', { app: 'api', 'example.com/odd"key': 'a\u0000b' });
    idx.update('Deployment', undefined, a);
    expect(idx.workload('Deployment/n/api')).to.deep.equal({ key: 'Deployment/n/api', namespace: ns, serviceAccount: 'api', podLabels: { app: 'api', 'example.com/odd"key': 'a\u0000b' } });
    const b = deploy('api', 'other', { app: 'web' });
    idx.update('Deployment', a, b);
    expect(idx.workload('Deployment/n/api')).to.deep.equal({ key: 'Deployment/n/api', namespace: ns, serviceAccount: 'other', podLabels: { app: 'web' } });
    expect([...idx.workloadsBySA.get('n/api')]).to.deep.equal([]);
    expect([...idx.workloadsBySA.get('n/other')]).to.deep.equal(['Deployment/n/api']);
    // What the caller gets is its own.
    idx.workload('Deployment/n/api')!.podLabels.app = 'changed';
    expect(idx.workload('Deployment/n/api')!.podLabels.app).to.equal('web');
    idx.update('Deployment', b, undefined);
    expect(idx.workload('Deployment/n/api')).to.equal(undefined);
  });
});

describe('short native keys', () => {
  it('read back exactly and stay distinct, past the number of kinds that get a code too', () => {
    const seg = fc.stringMatching(/^[a-z0-9.|-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('', 'networking.istio.io', 'policy.linkerd.io', 'x.example.com'), fc.constantFrom('VirtualService', 'Server', 'Service'), seg, seg), { maxLength: 40 }), (parts) => {
        const keys = parts.map(([g, k, n, name]) => `${g}/${k}/${n}/${name}`);
        for (const k of keys) expect(longNativeKey(shortNativeKey(k))).to.equal(k);
        expect(new Set(keys.map(shortNativeKey)).size).to.equal(new Set(keys).size);
      }),
    );
    // More kinds than codes: the rest are kept as they are.
    const many = Array.from({ length: 200 }, (_, i) => `g${i}.example.com/Kind${i}/ns/name`);
    expect(many.map((k) => longNativeKey(shortNativeKey(k)))).to.deep.equal(many);
    expect(new Set(many.map(shortNativeKey)).size).to.equal(200);
    expect(shortNativeKey(many[199]!)).to.equal(many[199]);
  });
});

describe('MultiIndex', () => {
  it('behaves like a map of sets whatever the order of adds and removes (a lone value is stored unboxed, a few joined in one string, many in a Set)', () => {
    // Values with the join separator or empty ones must not be split or merged.
    const values = [...'xyzuvwpqrstmn', '', 'a\u0000b', '\u0000', 'a', 'b'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b'), fc.constantFrom(...values)), { maxLength: 120 }), (ops) => {
        const idx = new MultiIndex();
        const ref = new Map<string, Set<string>>();
        for (const [add, k, v] of ops) {
          if (add) {
            idx.add(k, v);
            if (!ref.has(k)) ref.set(k, new Set());
            ref.get(k)!.add(v);
          } else {
            idx.remove(k, v);
            ref.get(k)?.delete(v);
            if (ref.get(k)?.size === 0) ref.delete(k);
          }
          for (const key of ['a', 'b']) {
            expect([...idx.get(key)].sort()).to.deep.equal([...(ref.get(key) ?? [])].sort());
            expect(idx.count(key)).to.equal(ref.get(key)?.size ?? 0);
          }
          expect([...idx.keys()].sort()).to.deep.equal([...ref.keys()].sort());
        }
      }),
      { numRuns: 300 },
    );
  });
});
