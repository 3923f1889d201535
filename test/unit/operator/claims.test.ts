// Claims keep a hash of each unit's objects (the canonical JSON too while another unit wants the
// same object): a re-translation with the same content (in any key order) changes nothing, a
// different one tells the other claimants, and the owner of a shared object applies the merge of
// every claimant's version.

import { expect } from 'chai';
import fc from 'fast-check';
import { Claims } from '../../../operator/controller/claims.js';
import { HASH_ANNOTATION } from '../../../operator/controller/labels.js';
import { mergeShared } from '../../../operator/controller/shared.js';
import type { KubeObject } from '../../../schemas/hub.js';

const defaults = (spec: Record<string, unknown>, uid: string): KubeObject =>
  ({ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults', metadata: { name: 'web', namespace: 'shop', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: uid, uid }] }, spec }) as KubeObject;

describe('Claims', () => {
  it('the same content in another key order is no change; a different one tells the other claimants', () => {
    const c = new Claims();
    expect([...c.set('access:shop/web', [defaults({ protocol: 'http', mode: 'a' }, 'u1')])]).to.deep.equal([]);
    expect([...c.set('split:shop/web', [defaults({ protocol: 'http' }, 'u2')])]).to.deep.equal(['access:shop/web']);
    const reordered = { ...defaults({ mode: 'a', protocol: 'http' }, 'u1') };
    expect([...c.set('access:shop/web', [reordered])]).to.deep.equal([]);
    expect([...c.set('access:shop/web', [defaults({ protocol: 'tcp', mode: 'a' }, 'u1')])]).to.deep.equal(['split:shop/web']);
    expect(c.claimantsOf('consul.hashicorp.com/ServiceDefaults/shop/web').sort()).to.deep.equal(['access:shop/web', 'split:shop/web']);
  });

  it('the owner (smallest unit key) applies the merge of every version; the other applies its own', () => {
    const c = new Claims();
    const a = [defaults({ protocol: 'http', mode: 'a' }, 'u1')];
    const b = [defaults({ protocol: 'grpc', extra: { x: 1 } }, 'u2')];
    c.set('access:shop/web', a);
    c.set('split:shop/web', b);
    // access: (the owner) was recorded while the object was its alone: set again now it is shared.
    c.set('access:shop/web', a);
    const [owned] = c.desiredFor('access:shop/web', a) as Array<KubeObject & { spec: unknown }>;
    expect(owned!.spec).to.deep.equal({ protocol: 'http', mode: 'a', extra: { x: 1 } });
    expect(owned!.metadata.ownerReferences!.map((r) => r.uid)).to.deep.equal(['u1', 'u2']);
    expect(owned!.metadata.annotations?.[HASH_ANNOTATION]).to.be.a('string');
    const [own] = c.desiredFor('split:shop/web', b) as Array<KubeObject & { spec: unknown }>;
    expect(own!.spec).to.deep.equal({ protocol: 'grpc', extra: { x: 1 } });
    // Without the fresh objects (e.g. a unit read back), the recorded version is used.
    expect(c.desiredFor('access:shop/web', [])).to.deep.equal([owned]);
  });

  it('keeps only a hash of an object no other unit wants; lacking() names the claimant an owner must translate again', () => {
    const c = new Claims();
    const a = [defaults({ protocol: 'http' }, 'u1')];
    const b = [defaults({ protocol: 'grpc' }, 'u2')];
    c.set('split:shop/web', b);
    expect(() => c.desiredFor('split:shop/web', []), 'an unshared version is not kept').to.throw(/not recorded/);
    expect(c.desiredFor('split:shop/web', b)).to.have.length(1);
    // access: joins and owns the object; split:'s version is known by hash only.
    c.set('access:shop/web', a);
    expect(c.lacking('access:shop/web')).to.deep.equal(['split:shop/web']);
    expect(c.lacking('split:shop/web'), 'a non-owner merges nothing').to.deep.equal([]);
    expect(() => c.desiredFor('access:shop/web', a)).to.throw(/split:shop\/web wants is not recorded/);
    expect([...c.set('split:shop/web', b)], 'the same content: nobody to tell').to.deep.equal([]);
    expect(c.lacking('access:shop/web')).to.deep.equal([]);
    const [merged] = c.desiredFor('access:shop/web', a);
    expect(merged!.metadata.ownerReferences!.map((r) => r.uid)).to.deep.equal(['u1', 'u2']);
    // split: leaves: access: is alone again and its version goes back to a hash. split: joining
    // again keeps its version (access: is there), so the owner lacks nothing.
    c.set('split:shop/web', []);
    expect(() => c.desiredFor('access:shop/web', [])).to.throw(/not recorded/);
    c.set('split:shop/web', b);
    expect(c.lacking('access:shop/web')).to.deep.equal([]);
    expect(c.desiredFor('access:shop/web', a)).to.deep.equal([merged]);
  });
});

describe('Claims of units that want nothing', () => {
  it('are not kept; wanting something again is recorded and tells the other claimants as before', () => {
    const c = new Claims();
    const a = [defaults({ protocol: 'http' }, 'u1')];
    expect([...c.set('route:shop/HTTPRouteGroup/r', [])]).to.deep.equal([]);
    expect(c.has('route:shop/HTTPRouteGroup/r')).to.equal(false);
    c.set('split:shop/web', a);
    c.set('access:shop/web', a);
    expect(c.has('access:shop/web')).to.equal(true);
    // access: lets go: split: is told, and is the only claimant left.
    expect([...c.set('access:shop/web', [])]).to.deep.equal(['split:shop/web']);
    expect(c.has('access:shop/web')).to.equal(false);
    expect(c.claimantsOf('consul.hashicorp.com/ServiceDefaults/shop/web')).to.deep.equal(['split:shop/web']);
    expect(c.lacking('split:shop/web')).to.deep.equal([]);
    expect(c.desiredFor('split:shop/web', a)).to.have.length(1);
    expect([...c.set('access:shop/web', a)]).to.deep.equal(['split:shop/web']);
    expect(c.has('access:shop/web')).to.equal(true);
  });
});

describe('Claims against a model that keeps every version', () => {
  // The old Claims: every unit's version of every object kept whole.
  class Model {
    readonly byUnit = new Map<string, Map<string, KubeObject>>();
    set(unit: string, objects: readonly KubeObject[]): Set<string> {
      const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
      const next = new Map(objects.map((o) => [key(o), o]));
      const prev = this.byUnit.get(unit) ?? new Map<string, KubeObject>();
      const affected = new Set<string>();
      for (const k of new Set([...prev.keys(), ...next.keys()])) {
        const a = prev.get(k);
        const b = next.get(k);
        if (a && b && JSON.stringify(a.spec) === JSON.stringify(b.spec)) continue;
        for (const u of this.claimantsOf(k)) if (u !== unit) affected.add(u);
      }
      this.byUnit.set(unit, next);
      return affected;
    }
    claimantsOf(k: string): string[] {
      return [...this.byUnit].filter(([, m]) => m.has(k)).map(([u]) => u);
    }
  }
  const obj = (name: string, v: number, uid: string): KubeObject => ({ apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults', metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: uid, uid }] }, spec: { protocol: v % 2 ? 'http' : 'grpc', v } }) as KubeObject;

  it('tells the same claimants, and an owner that translates the lacking claimants again applies the same merge', () => {
    const units = ['access:shop/a', 'access:shop/b', 'split:shop/a'];
    const step = fc.record({ unit: fc.constantFrom(...units), objects: fc.uniqueArray(fc.record({ name: fc.constantFrom('x', 'y', 'z'), v: fc.integer({ min: 0, max: 2 }) }), { selector: (o) => o.name, maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const c = new Claims();
        const m = new Model();
        const last = new Map<string, KubeObject[]>();
        for (const { unit, objects } of steps) {
          const os = objects.map((o) => obj(o.name, o.v, unit));
          expect([...c.set(unit, os)].sort()).to.deep.equal([...m.set(unit, os)].sort());
          last.set(unit, os);
          for (const n of ['x', 'y', 'z']) expect(c.claimantsOf(`consul.hashicorp.com/ServiceDefaults/shop/${n}`).sort()).to.deep.equal(m.claimantsOf(`ServiceDefaults/${n}`).sort());
          // What the reconciler does before desiredFor.
          for (const other of c.lacking(unit)) c.set(other, last.get(other)!);
          const got = c.desiredFor(unit, os);
          const want = os.map((o) => {
            const others = m.claimantsOf(`ServiceDefaults/${o.metadata.name}`).filter((u) => u !== unit).sort();
            if (others.length === 0 || [unit, ...others].sort()[0] !== unit) return o;
            return mergeShared([o, ...others.map((u) => m.byUnit.get(u)!.get(`ServiceDefaults/${o.metadata.name}`)!)]);
          });
          expect(got.map(({ metadata: { annotations: _a, labels: _l, ...meta }, ...rest }) => ({ ...rest, metadata: meta }))).to.deep.equal(want.map((o) => JSON.parse(JSON.stringify(o)) as KubeObject));
        }
      }),
      { numRuns: 200 },
    );
  });
});
