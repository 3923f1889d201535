// Policies end to end through the pure adapters, on the committed samples: one native
// object per host, each setting on the routes it governs, unsupported ones reported,
// conflicts and missing references.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, type MeshName, type ObjectResult } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { specErrors } from '../istio/crd-schema.js';
import { schemaErrors } from '../linkerd/crd-schema.js';
import { gamma as gammaInterpreter } from '../../../../conformance/interpret/gamma.js';

const SAMPLES = new URL('../../../../../config/samples/', import.meta.url);
const samples = (): KubeObject[] =>
  readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => yaml.loadAll(readFileSync(new URL(f, SAMPLES), 'utf8')) as KubeObject[])
    .filter((o) => o && o.kind);

function run(mesh: MeshName, objects = samples()) {
  const { snapshot, problems } = buildSnapshot(objects);
  expect(problems).to.deep.equal([]);
  return getAdapter(mesh).translate(snapshot, DEFAULT_MESH_OPTIONS);
}
const result = (results: ObjectResult[], ref: string) => results.find((r) => r.object === ref)!;
const find = (objs: KubeObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
type Http = { name: string; timeout?: string; retries?: Record<string, unknown>; fault?: unknown; mirror?: unknown; match?: unknown };

describe('policies', () => {
  describe('istio', () => {
    it('puts split, timeout, retries, fault and mirror of one host into ONE VirtualService', () => {
      const { objects } = run('istio');
      const website = objects.filter((o) => o.kind === 'VirtualService' && (o.spec as { hosts: string[] }).hosts[0] === 'website.smi-demo.svc.cluster.local');
      expect(website).to.have.length(1);
      const [route] = (website[0]!.spec as { http: Http[] }).http;
      expect(route!.timeout).to.equal('10s');
      expect(route!.retries).to.deep.equal({ attempts: 2, retryOn: 'gateway-error,connect-failure,reset', perTryTimeout: '3s', backoff: '0.025s' });
      expect(route!.fault).to.deep.equal({ delay: { fixedDelay: '0.5s', percentage: { value: 5 } }, abort: { httpStatus: 503, percentage: { value: 1 } } });
      expect(route!.mirror).to.deep.equal({ host: 'website-v2.smi-demo.svc.cluster.local' });
    });

    it('a policy narrowed to the A/B matches governs only that route, not the default', () => {
      const { objects, results } = run('istio');
      const http = (find(objects, 'VirtualService', 'smi-split-payments-ab')!.spec as { http: Http[] }).http;
      expect(http.map((r) => [r.name, r.timeout])).to.deep.equal([['ab-cohort/firefox-users', '5s'], ['smi-default', undefined]]);
      expect(result(results, 'TimeoutPolicy smi-demo/payments-firefox-timeout').messages).to.include('governs route(s) ab-cohort/firefox-users of VirtualService smi-demo/smi-split-payments-ab');
    });

    it('emits DestinationRule and Telemetry that fit the Istio CRD schemas; rate limit is Unsupported', () => {
      const { objects, results } = run('istio');
      const dr = find(objects, 'DestinationRule', 'smi-policy-payments')!;
      expect((dr.spec as { trafficPolicy: { outlierDetection: unknown } }).trafficPolicy.outlierDetection).to.deep.equal({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
      expect(find(objects, 'Telemetry', 'smi-tracing-website')).to.not.equal(undefined);
      for (const o of objects) expect(specErrors(o), `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
      expect(result(results, 'RateLimitPolicy smi-demo/payments-rate').status).to.equal('Unsupported');
      const kinds = new Set(getAdapter('istio').nativeKinds.map((k) => k.kind));
      for (const o of objects) expect(kinds.has(o.kind), o.kind).to.equal(true);
    });

    it('outlier detection on gateway errors alone switches off the 5xx ejection Envoy would otherwise apply', () => {
      const objs = samples().map((o) => (o.kind === 'CircuitBreakerPolicy' ? ({ ...o, spec: { ...(o.spec as object), outlierDetection: { consecutiveGatewayErrors: 3 } } } as KubeObject) : o));
      const od = (find(run('istio', objs).objects, 'DestinationRule', 'smi-policy-payments')!.spec as { trafficPolicy: { outlierDetection: unknown } }).trafficPolicy.outlierDetection;
      expect(od).to.deep.equal({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 });
    });

    it('without a split: a VirtualService to the Service itself carries the policy', () => {
      const objs = samples().filter((o) => o.kind !== 'TrafficSplit');
      const { objects } = run('istio', objs);
      const vs = find(objects, 'VirtualService', 'smi-policy-website')!;
      const http = (vs.spec as { http: Array<Http & { route: unknown }> }).http;
      expect(http).to.have.length(1);
      expect(http[0]!.route).to.deep.equal([{ destination: { host: 'website.smi-demo.svc.cluster.local' } }]);
      expect(http[0]!.timeout).to.equal('10s');
    });
  });

  it('linkerd: timeouts on the split rules they govern, retries as route annotations, the rest Unsupported', () => {
    const { objects, results } = run('linkerd');
    const ab = find(objects, 'HTTPRoute', 'ts-payments-ab-80')!;
    const rules = (ab.spec as { rules: Array<{ timeouts?: unknown }> }).rules;
    expect(rules.map((r) => r.timeouts)).to.deep.equal([{ request: '5s' }, undefined]);
    const canary = find(objects, 'HTTPRoute', 'ts-website-canary-80')!;
    const { 'smi-operator.io/sources': sources, ...retry } = canary.metadata.annotations ?? {};
    expect(retry).to.deep.equal({ 'retry.linkerd.io/limit': '2', 'retry.linkerd.io/http': '502-504', 'retry.linkerd.io/timeout': '3s' });
    // Every contributor is recorded: the split and the policy that joined its route.
    expect(sources?.split(',')).to.include('TrafficSplit/smi-demo/website-canary').and.to.have.length.greaterThan(1);
    expect((canary.spec as { rules: Array<{ timeouts?: unknown }> }).rules[0]!.timeouts).to.deep.equal({ request: '10s', backendRequest: '3s' });
    for (const k of ['FaultInjectionPolicy smi-demo/website-chaos', 'MirrorPolicy smi-demo/website-shadow', 'CircuitBreakerPolicy smi-demo/payments-breaker', 'TracingPolicy smi-demo/website-tracing']) {
      expect(result(results, k).status, k).to.equal('Unsupported');
    }
  });

  it('consul: one ServiceRouter per service carries the policies; a two-protocol Service gets none (reported)', () => {
    const { objects, results } = run('consul');
    // payments declares http (port 80) and grpc (port 9000): a Consul service has one protocol, so
    // neither its A/B split nor its policies are rendered, and each says why.
    expect(objects.filter((o) => o.kind === 'ServiceRouter' && o.metadata.name === 'payments')).to.have.length(0);
    for (const k of ['TimeoutPolicy smi-demo/payments-firefox-timeout', 'RateLimitPolicy smi-demo/payments-rate']) {
      expect(result(results, k).status, k).to.equal('Unsupported');
      expect(result(results, k).messages.join(' '), k).to.match(/one protocol/);
    }
    const routers = objects.filter((o) => o.kind === 'ServiceRouter' && o.metadata.name === 'website');
    expect(routers).to.have.length(1);
    const website = (routers[0]!.spec as { routes: Array<{ destination: Record<string, unknown>; match?: unknown }> }).routes;
    expect(website).to.deep.equal([{ destination: { service: 'website', numRetries: 2, retryOnConnectFailure: true, retryOn: ['gateway-error', 'reset'], requestTimeout: '10s' } }]);
    expect(result(results, 'FaultInjectionPolicy smi-demo/website-chaos').status).to.equal('Unsupported');
  });

  it('two policies of one kind on one Service: the oldest wins, the other is Conflict; a missing Service is InvalidReference', () => {
    const base = samples().find((o) => o.kind === 'TimeoutPolicy' && o.metadata.name === 'website-timeouts')!;
    const older = { ...base, metadata: { ...base.metadata, name: 'older', creationTimestamp: '2020-01-01T00:00:00Z' } };
    const newer = { ...base, metadata: { ...base.metadata, name: 'newer', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { ...(base.spec as object), request: '99s' } };
    const missing = { ...base, metadata: { ...base.metadata, name: 'ghost' }, spec: { ...(base.spec as object), targetRef: { kind: 'Service', name: 'nowhere' } } };
    const objs = [...samples().filter((o) => o.kind !== 'TimeoutPolicy'), older, newer, missing];
    for (const mesh of ['istio', 'linkerd', 'consul'] as const) {
      const { results } = run(mesh, objs);
      expect(result(results, 'TimeoutPolicy smi-demo/newer').status, mesh).to.equal('Conflict');
      expect(result(results, 'TimeoutPolicy smi-demo/newer').messages.join()).to.include('TimeoutPolicy smi-demo/older');
      expect(result(results, 'TimeoutPolicy smi-demo/older').status, mesh).to.equal('Accepted');
      expect(result(results, 'TimeoutPolicy smi-demo/ghost').status, mesh).to.equal('InvalidReference');
    }
    const { objects } = run('istio', objs);
    expect((find(objects, 'VirtualService', 'smi-split-website-canary')!.spec as { http: Http[] }).http[0]!.timeout).to.equal('10s');
  });

  it('a policy narrowed to a missing HTTPRouteGroup is not applied (never widened to every request)', () => {
    const base = samples().find((o) => o.kind === 'TimeoutPolicy' && o.metadata.name === 'website-timeouts')!;
    const narrowed = { ...base, spec: { ...(base.spec as object), matches: [{ kind: 'HTTPRouteGroup', name: 'nope' }] } };
    const objs = [...samples().filter((o) => o !== base && !(o.kind === 'TimeoutPolicy' && o.metadata.name === 'website-timeouts')), narrowed];
    const { objects, results } = run('istio', objs);
    expect(result(results, 'TimeoutPolicy smi-demo/website-timeouts').status).to.equal('InvalidReference');
    expect((find(objects, 'VirtualService', 'smi-split-website-canary')!.spec as { http: Http[] }).http[0]!.timeout).to.equal(undefined);
  });

  describe('consul', () => {
    it('a burst below the per-second rate lowers the rate to the burst (never a bucket larger than the policy\'s)', () => {
      const fixture = (yaml.loadAll(readFileSync(new URL('../../../../../test/fixtures/adapters/policy-rate-limit/all.yaml', import.meta.url), 'utf8')) as KubeObject[]).filter((o) => o && o.kind);
      const worker = fixture.find((o) => o.kind === 'RateLimitPolicy' && o.metadata.name === 'worker-rate')!;
      (worker.spec as { local: Record<string, unknown> }).local = { requests: 10, unit: 'second', burst: 3 };
      const { objects, results } = run('consul', fixture);
      const sd = find(objects, 'ServiceDefaults', 'worker')!;
      expect((sd.spec as { rateLimits: unknown }).rateLimits).to.deep.equal({ instanceLevel: { requestsPerSecond: 3, requestsMaxBurst: 3 } });
      expect(result(results, 'RateLimitPolicy shop/worker-rate').messages.join('\n')).to.match(/spec\.local\.burst: .*lowered to 3 per second/);
    });
  });

  describe('gamma', () => {
    type Rule = { matches?: Array<{ path?: { type: string; value: string }; method?: string }>; timeouts?: Record<string, string>; filters?: Array<{ type: string; requestMirror?: Record<string, unknown> }> };
    const rulesOf = (o: KubeObject | undefined) => (o!.spec as { rules: Rule[] }).rules;

    it('timeouts and RequestMirror on the split rules they govern; retries and the rest Unsupported; every object fits the standard-channel CRD', () => {
      const { objects, results } = run('gamma');
      const [rule] = rulesOf(find(objects, 'HTTPRoute', 'ts-website-canary-80'));
      expect(rule!.timeouts).to.deep.equal({ request: '10s', backendRequest: '3s' });
      expect(rule!.filters).to.deep.equal([{ type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: 'website-v2', port: 80 }, percent: 10 } }]);
      // The A/B policy governs the conditional rules only, not the catch-all.
      expect(rulesOf(find(objects, 'HTTPRoute', 'ts-payments-ab-80')).map((r) => r.timeouts)).to.deep.equal([{ request: '5s' }, undefined]);
      for (const k of ['RetryPolicy smi-demo/website-retries', 'FaultInjectionPolicy smi-demo/website-chaos', 'CircuitBreakerPolicy smi-demo/payments-breaker', 'RateLimitPolicy smi-demo/payments-rate', 'TracingPolicy smi-demo/website-tracing']) {
        expect(result(results, k).status, k).to.equal('Unsupported');
      }
      for (const k of ['TimeoutPolicy smi-demo/website-timeouts', 'MirrorPolicy smi-demo/website-shadow']) expect(result(results, k).status, k).to.equal('Accepted');
      for (const o of objects) expect(schemaErrors(o), `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
      expect(JSON.stringify(objects)).to.not.contain('"retry"');
    });

    it('a mirror Service without the route\'s port mirrors nothing there (Unsupported)', () => {
      const objs = samples().map((o) => (o.kind === 'MirrorPolicy' ? { ...o, spec: { ...(o.spec as object), backendRef: { name: 'website-v2', port: 8081 } } } : o));
      const { results } = run('gamma', objs);
      // backendRef.port is checked by the shared resolution first: a port the Service lacks is InvalidReference.
      expect(result(results, 'MirrorPolicy smi-demo/website-shadow').status).to.equal('InvalidReference');
      const noPort = samples().map((o) => (o.kind === 'Service' && o.metadata.name === 'website-v2' ? { ...o, spec: { ...(o.spec as object), ports: [{ name: 'http', port: 8080 }] } } : o));
      const r2 = run('gamma', noPort);
      expect(result(r2.results, 'MirrorPolicy smi-demo/website-shadow').status).to.equal('Unsupported');
      expect(JSON.stringify(r2.objects)).to.not.contain('RequestMirror');
    });

    it('a policy narrowed to a pathRegex on a Service without split: regex catch-all, and the condition governs only its requests (Istio\'s regex ranking)', () => {
      const objs = samples().filter((o) => o.kind !== 'TrafficSplit');
      const narrowed = objs.map((o) =>
        o.kind === 'TimeoutPolicy' && o.metadata.name === 'website-timeouts' ? { ...o, spec: { targetRef: { kind: 'Service', name: 'website' }, matches: [{ kind: 'HTTPRouteGroup', name: 'payments-api', matches: ['charges'] }], request: '7s' } } : o,
      );
      const { objects } = run('gamma', narrowed);
      const route = find(objects, 'HTTPRoute', 'policy-website-80')!;
      const rules = rulesOf(route);
      expect(rules.at(-1)!.matches).to.deep.equal([{ path: { type: 'RegularExpression', value: '.*' } }]);
      const world = { natives: objects, services: [], workloads: [], trustDomain: 'cluster.local', clusterDomain: 'cluster.local' };
      const svc = { namespace: 'smi-demo', name: 'website', ports: [{ port: 80, protocol: 'TCP' as const }] };
      const ask = (method: string, path: string) => gammaInterpreter.policy(world, { ns: 'smi-demo', service: svc, port: svc.ports[0]!, request: { method, path } }).timeoutMs;
      expect(ask('POST', '/api/v1/charges/42')).to.equal(7000);
      expect(ask('DELETE', '/api/v1/charges/42')).to.equal(undefined);
      expect(ask('GET', '/somewhere-else')).to.equal(undefined);
    });
  });
});
