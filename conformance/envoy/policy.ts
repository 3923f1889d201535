// What Envoy does with a routed request beyond choosing its cluster: the route's timeout,
// retry policy, request mirrors and per-route fault injection (envoy.config.route.v3,
// envoy.extensions.filters.http.fault.v3), and the chosen cluster's circuit-breaker
// thresholds, HTTP protocol limits and outlier detection (envoy.config.cluster.v3). Every
// value is the effective one, Envoy's documented defaults filled in; anything that would
// change these numbers and is not implemented is refused.

import { Refusal, arr, known, num, obj, str, type Json } from './refuse.js';

/** A google.protobuf.Duration as protojson writes it ("5s", "0.500s"), in milliseconds. */
export function durationMs(v: unknown, path: string): number {
  const m = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(str(v, path));
  if (!m) throw new Refusal(path, `expected a duration, got ${JSON.stringify(v)}`);
  return Number(m[1]) * 1000 + Number(`0.${m[2] ?? '0'}`) * 1000;
}

const DENOMINATORS: Record<string, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** An envoy.type.v3.FractionalPercent as a percentage (numerator and denominator default to 0 and HUNDRED). */
export function fractionalPercent(v: unknown, path: string): number {
  const o = obj(v, path);
  known(o, path, ['numerator', 'denominator']);
  const d = DENOMINATORS[String(o.denominator ?? 'HUNDRED')];
  if (d === undefined) throw new Refusal(`${path}.denominator`, `unknown denominator ${String(o.denominator)}`);
  const n = num(o.numerator ?? 0, `${path}.numerator`);
  // A numerator above the denominator means always (Envoy clamps it).
  return Math.min(100, Math.round(((n * 100) / d) * 1e9) / 1e9);
}

