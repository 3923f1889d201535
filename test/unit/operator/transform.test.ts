// The informer transforms (operator/cache/transform.ts) keep every field a reader
// of the cache uses: translating the transformed objects of every adapter fixture
// gives what translating the objects as the API server sends them gives, on every
// mesh; plan.ts still sees a managed object as matching (and a changed one as not);
// and the fields nobody reads are gone. The same holds for the compact form the
// informers keep (cache/compact.ts: the transformed object's JSON text, parsed on read).

import { expect } from 'chai';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES } from '../../../adapters/types.js';
import { JsonCodec } from '../../../operator/cache/compact.js';
import { cachedDigest } from '../../../operator/cache/digest.js';
import { Interner, NoInterner, nativeTransform, transformFor, userObjectTransform } from '../../../operator/cache/transform.js';
import { userClash } from '../../../operator/controller/clashes.js';
import { meshVerdict } from '../../../operator/controller/mesh-status.js';
import { decorate } from '../../../operator/controller/labels.js';
import { matches, sameContent } from '../../../operator/controller/plan.js';
import { relevant } from '../../../operator/controller/predicates.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { SCENARIOS } from '../fuzz/generators.js';

/** What the API server adds to an object: the fields the transforms must drop or keep harmlessly. */
function served(o: KubeObject, n: number): KubeObject {
  const x = structuredClone(o) as KubeObject & { spec?: Record<string, unknown>; status?: unknown };
  x.metadata = {
    ...x.metadata,
    uid: `uid-${n}`,
    resourceVersion: String(100 + n),
    generation: 1,
    creationTimestamp: x.metadata.creationTimestamp ?? '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
    annotations: { ...x.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(o) },
  } as KubeObject['metadata'];
  if (x.kind === 'Service') x.spec = { ...x.spec, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], sessionAffinity: 'None', type: 'ClusterIP' };
  if (x.kind === 'Deployment') x.spec = { ...x.spec, strategy: { type: 'RollingUpdate' }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 };
  x.status = { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] };
  return x;
}

const keep = (i: Interner) => (o: KubeObject): KubeObject => transformFor(o.apiVersion, o.kind, i)(o);
/** What a compact informer's reader gets back for a transformed object. */
const viaText = (o: KubeObject): KubeObject => {
  const codec = new JsonCodec(o.apiVersion, o.kind);
  const stored = codec.encode(o);
  expect(stored, `${o.kind} ${o.metadata.name} is kept as text`).to.be.a('string');
  return codec.decode(stored);
};

