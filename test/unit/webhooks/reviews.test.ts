import { expect } from 'chai';
import { reviewAdmission } from '../../../operator/webhooks/admission-review.js';
import { reviewConversion } from '../../../operator/webhooks/conversion-review.js';

const v1alpha1Split = (name: string, weights: unknown[]) => ({
  apiVersion: 'split.smi-spec.io/v1alpha1',
  kind: 'TrafficSplit',
  metadata: { name, namespace: 'shop', uid: `uid-${name}` },
  spec: { service: 'web', backends: weights.map((weight, i) => ({ service: `b${i}`, weight })) },
});

describe('reviewConversion', () => {
  it('converts every object to the desired version and echoes the uid', () => {
    const r = reviewConversion({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: { uid: 'req-1', desiredAPIVersion: 'split.smi-spec.io/v1alpha4', objects: [v1alpha1Split('a', [1, '500m']), v1alpha1Split('b', [3])] },
    });
    expect(r.response.uid).to.equal('req-1');
    expect(r.response.result).to.deep.equal({ status: 'Success' });
    expect(r.response.convertedObjects.map((o) => [o.apiVersion, o.metadata.uid, (o.spec as { backends: Array<{ weight: number }> }).backends.map((b) => b.weight)])).to.deep.equal([
      ['split.smi-spec.io/v1alpha4', 'uid-a', [1000, 500]],
      ['split.smi-spec.io/v1alpha4', 'uid-b', [3]],
    ]);
  });

  it('fails the whole review with every problem when an object cannot convert', () => {
    const r = reviewConversion({ request: { uid: 'req-2', desiredAPIVersion: 'split.smi-spec.io/v1alpha2', objects: [v1alpha1Split('bad', ['x']), v1alpha1Split('ok', [1])] } });
    expect(r.response.result.status).to.equal('Failure');
    expect(r.response.result.message).to.equal('TrafficSplit shop/bad: spec.backends[0].weight: must be a whole number or a Kubernetes quantity such as 100m');
    expect(r.response.convertedObjects).to.deep.equal([]);
  });

  it('answers a malformed review with a Failure, not an exception', () => {
    expect(reviewConversion(null).response.result).to.deep.equal({ status: 'Failure', message: 'ConversionReview: request needs uid, desiredAPIVersion and objects' });
    expect(reviewConversion({ request: { uid: 'u', desiredAPIVersion: 'split.smi-spec.io/v1alpha4', objects: 'no' } }).response.uid).to.equal('u');
  });
});

describe('reviewAdmission', () => {
  const review = (object: unknown, extra: Record<string, unknown> = {}) => ({ request: { uid: 'adm', operation: 'CREATE', namespace: 'shop', object, ...extra } });

  it('denies an invalid SMI object with every problem, one per line', () => {
    const bad = { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'x' }, spec: { service: 'web', backends: [{ service: 'web', weight: -1 }] } };
    const r = reviewAdmission(review(bad));
    expect(r.response.allowed).to.equal(false);
    expect(r.response.uid).to.equal('adm');
    expect(r.response.status?.code).to.equal(422);
    expect(r.response.status?.message.split('\n')).to.deep.equal([
      // The namespace comes from the request when the object omits it.
      'TrafficSplit shop/x: spec.backends[0].weight: must be a non-negative whole number, got -1',
      'TrafficSplit shop/x: spec.backends: at least one backend needs a positive weight',
    ]);
  });

  it('allows valid SMI objects, non-SMI objects and deletes', () => {
    const good = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 't' }, spec: { matches: { ports: [80] } } };
    expect(reviewAdmission(review(good)).response).to.deep.equal({ uid: 'adm', allowed: true });
    expect(reviewAdmission(review({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).response.allowed).to.equal(true);
    expect(reviewAdmission(review(null, { operation: 'DELETE' })).response.allowed).to.equal(true);
  });

  it('denies an SMI group object at a version that is not served', () => {
    const r = reviewAdmission(review({ apiVersion: 'access.smi-spec.io/v1alpha4', kind: 'TrafficTarget', metadata: { name: 'tt' }, spec: {} }));
    expect(r.response.status?.message).to.equal('TrafficTarget shop/tt: apiVersion: version access.smi-spec.io/v1alpha4 of TrafficTarget is not served (served: v1alpha1, v1alpha2, v1alpha3)');
  });

  it('names kind as the field at fault for a kind the SMI group does not have', () => {
    const r = reviewAdmission(review({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'Trafficsplit', metadata: { name: 'ts' }, spec: {} }));
    expect(r.response.status?.message).to.equal('Trafficsplit shop/ts: kind: kind Trafficsplit is not served in group split.smi-spec.io; did you mean TrafficSplit?');
  });

  it('denies with the rule problems too when part of the object has the wrong type', () => {
    const bad = { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'x' }, spec: { service: 'web', backends: [{ service: 'v2', weight: 1 }, { service: 'v2', weight: '5' }] } };
    expect(reviewAdmission(review(bad)).response.status?.message.split('\n')).to.deep.equal([
      'TrafficSplit shop/x: spec.backends[1].weight: must be integer',
      'TrafficSplit shop/x: spec.backends[1].service: duplicate backend v2 (also spec.backends[0])',
    ]);
  });

  it('admits the split Argo Rollouts creates by default (v1alpha1, the stable Service is root and backend)', () => {
    const argo = {
      apiVersion: 'split.smi-spec.io/v1alpha1',
      kind: 'TrafficSplit',
      metadata: { name: 'rollouts-demo', ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'rollouts-demo', uid: 'u', controller: true, blockOwnerDeletion: true }] },
      spec: { service: 'rollouts-demo-stable', backends: [{ service: 'rollouts-demo-canary', weight: '0' }, { service: 'rollouts-demo-stable', weight: '100' }] },
    };
    expect(reviewAdmission(review(argo)).response).to.deep.equal({ uid: 'adm', allowed: true });
  });

  it('denies a review without a request', () => {
    expect(reviewAdmission({}).response.allowed).to.equal(false);
  });
});

