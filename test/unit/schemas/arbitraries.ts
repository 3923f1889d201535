// fast-check generators of valid SMI objects, per kind and version.
import fc from 'fast-check';
import type { KubeObject } from '../../../schemas/hub.js';
import { isPolicyKind, type PolicyKind } from '../../../schemas/policy-types.js';

const dnsName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const port = fc.integer({ min: 1, max: 65535 });

const metadata = fc.record(
  {
    name: dnsName,
    namespace: dnsName,
    labels: fc.dictionary(fc.constantFrom('app', 'team', 'tier'), dnsName, { maxKeys: 2 }),
    annotations: fc.dictionary(fc.constantFrom('example.com/owner', 'note'), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 2 }),
    generation: fc.integer({ min: 1, max: 100 }),
  },
  { requiredKeys: ['name'] },
);

const condition = fc.record({
  type: fc.constantFrom('Accepted', 'Ready'),
  status: fc.constantFrom('True', 'False', 'Unknown'),
  reason: fc.constantFrom('Valid', 'InvalidReference'),
  message: fc.string({ maxLength: 10 }),
  lastTransitionTime: fc.constant('2026-01-01T00:00:00Z'),
});
const status = fc.record({ observedGeneration: fc.nat(50), conditions: fc.uniqueArray(condition, { maxLength: 2, selector: (c) => c.type }) }, { requiredKeys: [] });

