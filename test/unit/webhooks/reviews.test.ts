import { expect } from 'chai';
import { reviewAdmission, type ReferenceLookup } from '../../../operator/webhooks/admission-review.js';
import { validateInput } from '../../../cli/commands/validate.js';
import { resolve } from '../../../adapters/common/resolve.js';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
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
  const NS = 'shop';
  const review = (object: unknown) => ({ request: { uid: 'adm', operation: 'CREATE', namespace: NS, object } });
  const meta = (name: string) => ({ name, namespace: NS });
  const svc = (name: string, ports = [80]): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `http-${port}`, port })) } } as KubeObject);
  const sa = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) });
  const group = (name: string, matches: string[]): KubeObject => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: meta(name), spec: { matches: matches.map((m) => ({ name: m, pathRegex: `/${m}` })) } } as KubeObject);
  const tcp = (name: string): KubeObject => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta(name), spec: {} } as KubeObject);
  const udp = (name: string): KubeObject => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: meta(name), spec: {} } as KubeObject);
  /** The operator's cache holding `objects`: anything else is known not to exist. */
  const cache = (objects: KubeObject[]): ReferenceLookup => ({
    get: (kind, ns, name) => objects.find((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === ns && o.metadata.name === name) ?? null,
  });
  const world = [svc('web'), svc('web-v1'), svc('web-v2'), svc('web-8080', [8080]), sa('api'), sa('web'), group('ab', ['firefox']), tcp('any'), udp('dns')];
  const warnings = (obj: unknown, objects: KubeObject[] = world): string[] => {
    const r = reviewAdmission(review(obj), cache(objects));
    expect(r.response.allowed, JSON.stringify(r.response)).to.equal(true);
    return r.response.warnings ?? [];
  };
  const split = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name }, spec: { service: 'web', ...spec } });
  const target = (name: string, rules: unknown[], sources: Array<{ kind: string; name: string; namespace?: string }> = [{ kind: 'ServiceAccount', name: 'web' }]) => ({ apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: { name }, spec: { destination: { kind: 'ServiceAccount', name: 'api' }, sources, rules } });
  const policy = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'policy.smi-operator.io/v1alpha1', kind, metadata: { name }, spec });

  it('TrafficSplit: the root and backend Services, a backend lacking the root\'s port, a route group in matches', () => {
    expect(warnings(v1alpha1Split('s', [1, 1]), [svc('web'), svc('b0')])).to.deep.equal(['TrafficSplit shop/s: spec.backends[1].service: Service shop/b1 not found; the backend gets no traffic']);
    expect(warnings(split('root', { backends: [{ service: 'web-v1', weight: 1 }] }), world.filter((o) => o.metadata.name !== 'web'))).to.deep.equal(['TrafficSplit shop/root: spec.service: Service shop/web not found; the split is not applied']);
    expect(warnings(split('port', { backends: [{ service: 'web-v1', weight: 1 }, { service: 'web-8080', weight: 1 }] }))).to.deep.equal(['TrafficSplit shop/port: spec.backends[1].service: Service web-8080 has no port 80/TCP of the root Service web; the backend gets no traffic']);
    expect(warnings(split('ab', { backends: [{ service: 'web-v1', weight: 1 }], matches: [{ kind: 'HTTPRouteGroup', name: 'ab' }, { kind: 'HTTPRouteGroup', name: 'gone' }] }))).to.deep.equal(['TrafficSplit shop/ab: spec.matches[1].name: HTTPRouteGroup shop/gone not found (missing, or rejected as invalid)']);
    // A new backend at weight 0 before its Service is the documented rollout order: not a reference problem.
    expect(warnings(split('canary', { backends: [{ service: 'web-v1', weight: 100 }, { service: 'web-v3', weight: 0 }] }))).to.deep.equal([]);
    expect(warnings(split('fine', { backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }], matches: [{ kind: 'HTTPRouteGroup', name: 'ab' }] }))).to.deep.equal([]);
  });

  it('TrafficTarget: rules naming a missing HTTPRouteGroup (or match), TCPRoute or UDPRoute; missing ServiceAccounts', () => {
    expect(warnings(target('t', [{ kind: 'HTTPRouteGroup', name: 'ab', matches: ['firefox', 'safari'] }, { kind: 'HTTPRouteGroup', name: 'gone' }, { kind: 'TCPRoute', name: 'nope' }, { kind: 'UDPRoute', name: 'dns' }, { kind: 'UDPRoute', name: 'ntp' }]))).to.deep.equal([
      'TrafficTarget shop/t: spec.rules[0].matches[1]: HTTPRouteGroup shop/ab has no match named "safari"',
      'TrafficTarget shop/t: spec.rules[1].name: HTTPRouteGroup shop/gone not found (missing, or rejected as invalid); the rule allows nothing',
      'TrafficTarget shop/t: spec.rules[2].name: TCPRoute shop/nope not found (missing, or rejected as invalid); the rule allows nothing',
      'TrafficTarget shop/t: spec.rules[4].name: UDPRoute shop/ntp not found (missing, or rejected as invalid)',
    ]);
    expect(warnings(target('sa', [{ kind: 'TCPRoute', name: 'any' }], [{ kind: 'ServiceAccount', name: 'web', namespace: 'front' }]))).to.deep.equal(['TrafficTarget shop/sa: spec.sources[0].name: ServiceAccount front/web does not exist (yet)']);
    expect(warnings(target('ok', [{ kind: 'TCPRoute', name: 'any' }, { kind: 'HTTPRouteGroup', name: 'ab' }]))).to.deep.equal([]);
  });

  it('policies: the target Service, the HTTPRouteGroup narrowing, the MirrorPolicy mirror Service and port', () => {
    expect(warnings(policy('TimeoutPolicy', 'to', { targetRef: { kind: 'Service', name: 'shop-api' }, request: '5s' }))).to.deep.equal(['TimeoutPolicy shop/to: spec.targetRef.name: Service shop/shop-api not found; the policy is not applied']);
    expect(warnings(policy('RetryPolicy', 'narrow', { targetRef: { kind: 'Service', name: 'web' }, matches: [{ kind: 'HTTPRouteGroup', name: 'gone' }], attempts: 2, retryOn: ['5xx'] }))).to.deep.equal(['RetryPolicy shop/narrow: spec.matches[0].name: HTTPRouteGroup shop/gone not found (missing, or rejected as invalid)']);
    expect(warnings(policy('MirrorPolicy', 'shadow', { targetRef: { kind: 'Service', name: 'web' }, backendRef: { name: 'web-shadow' }, percentage: 10 }))).to.deep.equal(['MirrorPolicy shop/shadow: spec.backendRef.name: Service shop/web-shadow not found; nothing is mirrored']);
    expect(warnings(policy('MirrorPolicy', 'port', { targetRef: { kind: 'Service', name: 'web' }, backendRef: { name: 'web-v2', port: 9090 }, percentage: 10 }))).to.deep.equal(['MirrorPolicy shop/port: spec.backendRef.port: Service shop/web-v2 has no port 9090; nothing is mirrored']);
    expect(warnings(policy('TimeoutPolicy', 'ok', { targetRef: { kind: 'Service', name: 'web' }, matches: [{ kind: 'HTTPRouteGroup', name: 'ab' }], request: '5s' }))).to.deep.equal([]);
  });

  it('nothing known (cache not synced, namespace not watched) or no lookups: no warnings', () => {
    const unknown: ReferenceLookup = { get: () => undefined };
    for (const o of [v1alpha1Split('s', [1, 1]), target('t', [{ kind: 'TCPRoute', name: 'nope' }]), policy('TimeoutPolicy', 'to', { targetRef: { kind: 'Service', name: 'x' }, request: '5s' })]) {
      expect(reviewAdmission(review(o), unknown).response, JSON.stringify(o)).to.deep.equal({ uid: 'adm', allowed: true });
      expect(reviewAdmission(review(o)).response).to.deep.equal({ uid: 'adm', allowed: true });
    }
  });

  it('one rule set: every warning is what the operator\'s status (resolve) says for the same objects, and `smictl validate` fails them too', () => {
    const objects = [
      v1alpha1Split('s', [1, 1]),
      split('port', { backends: [{ service: 'web-v1', weight: 1 }, { service: 'web-8080', weight: 1 }] }),
      target('t', [{ kind: 'HTTPRouteGroup', name: 'ab', matches: ['safari'] }, { kind: 'TCPRoute', name: 'nope' }, { kind: 'UDPRoute', name: 'ntp' }]),
      policy('TimeoutPolicy', 'to', { targetRef: { kind: 'Service', name: 'shop-api' }, request: '5s' }),
      policy('MirrorPolicy', 'shadow', { targetRef: { kind: 'Service', name: 'web' }, backendRef: { name: 'web-shadow' }, percentage: 10 }),
    ];
    for (const o of objects) {
      const given = [...world, svc('b0')];
      const warned = warnings(o, given);
      expect(warned, JSON.stringify(o)).to.not.deep.equal([]);
      const all = [o, ...given].map((object) => ({ ...object, metadata: { namespace: NS, ...(object as KubeObject).metadata } }) as KubeObject);
      const ref = `${all[0]!.kind} ${NS}/${all[0]!.metadata.name}`;
      const result = resolve(buildSnapshot(all).snapshot, DEFAULT_MESH_OPTIONS).results.find((r) => r.object === ref);
      expect(result?.status, ref).to.equal('InvalidReference');
      for (const w of warned) expect(result!.messages.map((m) => `${ref}: ${m}`), w).to.include(w);
      const lines = validateInput({ objects: all.map((object, i) => ({ source: `f${i}`, object })), errors: [] }).lines;
      expect(lines.some((l) => l.startsWith(`f0: ${ref}: `)), `${ref}: ${lines.join('\n')}`).to.equal(true);
    }
  });
});