describe('informer transforms', () => {
  it('every adapter fixture translates the same from the cached form as from the served objects, on every mesh', () => {
    expect(SCENARIOS.length).to.be.greaterThan(10);
    for (const [s, objects] of SCENARIOS.entries()) {
      const whole = objects.map(served);
      const cached = whole.map(keep(new Interner()));
      const compact = cached.map(viaText);
      expect(compact).to.deep.equal(cached);
      expect(whole.map(keep(new NoInterner())), 'interning changes no value').to.deep.equal(cached);
      for (const mesh of MESH_NAMES) {
        const adapter = getAdapter(mesh);
        const want = adapter.translate(buildSnapshot(whole).snapshot, DEFAULT_MESH_OPTIONS);
        const got = adapter.translate(buildSnapshot(cached).snapshot, DEFAULT_MESH_OPTIONS);
        const what = `scenario ${s} (${objects.map((o) => `${o.kind}/${o.metadata.name}`).slice(0, 4).join(', ')}…) on ${mesh}`;
        expect(got, what).to.deep.equal(want);
        expect(adapter.translate(buildSnapshot(compact).snapshot, DEFAULT_MESH_OPTIONS), `${what}, compact`).to.deep.equal(want);
      }
    }
  });

  it('a managed object the operator applied still matches what it applies, by digest where digested; a changed one does not', () => {
    let n = 0;
    let digested = 0;
    const whole = nativeTransform(new NoInterner());
    for (const objects of SCENARIOS) {
      for (const mesh of MESH_NAMES) {
        for (const o of getAdapter(mesh).translate(buildSnapshot(objects).snapshot, DEFAULT_MESH_OPTIONS).objects) {
          const desired = decorate(o, 'split:ns/x');
          const cached = keep(new Interner())(served(desired, n++));
          if (cachedDigest(cached) !== undefined) digested++;
          // Decided by the digest alone (no live read): the server added only metadata and status.
          expect(sameContent(desired, cached), `${o.kind} ${o.metadata.name}`).to.equal(true);
          expect(sameContent(desired, viaText(cached)), `${o.kind} ${o.metadata.name}, compact`).to.equal(true);
          expect(matches(desired, whole(served(desired, n))), `${o.kind} ${o.metadata.name}, whole`).to.equal(true);
          expect(meshVerdict(cached)).to.deep.equal(meshVerdict(served(desired, n)));
          expect(meshVerdict(viaText(cached))).to.deep.equal(meshVerdict(served(desired, n)));
          const spec = (desired as { spec?: Record<string, unknown> }).spec;
          if (spec && Object.keys(spec).length > 0) {
            const edited = served({ ...desired, spec: { ...spec, [Object.keys(spec)[0]!]: 'changed-by-someone' } } as KubeObject, n++);
            const changed = keep(new Interner())(edited);
            // Not "unchanged" by digest; whole (as read live), it does not match.
            expect(sameContent(desired, changed), `${o.kind} ${o.metadata.name} changed`).to.not.equal(true);
            expect(sameContent(desired, viaText(changed)), `${o.kind} ${o.metadata.name} changed, compact`).to.not.equal(true);
            expect(matches(desired, whole(edited)), `${o.kind} ${o.metadata.name} changed, whole`).to.equal(false);
          }
        }
      }
    }
    expect(n).to.be.greaterThan(50);
    expect(digested, 'most native kinds are kept digested').to.be.greaterThan(n / 4);
  });

  it('drops what nobody reads: managedFields, status, last-applied copies, Service addresses, pod template defaults, context objects\' uids', () => {
    const i = new Interner();
    const svc = keep(i)(served({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, name: 'http' }] } } as KubeObject, 1));
    expect(svc).to.deep.equal({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', resourceVersion: '101', generation: 1 }, spec: { selector: { app: 'a' }, ports: [{ port: 80, name: 'http' }] } });
    const dep = keep(i)(
      served(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'd', namespace: 'n', labels: { team: 'x' } },
          spec: {
            replicas: 3,
            template: {
              metadata: { labels: { app: 'a' }, annotations: { 'config.linkerd.io/opaque-ports': '3306' } },
              spec: { serviceAccountName: 'sa', dnsPolicy: 'ClusterFirst', containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Always', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], readinessProbe: { httpGet: { port: 8080, path: '/ready' }, periodSeconds: 5 } }] },
            },
          },
        } as KubeObject,
        2,
      ),
    );
    expect(dep).to.deep.equal({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n', resourceVersion: '102', generation: 1 },
      spec: { template: { metadata: { labels: { app: 'a' }, annotations: { 'config.linkerd.io/opaque-ports': '3306' } }, spec: { serviceAccountName: 'sa', containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], readinessProbe: { httpGet: { port: 8080, path: '/ready' } } }] } } },
    });
    const sa = keep(i)(served({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'n' } }, 3));
    expect(sa).to.deep.equal({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'n', resourceVersion: '103', generation: 1 } });
    const ts = keep(i)(served({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 't', namespace: 'n', annotations: { 'smi-operator.io/hub-fields': '{}' } }, spec: { service: 's' } } as KubeObject, 4));
    expect(ts.metadata.annotations).to.deep.equal({ 'smi-operator.io/hub-fields': '{}' });
    expect(ts.metadata).to.not.have.property('managedFields');
    expect(ts).to.have.property('status'); // the status writer compares the conditions
  });

  it('a change only to fields nobody reads is not a change the predicates see', () => {
    const i = new Interner();
    const base = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } } as KubeObject;
    const a = keep(i)(served(base, 1));
    const b = keep(i)(served({ ...base, spec: { ...(base as unknown as { spec: object }).spec, clusterIP: '10.0.0.9' } } as KubeObject, 2));
    expect(relevant('Service', a, b)).to.equal(false);
    const c = keep(i)(served({ ...base, spec: { selector: { app: 'b' }, ports: [{ port: 80 }] } } as KubeObject, 3));
    expect(relevant('Service', a, c)).to.equal(true);
    expect(relevant('Service', viaText(a), viaText(b))).to.equal(false);
    expect(relevant('Service', viaText(a), viaText(c))).to.equal(true);
  });

  it('keeps the mesh\'s verdict on what we applied (mesh-status.ts) and what a user\'s route competes for (clashes.ts)', () => {
    const i = new Interner();
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'n', generation: 2 },
      spec: { parentRefs: [{ group: 'core', kind: 'Service', name: 'web', port: 80 }], rules: [{ backendRefs: [{ name: 'web-v1', port: 80 }] }] },
      status: { parents: [{ controllerName: 'linkerd.io/policy-controller', parentRef: { name: 'web' }, conditions: [{ type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: 'no port 80', observedGeneration: 2, lastTransitionTime: 't' }] }] },
    } as unknown as KubeObject;
    const cached = keep(i)(route);
    expect(meshVerdict(cached)).to.be.an('object').and.deep.equal(meshVerdict(route));
    expect(meshVerdict(viaText(cached))).to.deep.equal(meshVerdict(route));
    const consul = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults', metadata: { name: 'web', namespace: 'n', generation: 1 }, spec: { protocol: 'http' }, status: { conditions: [{ type: 'Synced', status: 'False', reason: 'ConsulAgentError', message: 'refused', lastTransitionTime: 't' }] } } as unknown as KubeObject;
    expect(meshVerdict(keep(i)(consul))).to.be.an('object').and.deep.equal(meshVerdict(consul));
    expect(meshVerdict(viaText(keep(i)(consul)))).to.deep.equal(meshVerdict(consul));
    const userVs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'mine', namespace: 'n', labels: { team: 'a' } }, spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }] }] } } as unknown as KubeObject;
    const ours = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'smi-split-web', namespace: 'n' }, spec: { hosts: ['web.n.svc.cluster.local'] } } as unknown as KubeObject;
    const slim = userObjectTransform(i)(userVs);
    expect(slim).to.not.have.nested.property('metadata.managedFields');
    expect(userClash(ours, [slim], 'cluster.local')).to.be.a('string').and.equal(userClash(ours, [userVs], 'cluster.local'));
    const userRoute = { ...route, metadata: { name: 'theirs', namespace: 'n' } } as KubeObject;
    expect(userClash(route, [userObjectTransform(i)(userRoute)], 'cluster.local')).to.equal(userClash(route, [userRoute], 'cluster.local'));
  });
});