export interface RetrySettings {
  numRetries: number;
  /** retry_on conditions, in Envoy's order. */
  retryOn: string[];
  retriableStatusCodes: number[];
  perTryTimeoutMs?: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface FaultSettings {
  delay?: { fixedDelayMs: number; percent: number };
  abort?: { httpStatus: number; percent: number };
}

export interface RouteSettings {
  /** The whole request's upstream timeout; undefined: none (0 disables it). */
  timeoutMs?: number;
  retry?: RetrySettings;
  mirrors: Array<{ cluster: string; percent: number }>;
  fault?: FaultSettings;
}

const isGrpc = (headers: Record<string, string> | undefined): boolean => (headers?.['content-type'] ?? '').startsWith('application/grpc');

/** The route's timeout for this request: `timeout` (default 15s), or for gRPC requests `max_grpc_timeout` when set. */
function timeoutOf(action: Json, headers: Record<string, string> | undefined, path: string): number | undefined {
  if (action.max_stream_duration !== undefined) {
    const msd = obj(action.max_stream_duration, `${path}.max_stream_duration`);
    known(msd, `${path}.max_stream_duration`, ['max_stream_duration', 'grpc_timeout_header_max', 'grpc_timeout_header_offset']);
    // A stream-duration limit counts from the start of the request and timeout from its end: not modelled.
    for (const k of ['max_stream_duration', 'grpc_timeout_header_max', 'grpc_timeout_header_offset']) {
      if (msd[k] !== undefined && durationMs(msd[k], `${path}.max_stream_duration.${k}`) !== 0) throw new Refusal(`${path}.max_stream_duration.${k}`, 'a non-zero stream duration limit is not implemented');
    }
  }
  if (action.grpc_timeout_offset !== undefined && durationMs(action.grpc_timeout_offset, `${path}.grpc_timeout_offset`) !== 0) throw new Refusal(`${path}.grpc_timeout_offset`, 'not implemented');
  let ms: number;
  if (isGrpc(headers) && action.max_grpc_timeout !== undefined) {
    // gRPC: the grpc-timeout header (default infinity) capped by max_grpc_timeout (0: no cap).
    if (headers?.['grpc-timeout'] !== undefined) throw new Refusal(`${path}.max_grpc_timeout`, 'a grpc-timeout header is not implemented');
    ms = durationMs(action.max_grpc_timeout, `${path}.max_grpc_timeout`);
  } else ms = action.timeout === undefined ? 15_000 : durationMs(action.timeout, `${path}.timeout`);
  return ms === 0 ? undefined : ms;
}

const RETRY_USED = ['num_retries', 'retry_on', 'retriable_status_codes', 'per_try_timeout', 'retry_back_off'];
// Which host a retry goes to, and how often host selection is retried, do not change the budget.
const RETRY_INERT = ['retry_host_predicate', 'host_selection_retry_max_attempts', 'retry_priority'];

export function retrySettings(v: unknown, path: string): RetrySettings | undefined {
  const o = obj(v, path);
  known(o, path, RETRY_USED, RETRY_INERT);
  const retryOn = o.retry_on === undefined ? [] : str(o.retry_on, `${path}.retry_on`).split(',').map((s) => s.trim()).filter((s) => s !== '');
  // No condition: nothing is ever retried.
  if (retryOn.length === 0) return undefined;
  const numRetries = o.num_retries === undefined ? 1 : num(o.num_retries, `${path}.num_retries`);
  if (numRetries === 0) return undefined;
  let backoffBaseMs = 25;
  let backoffMaxMs: number | undefined;
  if (o.retry_back_off !== undefined) {
    const b = obj(o.retry_back_off, `${path}.retry_back_off`);
    known(b, `${path}.retry_back_off`, ['base_interval', 'max_interval']);
    backoffBaseMs = durationMs(b.base_interval, `${path}.retry_back_off.base_interval`);
    if (b.max_interval !== undefined) backoffMaxMs = durationMs(b.max_interval, `${path}.retry_back_off.max_interval`);
  }
  const perTry = o.per_try_timeout === undefined ? 0 : durationMs(o.per_try_timeout, `${path}.per_try_timeout`);
  return {
    numRetries,
    retryOn,
    retriableStatusCodes: arr(o.retriable_status_codes, `${path}.retriable_status_codes`).map((c, i) => num(c, `${path}.retriable_status_codes[${i}]`)),
    ...(perTry > 0 ? { perTryTimeoutMs: perTry } : {}),
    backoffBaseMs,
    backoffMaxMs: backoffMaxMs ?? backoffBaseMs * 10,
  };
}

function mirrorPolicies(v: unknown, path: string): Array<{ cluster: string; percent: number }> {
  return arr(v, path).map((m, i) => {
    const mp = `${path}[${i}]`;
    const o = obj(m, mp);
    // Runtime keys are absent from a sidecar's runtime, so the default value applies; trace sampling and the
    // shadow host suffix change only headers.
    known(o, mp, ['cluster', 'runtime_fraction'], ['trace_sampled', 'disable_shadow_host_suffix_append']);
    let percent = 100;
    if (o.runtime_fraction !== undefined) {
      const rf = obj(o.runtime_fraction, `${mp}.runtime_fraction`);
      known(rf, `${mp}.runtime_fraction`, ['default_value'], ['runtime_key']);
      percent = rf.default_value === undefined ? 0 : fractionalPercent(rf.default_value, `${mp}.runtime_fraction.default_value`);
    }
    return { cluster: str(o.cluster, `${mp}.cluster`), percent };
  });
}

/** An HTTPFault (as the fault filter's per-route configuration): fixed delays and HTTP aborts. */
export function faultSettings(v: unknown, path: string): FaultSettings | undefined {
  const o = obj(v, path);
  // Runtime keys are absent from a sidecar's runtime: the configured values apply.
  const RUNTIME = ['delay_percent_runtime', 'abort_percent_runtime', 'delay_duration_runtime', 'abort_http_status_runtime', 'abort_grpc_status_runtime', 'max_active_faults_runtime', 'response_rate_limit_percent_runtime'];
  known(o, path, ['delay', 'abort'], RUNTIME);
  const out: FaultSettings = {};
  if (o.delay !== undefined) {
    const d = obj(o.delay, `${path}.delay`);
    known(d, `${path}.delay`, ['fixed_delay', 'percentage']);
    if (d.fixed_delay === undefined) throw new Refusal(`${path}.delay`, 'a delay other than fixed_delay is not implemented');
    out.delay = { fixedDelayMs: durationMs(d.fixed_delay, `${path}.delay.fixed_delay`), percent: d.percentage === undefined ? 0 : fractionalPercent(d.percentage, `${path}.delay.percentage`) };
  }
  if (o.abort !== undefined) {
    const a = obj(o.abort, `${path}.abort`);
    known(a, `${path}.abort`, ['http_status', 'percentage']);
    if (a.http_status === undefined) throw new Refusal(`${path}.abort`, 'an abort other than http_status is not implemented');
    out.abort = { httpStatus: num(a.http_status, `${path}.abort.http_status`), percent: a.percentage === undefined ? 0 : fractionalPercent(a.percentage, `${path}.abort.percentage`) };
  }
  return out.delay || out.abort ? out : undefined;
}

/**
 * The settings of the route a request took: its action (`route`), the virtual host's retry policy (used when the
 * route has none), and the route's per-filter configuration for the fault filters of the HTTP chain.
 */
export function routeSettings(action: Json, vhostRetry: unknown, perFilter: Json | undefined, faultFilters: readonly string[], headers: Record<string, string> | undefined, path: string): RouteSettings {
  const timeoutMs = timeoutOf(action, headers, path);
  const rp = action.retry_policy ?? vhostRetry;
  const retry = rp === undefined ? undefined : retrySettings(rp, action.retry_policy !== undefined ? `${path}.retry_policy` : 'virtual host retry_policy');
  const faults = faultFilters.filter((f) => perFilter?.[f] !== undefined).map((f) => faultSettings(perFilter![f], `typed_per_filter_config.${f}`)).filter((f): f is FaultSettings => f !== undefined);
  if (faults.length > 1) throw new Refusal('typed_per_filter_config', 'more than one fault filter acts on the route: not implemented');
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retry ? { retry } : {}),
    mirrors: mirrorPolicies(action.request_mirror_policies, `${path}.request_mirror_policies`),
    ...(faults[0] ? { fault: faults[0] } : {}),
  };
}