function object(apiVersion: string, kind: string, body: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<KubeObject> {
  return fc.tuple(metadata, body, fc.option(status, { nil: undefined })).map(([m, b, s]) => {
    const o: KubeObject = { apiVersion, kind, metadata: m, ...b };
    if (s !== undefined) o.status = s;
    return o;
  });
}

/** Quantities whose common unit keeps every weight a safe integer. */
const quantity = fc.oneof(
  fc.nat(1000),
  fc.nat(1000).map((n) => `${n}m`),
  fc.nat(1000).map(String),
  fc.nat(99).map((n) => `${n}k`),
  fc.tuple(fc.nat(99), fc.integer({ min: 1, max: 9 })).map(([a, b]) => `${a}.${b}`),
  fc.nat(8).map((n) => `${n}Ki`),
);

const backends = (weight: fc.Arbitrary<unknown>) => fc.array(fc.record({ service: dnsName, weight }), { minLength: 1, maxLength: 4 });
const splitMatches = fc.array(fc.record({ kind: fc.constant('HTTPRouteGroup'), name: dnsName }), { minLength: 1, maxLength: 2 });

function split(version: string): fc.Arbitrary<KubeObject> {
  const weight = version === 'v1alpha1' ? quantity : fc.nat(10000);
  const spec = version === 'v1alpha3' || version === 'v1alpha4'
    ? fc.record({ service: dnsName, backends: backends(weight), matches: splitMatches }, { requiredKeys: ['service', 'backends'] })
    : fc.record({ service: dnsName, backends: backends(weight) });
  return object(`split.smi-spec.io/${version}`, 'TrafficSplit', spec.map((s) => ({ spec: s })));
}

const subject = (withPort: boolean) =>
  fc.record(
    { kind: fc.constant('ServiceAccount'), name: dnsName, namespace: dnsName, ...(withPort ? { port } : {}) },
    { requiredKeys: ['kind', 'name'] },
  );
const rule = (kinds: string[]) =>
  fc.record({ kind: fc.constantFrom(...kinds), name: dnsName, matches: fc.array(dnsName, { maxLength: 2 }) }, { requiredKeys: ['kind', 'name'] });

function target(version: string): fc.Arbitrary<KubeObject> {
  const old = version !== 'v1alpha3';
  const kinds = old ? ['HTTPRouteGroup', 'TCPRoute'] : ['HTTPRouteGroup', 'TCPRoute', 'UDPRoute'];
  const rulesKey = version === 'v1alpha1' ? 'specs' : 'rules';
  const body = fc.record(
    { destination: subject(old), [rulesKey]: fc.array(rule(kinds), { minLength: 1, maxLength: 3 }), sources: fc.array(subject(false), { minLength: 1, maxLength: 3 }) },
    { requiredKeys: old ? ['destination'] : ['destination', rulesKey, 'sources'] },
  );
  return object(`access.smi-spec.io/${version}`, 'TrafficTarget', version === 'v1alpha1' ? body : body.map((s) => ({ spec: s })));
}

const method = fc.constantFrom('*', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH');
const httpMatch = (withHeaders: boolean) =>
  fc.record(
    {
      name: dnsName,
      pathRegex: fc.constantFrom('/api/.*', '/metrics', '.*'),
      methods: fc.uniqueArray(method, { minLength: 1, maxLength: 3 }),
      ...(withHeaders ? { headers: fc.dictionary(fc.constantFrom('user-agent', 'cookie', 'x-canary'), fc.constantFrom('.*Firefox.*', '^true$'), { minKeys: 1, maxKeys: 2 }) } : {}),
    },
    { requiredKeys: ['name'] },
  );

function routeGroup(version: string): fc.Arbitrary<KubeObject> {
  const matches = fc.uniqueArray(httpMatch(version !== 'v1alpha1'), { minLength: 1, maxLength: 3, selector: (m) => m.name });
  const body = version === 'v1alpha1' || version === 'v1alpha2' ? matches.map((m) => ({ matches: m })) : matches.map((m) => ({ spec: { matches: m } }));
  return object(`specs.smi-spec.io/${version}`, 'HTTPRouteGroup', body);
}

const portMatch = fc.record({ name: dnsName, ports: fc.array(port, { maxLength: 3 }) }, { requiredKeys: ['ports'] });

function l4(kind: string, version: string): fc.Arbitrary<KubeObject> {
  if (version === 'v1alpha1' || version === 'v1alpha2') return object(`specs.smi-spec.io/${version}`, kind, fc.constant({}));
  if (version === 'v1alpha3') return object(`specs.smi-spec.io/${version}`, kind, fc.constant({ spec: {} }));
  return object(`specs.smi-spec.io/${version}`, kind, fc.record({ matches: portMatch }, { requiredKeys: [] }).map((s) => ({ spec: s })));
}

export function validObject(kind: string, version: string): fc.Arbitrary<KubeObject> {
  switch (kind) {
    case 'TrafficSplit':
      return split(version);
    case 'TrafficTarget':
      return target(version);
    case 'HTTPRouteGroup':
      return routeGroup(version);
    case 'TCPRoute':
    case 'UDPRoute':
      return l4(kind, version);
    default:
      if (isPolicyKind(kind)) return policy(kind);
      throw new Error(`no generator for ${kind}`);
  }
}

const duration = fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.constantFrom('h', 'm', 's', 'ms')).map(([n, u]) => `${n}${u}`);
const pct = fc.integer({ min: 0, max: 100 });
const svcName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const routeRefs = fc.array(fc.record({ kind: fc.constant('HTTPRouteGroup'), name: svcName, matches: fc.array(svcName, { maxLength: 2 }) }, { requiredKeys: ['kind', 'name'] }), { maxLength: 2 });

/** A valid policy.smi-operator.io object: every semantic rule holds (durations ordered, at least one setting). */
function policy(kind: PolicyKind): fc.Arbitrary<KubeObject> {
  const base = { targetRef: fc.record({ kind: fc.constant('Service'), name: svcName }) };
  const withMatches = { ...base, matches: routeRefs };
  let body: fc.Arbitrary<Record<string, unknown>>;
  switch (kind) {
    case 'TimeoutPolicy':
      body = fc.record({ ...withMatches, request: fc.constant('30s'), backendRequest: fc.constantFrom('1s', '500ms'), idle: duration, connect: duration }, { requiredKeys: ['targetRef', 'request'] });
      break;
    case 'RetryPolicy':
      body = fc.record(
        { ...withMatches, attempts: fc.integer({ min: 0, max: 10 }), perTryTimeout: duration, retryOn: fc.uniqueArray(fc.constantFrom('5xx', 'gateway-error', 'connect-failure', 'reset'), { minLength: 1 }), statusCodes: fc.array(fc.integer({ min: 400, max: 599 }), { maxLength: 3 }), backoff: fc.constant({ baseInterval: '25ms', maxInterval: '1s' }) },
        { requiredKeys: ['targetRef', 'attempts', 'retryOn'] },
      );
      break;
    case 'CircuitBreakerPolicy':
      body = fc.record({ ...base, connectionPool: fc.record({ maxConnections: fc.integer({ min: 1, max: 1000 }), maxPendingRequests: fc.integer({ min: 1, max: 1000 }) }), outlierDetection: fc.record({ consecutive5xxErrors: fc.integer({ min: 0, max: 20 }), interval: duration, maxEjectionPercent: pct }, { requiredKeys: ['consecutive5xxErrors'] }) }, { requiredKeys: ['targetRef', 'connectionPool'] });
      break;
    case 'FaultInjectionPolicy':
      body = fc.record({ ...withMatches, delay: fc.record({ fixedDelay: duration, percentage: pct }), abort: fc.record({ httpStatus: fc.integer({ min: 200, max: 599 }), percentage: pct }) }, { requiredKeys: ['targetRef', 'abort'] });
      break;
    case 'MirrorPolicy':
      body = fc.record({ ...withMatches, backendRef: fc.record({ name: svcName, port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: ['name'] }), percentage: pct }, { requiredKeys: ['targetRef', 'backendRef'] });
      break;
    case 'RateLimitPolicy':
      body = fc.record({ ...withMatches, local: fc.record({ requests: fc.integer({ min: 1, max: 10000 }), unit: fc.constantFrom('second', 'minute', 'hour'), burst: fc.integer({ min: 1, max: 10000 }), responseStatusCode: fc.integer({ min: 400, max: 599 }) }, { requiredKeys: ['requests', 'unit'] }) }, { requiredKeys: ['targetRef', 'local'] });
      break;
    case 'TracingPolicy':
      body = fc.record({ ...base, samplingPercentage: pct, provider: svcName }, { requiredKeys: ['targetRef', 'samplingPercentage'] });
      break;
  }
  return object('policy.smi-operator.io/v1alpha1', kind, body.map((spec) => ({ spec })));
}
