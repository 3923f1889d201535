import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeObject } from '../../../schemas/hub.js';
import { decorate, nativeKey, HASH_ANNOTATION, UNIT_ANNOTATION } from '../../../operator/controller/labels.js';
import { matches, ownerOf, plan, type PlanInput } from '../../../operator/controller/plan.js';

const vs = (name: string, weight: number, labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'smi-operator' }): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: 'ns', labels },
  spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'a' }, weight }, { destination: { host: 'b' }, weight: 100 - weight }] }] },
});

/** What the API server would hold after applying `o`: plus server-set fields. */
const served = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, uid: 'u1', resourceVersion: '7', generation: 1 }, status: {} });

function input(unit: string, desired: KubeObject[], observed: KubeObject[], claims: Record<string, string[]> = {}): PlanInput {
  const byKey = new Map(observed.map((o) => [nativeKey(o), o]));
  return {
    unit,
    desired,
    owned: observed.filter((o) => o.metadata.annotations?.[UNIT_ANNOTATION] === unit),
    observed: (k) => byKey.get(k),
    claimants: (k) => claims[k] ?? [],
  };
}

describe('plan: desired vs observed', () => {
  it('matches treats server-added fields as equal and changed values as different', () => {
    const d = decorate(vs('x', 90), 'split:ns/web');
    expect(matches(d, served(d))).to.equal(true);
    expect(matches(d, served(decorate(vs('x', 80), 'split:ns/web')))).to.equal(false);
    expect(matches({ a: [] }, {})).to.equal(true);
    expect(matches({ a: [1, 2] }, { a: [1] })).to.equal(false);
    expect(matches({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).to.equal(true);
  });

  it('creates what is missing (verifying ownership first), skips what matches', () => {
    const d = decorate(vs('x', 90), 'split:ns/web');
    const [create] = plan(input('split:ns/web', [d], []));
    expect(create).to.include({ op: 'apply', force: false, verify: true, why: 'create' });
    const [skip] = plan(input('split:ns/web', [d], [served(d)]));
    expect(skip?.op).to.equal('skip');
  });

  it('re-applies with force when the content changed or drifted', () => {
    const unit = 'split:ns/web';
    const old = served(decorate(vs('x', 90), unit));
    const [changed] = plan(input(unit, [decorate(vs('x', 50), unit)], [old]));
    expect(changed).to.include({ op: 'apply', force: true, why: 'changed' });
    const drifted = served(decorate(vs('x', 90), unit));
    (drifted.spec as { hosts: string[] }).hosts = ['hand-edited'];
    const [drift] = plan(input(unit, [decorate(vs('x', 90), unit)], [drifted]));
    expect(drift).to.include({ op: 'apply', force: true, why: 'drift' });
  });

  it('never forces over an object without the managed-by label', () => {
    const theirs = served(vs('x', 10, { team: 'a' }));
    const [a] = plan(input('split:ns/web', [decorate(vs('x', 90), 'split:ns/web')], [theirs]));
    expect(a).to.include({ op: 'apply', force: false, verify: true });
  });

  it('prunes owned objects no longer desired, or hands them to the next claimant', () => {
    const unit = 'access:ns/api';
    const o = served(decorate(vs('x', 90), unit));
    expect(plan(input(unit, [], [o]))[0]?.op).to.equal('prune');
    const h = plan(input(unit, [], [o], { [nativeKey(o)]: [unit, 'split:ns/web'] }))[0];
    expect(h).to.include({ op: 'handover', to: 'split:ns/web' });
  });

  it('a shared object is written by exactly one unit: the smallest claimant', () => {
    const key = nativeKey(vs('x', 90));
    const claims = { [key]: ['split:ns/web', 'access:ns/web'] };
    const a = plan(input('split:ns/web', [decorate(vs('x', 90), 'split:ns/web')], [], claims))[0];
    const b = plan(input('access:ns/web', [decorate(vs('x', 90), 'access:ns/web')], [], claims))[0];
    expect(a).to.include({ op: 'defer', owner: 'access:ns/web' });
    expect(b?.op).to.equal('apply');
    expect(ownerOf(['b', 'a', 'c'])).to.equal('a');
  });

  it('is idempotent: after applying its plan, a second plan only skips', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 100 })), { maxLength: 6 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 }), (want, have) => {
        const unit = 'split:ns/web';
        const desired = [...new Map(want.map(([n, w]) => [n, decorate(vs(n, w), unit)])).values()];
        let observed = [...new Set(have)].map((n) => served(decorate(vs(n, 33), unit)));
        for (const a of plan(input(unit, desired, observed))) {
          observed = observed.filter((o) => nativeKey(o) !== a.key);
          if (a.op === 'apply' || a.op === 'skip') observed.push(served(a.obj));
        }
        const again = plan(input(unit, desired, observed));
        expect(again.every((a) => a.op === 'skip')).to.equal(true);
        expect(again.length).to.equal(desired.length);
      }),
    );
  });

  it('hash annotation changes with content, not with key order', () => {
    const a = decorate({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n', namespace: 'ns' }, spec: { a: 1, b: 2 } }, 'u:ns/x');
    const b = decorate({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n', namespace: 'ns' }, spec: { b: 2, a: 1 } }, 'u:ns/x');
    const c = decorate({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n', namespace: 'ns' }, spec: { a: 1, b: 3 } }, 'u:ns/x');
    expect(a.metadata.annotations?.[HASH_ANNOTATION]).to.equal(b.metadata.annotations?.[HASH_ANNOTATION]);
    expect(a.metadata.annotations?.[HASH_ANNOTATION]).to.not.equal(c.metadata.annotations?.[HASH_ANNOTATION]);
  });
});

describe('mergeShared', () => {
  it("keeps the owner's values, fills what it lacks, and unions ownerReferences", async () => {
    const { mergeShared } = await import('../../../operator/controller/shared.js');
    const base = (uid: string, spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'consul.hashicorp.com/v1alpha1',
      kind: 'ServiceDefaults',
      metadata: { name: 'web', namespace: 'ns', ownerReferences: [{ apiVersion: 'v', kind: 'K', name: uid, uid }] },
      spec,
    });
    const m = mergeShared([base('a', { protocol: 'http' }), base('b', { protocol: 'tcp', mutualTLSMode: 'permissive' }), base('a', { x: [1] })]);
    expect(m.spec).to.deep.equal({ protocol: 'http', mutualTLSMode: 'permissive', x: [1] });
    expect(m.metadata.ownerReferences?.map((r) => r.uid)).to.deep.equal(['a', 'b']);
  });
});