export interface ClusterSettings {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
  maxRequestsPerConnection?: number;
  outlier?: {
    /** Consecutive 5xx that eject a host, when that ejection is enforced. */
    consecutive5xx?: number;
    consecutiveGatewayFailure?: number;
    intervalMs: number;
    baseEjectionMs: number;
    maxEjectionPercent: number;
  };
}

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

function thresholds(cluster: Json, path: string): Pick<ClusterSettings, 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries'> {
  const cb = cluster.circuit_breakers === undefined ? {} : obj(cluster.circuit_breakers, `${path}.circuit_breakers`);
  known(cb, `${path}.circuit_breakers`, ['thresholds'], ['per_host_thresholds']);
  // Requests without a routing priority use the DEFAULT thresholds.
  const all = arr(cb.thresholds, `${path}.circuit_breakers.thresholds`).map((t, i) => ({ t: obj(t, `${path}.circuit_breakers.thresholds[${i}]`), p: `${path}.circuit_breakers.thresholds[${i}]` }));
  const def = all.filter((x) => (x.t.priority ?? 'DEFAULT') === 'DEFAULT');
  if (def.length > 1) throw new Refusal(`${path}.circuit_breakers.thresholds`, 'two DEFAULT-priority thresholds');
  const t = def[0]?.t ?? {};
  const tp = def[0]?.p ?? `${path}.circuit_breakers.thresholds`;
  known(t, tp, ['priority', 'max_connections', 'max_pending_requests', 'max_requests', 'max_retries'], ['track_remaining', 'retry_budget']);
  const n = (k: string, d: number) => (t[k] === undefined ? d : num(t[k], `${tp}.${k}`));
  return { maxConnections: n('max_connections', 1024), maxPendingRequests: n('max_pending_requests', 1024), maxRequests: n('max_requests', 1024), maxRetries: n('max_retries', 3) };
}

