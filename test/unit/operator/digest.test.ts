// The digest the cache keeps of a managed native object (operator/cache/digest.ts)
// in place of its spec: equal exactly when the compared projections are equal,
// "unchanged" by digest only when plan's whole-object `matches` agrees, a changed
// owned field never taken for unchanged, and what is kept is what readers use.

import { expect } from 'chai';
import fc from 'fast-check';
import { DIGEST_FIELD, cachedDigest, desiredProjection, digestOf, projection } from '../../../operator/cache/digest.js';
import { JsonCodec } from '../../../operator/cache/compact.js';
import { NoInterner, nativeDigestTransform, nativeTransform, transformFor } from '../../../operator/cache/transform.js';
import { canonicalJson, decorate, HASH_ANNOTATION, UNIT_ANNOTATION } from '../../../operator/controller/labels.js';
import { meshVerdict } from '../../../operator/controller/mesh-status.js';
import { matches, sameContent } from '../../../operator/controller/plan.js';
import type { KubeObject } from '../../../schemas/hub.js';

const digested = nativeDigestTransform(new NoInterner());
const whole = nativeTransform(new NoInterner());

const key = fc.constantFrom('a', 'b', 'c', 'port', 'hosts', 'rules', 'action', 'x');
/** Spec-like JSON: small objects, arrays, strings, numbers, booleans and nulls. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('x', 'y', ''), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
const spec = fc.dictionary(key, value, { maxKeys: 4 });

const desiredOf = (s: Record<string, unknown>, extra: Record<string, string> = {}): KubeObject =>
  decorate({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'n', labels: { 'app.kubernetes.io/managed-by': 'smi-operator', 'smi-operator.io/mesh': 'istio', ...extra } }, spec: s } as KubeObject, 'access:n/web');

/** What the API server sends back for an applied object: identity, versions, others' labels, status, managedFields. */
function served(d: KubeObject, edit: (o: KubeObject & { spec?: unknown }) => void = () => {}): KubeObject {
  const o = structuredClone(d) as KubeObject & { spec?: unknown };
  o.metadata = { ...o.metadata, uid: 'u1', resourceVersion: '7', generation: 3, creationTimestamp: 't', managedFields: [{ manager: 'smi-operator' }], labels: { ...o.metadata.labels, 'team.example.com/owner': 'a' } } as KubeObject['metadata'];
  (o as { status?: unknown }).status = { validationMessages: [{ level: 'ERROR', type: { code: 'IST0101' } }], observedGeneration: '3' };
  edit(o);
  return o;
}

