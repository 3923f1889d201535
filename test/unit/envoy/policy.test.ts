// Route and cluster settings on hand-written xDS fragments, with Envoy's documented defaults
// (route_components.proto, outlier_detection.proto, circuit_breaker.proto).

import { expect } from 'chai';
import { clusterSettings, durationMs, fractionalPercent, routeSettings } from '../../../conformance/envoy/policy.js';
import { Refusal } from '../../../conformance/envoy/refuse.js';
import { routeRequest } from '../../../conformance/envoy/route.js';

const FAULT = 'envoy.filters.http.fault';
const rs = (action: Record<string, unknown>, o: { vhostRetry?: unknown; perFilter?: Record<string, unknown>; headers?: Record<string, string>; faults?: string[] } = {}) =>
  routeSettings({ cluster: 'c', ...action }, o.vhostRetry, o.perFilter, o.faults ?? [FAULT], o.headers, 'route');
const HPO = 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

describe('envoy evaluator: route and cluster settings', () => {
  it('reads durations and fractional percentages as protojson writes them', () => {
    expect(durationMs('5s', 'd')).to.equal(5000);
    expect(durationMs('0.500s', 'd')).to.equal(500);
    expect(durationMs('0s', 'd')).to.equal(0);
    expect(() => durationMs('5m', 'd')).to.throw(Refusal);
    expect(fractionalPercent({ numerator: 50000, denominator: 'MILLION' }, 'p')).to.equal(5);
    expect(fractionalPercent({ numerator: 7 }, 'p')).to.equal(7);
    expect(fractionalPercent({ numerator: 25, denominator: 'TEN_THOUSAND' }, 'p')).to.equal(0.25);
    expect(fractionalPercent({}, 'p')).to.equal(0);
    expect(() => fractionalPercent({ numerator: 1, denominator: 'BILLION' }, 'p')).to.throw(Refusal);
  });

  it('timeout: 15s when unset, none when 0, max_grpc_timeout for gRPC requests', () => {
    expect(rs({}).timeoutMs).to.equal(15_000);
    expect(rs({ timeout: '0s' }).timeoutMs).to.equal(undefined);
    expect(rs({ timeout: '5s' }).timeoutMs).to.equal(5000);
    const grpc = { 'content-type': 'application/grpc' };
    expect(rs({ timeout: '5s', max_grpc_timeout: '0s' }, { headers: grpc }).timeoutMs).to.equal(undefined);
    expect(rs({ timeout: '5s', max_grpc_timeout: '2s' }, { headers: grpc }).timeoutMs).to.equal(2000);
    expect(rs({ timeout: '5s', max_grpc_timeout: '2s' }).timeoutMs).to.equal(5000);
    // A zero stream-duration limit (Istio's inbound routes) is no limit; a real one is not modelled.
    expect(rs({ timeout: '5s', max_stream_duration: { max_stream_duration: '0s' } }).timeoutMs).to.equal(5000);
    expect(() => rs({ max_stream_duration: { max_stream_duration: '3s' } })).to.throw(Refusal, /stream duration/);
  });

  it('retries: num_retries defaults to 1, back-off to 25 ms and 10 times that; no condition retries nothing', () => {
    expect(rs({ retry_policy: { retry_on: '5xx' } }).retry).to.deep.equal({ numRetries: 1, retryOn: ['5xx'], retriableStatusCodes: [], backoffBaseMs: 25, backoffMaxMs: 250 });
    const full = rs({ retry_policy: { retry_on: 'gateway-error,retriable-status-codes', num_retries: 3, retriable_status_codes: [503, 409], per_try_timeout: '1s', retry_back_off: { base_interval: '0.100s' }, retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }], host_selection_retry_max_attempts: '5' } }).retry;
    expect(full).to.deep.equal({ numRetries: 3, retryOn: ['gateway-error', 'retriable-status-codes'], retriableStatusCodes: [503, 409], perTryTimeoutMs: 1000, backoffBaseMs: 100, backoffMaxMs: 1000 });
    expect(rs({ retry_policy: { retry_on: '5xx', retry_back_off: { base_interval: '0.100s', max_interval: '0.300s' } } }).retry?.backoffMaxMs).to.equal(300);
    expect(rs({ retry_policy: { num_retries: 3 } }).retry).to.equal(undefined);
    expect(rs({ retry_policy: { retry_on: '5xx', num_retries: 0 } }).retry).to.equal(undefined);
    expect(rs({}).retry).to.equal(undefined);
    expect(() => rs({ retry_policy: { retry_on: '5xx', retriable_headers: [] } })).to.throw(Refusal, /retriable_headers/);
  });

  it('retries: the virtual host policy applies when the route has none, and only then', () => {
    const vh = { retry_on: 'reset', num_retries: 4 };
    expect(rs({}, { vhostRetry: vh }).retry?.numRetries).to.equal(4);
    expect(rs({ retry_policy: { retry_on: '5xx', num_retries: 2 } }, { vhostRetry: vh }).retry?.numRetries).to.equal(2);
  });

  it('mirrors: every request without runtime_fraction, else its default value', () => {
    expect(rs({ request_mirror_policies: [{ cluster: 'shadow' }] }).mirrors).to.deep.equal([{ cluster: 'shadow', percent: 100 }]);
    expect(rs({ request_mirror_policies: [{ cluster: 'shadow', runtime_fraction: { default_value: { numerator: 100000, denominator: 'MILLION' } }, trace_sampled: false }] }).mirrors).to.deep.equal([{ cluster: 'shadow', percent: 10 }]);
    expect(() => rs({ request_mirror_policies: [{ cluster: 'shadow', request_headers_mutations: [] }] })).to.throw(Refusal);
  });

  it('fault: read from the route entry of a fault filter of the chain; a delay or abort without percentage is 0 %', () => {
    const fault = { delay: { fixed_delay: '0.500s', percentage: { numerator: 50000, denominator: 'MILLION' } }, abort: { http_status: 503, percentage: { numerator: 20000, denominator: 'MILLION' } } };
    expect(rs({}, { perFilter: { [FAULT]: fault } }).fault).to.deep.equal({ delay: { fixedDelayMs: 500, percent: 5 }, abort: { httpStatus: 503, percent: 2 } });
    expect(rs({}, { perFilter: { [FAULT]: fault }, faults: [] }).fault).to.equal(undefined);
    expect(rs({}, { perFilter: { [FAULT]: { abort: { http_status: 500 } } } }).fault).to.deep.equal({ abort: { httpStatus: 500, percent: 0 } });
    expect(() => rs({}, { perFilter: { [FAULT]: { abort: { grpc_status: 14 } } } })).to.throw(Refusal, /abort\.grpc_status: not implemented/);
    expect(() => rs({}, { perFilter: { [FAULT]: { delay: { header_delay: {} } } } })).to.throw(Refusal);
  });

  it('routes: a per-filter configuration is accepted only for the filters the caller implements', () => {
    const rc = { virtual_hosts: [{ name: 'v', domains: ['*'], retry_policy: { retry_on: '5xx' }, routes: [{ match: { prefix: '/' }, route: { cluster: 'c', timeout: '1s' }, typed_per_filter_config: { [FAULT]: {} } }] }] };
    const req = { method: 'GET', path: '/', authority: 'h' };
    expect(() => routeRequest(rc, req, 'h', 'rc')).to.throw(Refusal, /typed_per_filter_config/);
    const t = routeRequest(rc, req, 'h', 'rc', [FAULT]);
    expect(t.action).to.deep.equal({ cluster: 'c', timeout: '1s' });
    expect(t.vhostRetryPolicy).to.deep.equal({ retry_on: '5xx' });
    expect(t.perFilterConfig).to.deep.equal({ [FAULT]: {} });
  });

  it('circuit breakers: Envoy defaults without thresholds, the DEFAULT priority otherwise', () => {
    expect(clusterSettings({ name: 'c' }, 'c')).to.deep.equal({ maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 });
    const cb = { thresholds: [{ priority: 'HIGH', max_connections: 7 }, { max_connections: 100, max_pending_requests: 10, max_requests: 50, max_retries: 4294967295, track_remaining: true }] };
    expect(clusterSettings({ name: 'c', circuit_breakers: cb }, 'c')).to.deep.equal({ maxConnections: 100, maxPendingRequests: 10, maxRequests: 50, maxRetries: 4294967295 });
    expect(() => clusterSettings({ name: 'c', circuit_breakers: { thresholds: [{ max_connections: 1 }, { priority: 'DEFAULT', max_connections: 2 }] } }, 'c')).to.throw(Refusal, /two DEFAULT/);
  });

  it('max requests per connection: HTTP protocol options, else the deprecated cluster field; 0 is no limit', () => {
    const opts = (v: unknown) => ({ 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': HPO, common_http_protocol_options: { max_requests_per_connection: v, idle_timeout: '3600s' }, explicit_http_config: { http2_protocol_options: {} } } });
    expect(clusterSettings({ name: 'c', typed_extension_protocol_options: opts(5) }, 'c').maxRequestsPerConnection).to.equal(5);
    expect(clusterSettings({ name: 'c', typed_extension_protocol_options: opts(0) }, 'c').maxRequestsPerConnection).to.equal(undefined);
    expect(clusterSettings({ name: 'c', max_requests_per_connection: 9 }, 'c').maxRequestsPerConnection).to.equal(9);
    expect(() => clusterSettings({ name: 'c', typed_extension_protocol_options: { x: { '@type': 'type.googleapis.com/other.Options' } } }, 'c')).to.throw(Refusal);
  });

  it('outlier detection: 5 consecutive 5xx enforced and gateway failures not, unless set; 10s, 30s, 10 % by default', () => {
    const od = (o: Record<string, unknown>) => clusterSettings({ name: 'c', outlier_detection: { enforcing_success_rate: 0, ...o } }, 'c').outlier;
    expect(od({})).to.deep.equal({ consecutive5xx: 5, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10 });
    // What istiod writes for consecutiveGatewayErrors 3 alone: 5xx ejection stays on at Envoy's default.
    expect(od({ consecutive_gateway_failure: 3, enforcing_consecutive_gateway_failure: 100 })).to.deep.equal({ consecutive5xx: 5, consecutiveGatewayFailure: 3, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10 });
    expect(od({ consecutive_5xx: 0, enforcing_consecutive_5xx: 0, consecutive_gateway_failure: 3, enforcing_consecutive_gateway_failure: 100, interval: '5s', base_ejection_time: '60s', max_ejection_percent: 50 })).to.deep.equal({ consecutiveGatewayFailure: 3, intervalMs: 5000, baseEjectionMs: 60_000, maxEjectionPercent: 50 });
    expect(od({ consecutive_gateway_failure: 3 })?.consecutiveGatewayFailure).to.equal(undefined);
    expect(clusterSettings({ name: 'c' }, 'c').outlier).to.equal(undefined);
    // Success-rate ejection is on by default in Envoy and not modelled: refused unless switched off.
    expect(() => clusterSettings({ name: 'c', outlier_detection: {} }, 'c')).to.throw(Refusal, /success-rate/);
    expect(() => od({ enforcing_consecutive_5xx: 50 })).to.throw(Refusal, /50%/);
  });
});