function maxRequestsPerConnection(cluster: Json, path: string): number | undefined {
  const opts = cluster.typed_extension_protocol_options === undefined ? {} : obj(cluster.typed_extension_protocol_options, `${path}.typed_extension_protocol_options`);
  let v: unknown;
  for (const [k, o] of Object.entries(opts)) {
    const op = `${path}.typed_extension_protocol_options.${k}`;
    const tc = obj(o, op);
    if (!String(tc['@type'] ?? '').endsWith(`/${HTTP_PROTOCOL_OPTIONS}`)) throw new Refusal(op, `protocol options ${String(tc['@type'])} not implemented`);
    const common = tc.common_http_protocol_options === undefined ? {} : obj(tc.common_http_protocol_options, `${op}.common_http_protocol_options`);
    known(common, `${op}.common_http_protocol_options`, ['max_requests_per_connection'], ['idle_timeout', 'max_connection_duration', 'headers_with_underscores_action', 'max_headers_count', 'max_stream_duration']);
    v = common.max_requests_per_connection;
    if (v !== undefined) v = num(v, `${op}.common_http_protocol_options.max_requests_per_connection`);
  }
  // The deprecated cluster field applies when the protocol options do not set it.
  if (v === undefined && cluster.max_requests_per_connection !== undefined) v = num(cluster.max_requests_per_connection, `${path}.max_requests_per_connection`);
  // 0 (or unset) means no limit.
  return typeof v === 'number' && v > 0 ? v : undefined;
}

const OUTLIER_USED = ['consecutive_5xx', 'enforcing_consecutive_5xx', 'consecutive_gateway_failure', 'enforcing_consecutive_gateway_failure', 'interval', 'base_ejection_time', 'max_ejection_percent', 'enforcing_success_rate', 'enforcing_failure_percentage', 'enforcing_failure_percentage_local_origin', 'split_external_local_origin_errors', 'enforcing_local_origin_success_rate'];
// Parameters of detectors left disabled, and caps on repeated ejections: not the numbers asked about.
const OUTLIER_INERT = ['success_rate_minimum_hosts', 'success_rate_request_volume', 'success_rate_stdev_factor', 'failure_percentage_threshold', 'failure_percentage_minimum_hosts', 'failure_percentage_request_volume', 'max_ejection_time', 'max_ejection_time_jitter', 'successful_active_health_check_uneject_host'];

function outlier(v: unknown, path: string): ClusterSettings['outlier'] {
  const o = obj(v, path);
  known(o, path, OUTLIER_USED, OUTLIER_INERT);
  const n = (k: string, d: number) => (o[k] === undefined ? d : num(o[k], `${path}.${k}`));
  const enforced = (k: string, d: number): boolean => {
    const e = n(k, d);
    if (e !== 0 && e !== 100) throw new Refusal(`${path}.${k}`, `ejecting ${e}% of detected outliers is not implemented`);
    return e === 100;
  };
  // Success-rate detection is on by default (enforcing 100): not implemented, so it must be switched off.
  for (const [k, d] of [['enforcing_success_rate', 100], ['enforcing_failure_percentage', 0], ['enforcing_failure_percentage_local_origin', 0]] as const) {
    if (n(k, d) !== 0) throw new Refusal(`${path}.${k}`, 'success-rate and failure-percentage ejection are not implemented');
  }
  if (o.split_external_local_origin_errors === true) throw new Refusal(`${path}.split_external_local_origin_errors`, 'not implemented');
  const c5 = n('consecutive_5xx', 5);
  const cg = n('consecutive_gateway_failure', 5);
  return {
    // 0 consecutive errors disables that detector.
    ...(enforced('enforcing_consecutive_5xx', 100) && c5 > 0 ? { consecutive5xx: c5 } : {}),
    ...(enforced('enforcing_consecutive_gateway_failure', 0) && cg > 0 ? { consecutiveGatewayFailure: cg } : {}),
    intervalMs: o.interval === undefined ? 10_000 : durationMs(o.interval, `${path}.interval`),
    baseEjectionMs: o.base_ejection_time === undefined ? 30_000 : durationMs(o.base_ejection_time, `${path}.base_ejection_time`),
    maxEjectionPercent: n('max_ejection_percent', 10),
  };
}

/** The limits and ejection settings of a cluster, Envoy's defaults filled in. */
export function clusterSettings(cluster: Json, path: string): ClusterSettings {
  const perConn = maxRequestsPerConnection(cluster, path);
  return {
    ...thresholds(cluster, path),
    ...(perConn !== undefined ? { maxRequestsPerConnection: perConn } : {}),
    ...(cluster.outlier_detection !== undefined ? { outlier: outlier(cluster.outlier_detection, `${path}.outlier_detection`) } : {}),
  };
}