describe('review handlers on arbitrary input', () => {
  it('always answer with a well-formed review, never throw', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 4 }), (junk, object) => {
        for (const body of [junk, { request: junk }, { request: { uid: 'x', operation: 'CREATE', object } }, { request: { uid: 'x', desiredAPIVersion: 'split.smi-spec.io/v1alpha1', objects: [object] } }]) {
          const a = reviewAdmission(body);
          expect(a.kind).to.equal('AdmissionReview');
          expect(a.response.allowed).to.be.a('boolean');
          const c = reviewConversion(body);
          expect(c.response.result.status).to.be.oneOf(['Success', 'Failure']);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('reviewAdmission: warnings for references that do not resolve yet', () => {
  const review = (object: unknown) => ({ request: { uid: 'adm', operation: 'CREATE', namespace: 'shop', object } });
  const known = (names: string[]) => (ns: string, n: string): boolean => names.includes(`${ns}/${n}`);
  const refs = { service: known(['shop/web', 'shop/b0']), serviceAccount: known(['shop/api']) };

  it('allows a split whose backend Service is missing, with a warning naming it', () => {
    const r = reviewAdmission(review(v1alpha1Split('s', [1, 1])), refs);
    expect(r.response.allowed).to.equal(true);
    expect(r.response.warnings).to.deep.equal(['TrafficSplit shop/s: spec.backends[1].service: Service shop/b1 does not exist (yet); this backend gets no traffic until it does']);
  });

  it('warns for missing ServiceAccounts of a TrafficTarget; none when all resolve or nothing is known', () => {
    const tt = { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: { name: 't', namespace: 'shop' }, spec: { destination: { kind: 'ServiceAccount', name: 'api' }, sources: [{ kind: 'ServiceAccount', name: 'web', namespace: 'front' }], rules: [{ kind: 'TCPRoute', name: 'tcp' }] } };
    expect(reviewAdmission(review(tt), refs).response.warnings).to.deep.equal(['TrafficTarget shop/t: spec.sources[0].name: ServiceAccount front/web does not exist (yet)']);
    const all = { service: () => true, serviceAccount: () => true };
    expect(reviewAdmission(review(tt), all).response).to.not.have.property('warnings');
    const unknown = { service: () => undefined, serviceAccount: () => undefined };
    expect(reviewAdmission(review(tt), unknown).response).to.not.have.property('warnings');
    expect(reviewAdmission(review(tt)).response).to.deep.equal({ uid: 'adm', allowed: true });
  });
});