describe('native object digest', () => {
  it('digests are equal exactly when the compared projections are equal', () => {
    fc.assert(
      fc.property(spec, spec, fc.boolean(), (a, b, sameMeta) => {
        const x = served(desiredOf(a));
        const y = served(desiredOf(b, sameMeta ? {} : { 'smi-operator.io/source': 'other' }));
        const equalProjections = canonicalJson(projection(x)) === canonicalJson(projection(y));
        expect(digestOf(projection(x)) === digestOf(projection(y))).to.equal(equalProjections);
      }),
    );
  });

  it('"unchanged" by digest implies matches on the whole object; "changed" by digest implies it does not match', () => {
    // Observed objects made from the desired one by what happens to objects: nothing, someone's
    // edit of a field we set, an added field, a removed one, a null, an edited annotation.
    const edits = fc.oneof(
      fc.constant((_o: KubeObject & { spec?: unknown }) => {}),
      fc.tuple(key, value).map(([k, v]) => (o: KubeObject & { spec?: unknown }) => void ((o.spec as Record<string, unknown>)[k] = v)),
      key.map((k) => (o: KubeObject & { spec?: unknown }) => void delete (o.spec as Record<string, unknown>)[k]),
      value.map((v) => (o: KubeObject & { spec?: unknown }) => void (o.spec = v)),
      fc.constantFrom(HASH_ANNOTATION, UNIT_ANNOTATION, 'smi-operator.io/sources').map((a) => (o: KubeObject) => void (o.metadata.annotations = { ...o.metadata.annotations, [a]: 'edited' })),
    );
    fc.assert(
      fc.property(spec, edits, (s, edit) => {
        const d = desiredOf(s);
        const o = served(d, edit);
        const verdict = sameContent(d, digested(o));
        const exact = matches(d, whole(o));
        if (verdict !== undefined) expect(verdict, 'the digest decides as matches does').to.equal(exact);
        // Unedited, the digest decides without reading the object.
        const untouched = sameContent(d, digested(served(d)));
        expect(untouched).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a field we set, changed by someone else, is not taken for unchanged (and the whole object says drift)', () => {
    fc.assert(
      fc.property(spec.filter((s) => Object.keys(s).some((k) => s[k] !== null)), fc.string(), (s, v) => {
        const d = desiredOf(s);
        const k = Object.keys(s).find((x) => s[x] !== null)!;
        fc.pre(canonicalJson(s[k]) !== canonicalJson(`edited:${v}`));
        const o = served(d, (x) => void ((x.spec as Record<string, unknown>)[k] = `edited:${v}`));
        expect(sameContent(d, digested(o))).to.not.equal(true);
        expect(matches(d, whole(o))).to.equal(false);
      }),
    );
  });

  it('fields the server or others add (status, metadata, others\' labels) leave it unchanged; fields added to the spec leave it undecided', () => {
    const d = desiredOf({ action: 'DENY', rules: [{ to: [{ operation: { ports: ['80'] } }] }] });
    expect(sameContent(d, digested(served(d)))).to.equal(true);
    // A server default (or kubectl edit) adding a field plan does not set: `matches` ignores it, the digest cannot tell.
    const defaulted = served(d, (o) => void ((o.spec as Record<string, unknown>).provider = { name: 'x' }));
    expect(sameContent(d, digested(defaulted))).to.equal(undefined);
    expect(matches(d, whole(defaulted))).to.equal(true);
    // A desired object with someone else's label key is compared whole.
    expect(desiredProjection(desiredOf({}, { team: 'a' }))).to.equal(undefined);
    expect(sameContent(desiredOf({}, { team: 'a' }), digested(served(desiredOf({}, { team: 'a' }))))).to.equal(undefined);
  });

  it('keeps what the readers use, and the compact text round-trips it', () => {
    const d = desiredOf({ action: 'DENY', targetRef: { kind: 'Server', name: 's' } });
    const o = digested(served(d));
    expect(o).to.deep.equal({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'p', namespace: 'n', uid: 'u1', resourceVersion: '7', generation: 3, labels: { 'app.kubernetes.io/managed-by': 'smi-operator' }, annotations: { [UNIT_ANNOTATION]: 'access:n/web', [HASH_ANNOTATION]: d.metadata.annotations![HASH_ANNOTATION] } },
      spec: { targetRef: { kind: 'Server', name: 's' } },
      status: { validationMessages: [{ level: 'ERROR', type: { code: 'IST0101' } }], observedGeneration: '3' },
      [DIGEST_FIELD]: digestOf(projection(served(d))),
    });
    expect(meshVerdict(o)).to.deep.equal(meshVerdict(served(d)));
    const codec = new JsonCodec(o.apiVersion, o.kind);
    const back = codec.decode(codec.encode(o));
    expect(back).to.deep.equal(o);
    expect(cachedDigest(back)).to.be.a('string').with.length(22);
  });

  it('kinds whose CRDs default fields are kept whole; the rest digested', () => {
    const i = new NoInterner();
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'n' }, spec: { parentRefs: [{ name: 'web' }] } } as KubeObject;
    expect(cachedDigest(transformFor(route.apiVersion, route.kind, i)(route))).to.equal(undefined);
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v', namespace: 'n' }, spec: { hosts: ['web'] } } as KubeObject;
    expect(cachedDigest(transformFor(vs.apiVersion, vs.kind, i)(vs))).to.be.a('string');
  });
});
