// The merge of one native object several units want: owner's version first, but a
// field that limits traffic takes the narrowest claimant's value.
import { expect } from 'chai';
import fc from 'fast-check';
import { mergeShared } from '../../../operator/controller/shared.js';
import type { KubeObject } from '../../../schemas/hub.js';

const rl = (unit: string, rps: number): KubeObject => ({
  apiVersion: 'policy.linkerd.io/v1alpha1',
  kind: 'HTTPLocalRateLimitPolicy',
  metadata: { name: 'rl-web-http', namespace: 'shop', ownerReferences: [{ apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'RateLimitPolicy', name: unit, uid: `uid-${unit}` }] },
  spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'web-http' }, total: { requestsPerSecond: rps } },
});

describe('operator: shared native objects', () => {
  it('a Linkerd rate limit two units want gets the lower rate, whichever unit owns it', () => {
    for (const versions of [[rl('a', 50), rl('b', 10)], [rl('b', 10), rl('a', 50)]]) {
      const m = mergeShared(versions);
      expect((m.spec as { total: { requestsPerSecond: number } }).total.requestsPerSecond).to.equal(10);
      expect(m.metadata.ownerReferences!.map((r) => r.name).sort()).to.deep.equal(['a', 'b']);
    }
  });

  it('never admits more than any claimant (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 6 }), (rates) => {
        const m = mergeShared(rates.map((r, i) => rl(`u${i}`, r)));
        expect((m.spec as { total: { requestsPerSecond: number } }).total.requestsPerSecond).to.equal(Math.min(...rates));
      }),
    );
  });

  it('other kinds keep the owner\'s value on a disagreement and fill what it lacks', () => {
    const a: KubeObject = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults', metadata: { name: 'web', namespace: 'shop' }, spec: { protocol: 'http' } };
    const b: KubeObject = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults', metadata: { name: 'web', namespace: 'shop' }, spec: { protocol: 'tcp', rateLimits: { instanceLevel: { requestsPerSecond: 5 } } } };
    expect(mergeShared([a, b]).spec).to.deep.equal({ protocol: 'http', rateLimits: { instanceLevel: { requestsPerSecond: 5 } } });
  });
});
