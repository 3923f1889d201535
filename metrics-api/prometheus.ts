// Prometheus HTTP API client: instant queries only, each bounded by a timeout so
// a slow or dead Prometheus becomes a 504/503 Status instead of a hung request.

import { errorText, fail, ok, type Result } from './errors.js';
import { trimTrailingSlashes } from './routes.js';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusClient {
  /** Instant vector query evaluated at `time` (ms since epoch). */
  query(promql: string, time: number): Promise<Result<Sample[]>>;
}

interface ApiResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: Array<{ metric?: Record<string, string>; value?: [number, string] }> };
}

export function httpPrometheus(baseUrl: string, timeoutMs = 5_000): PrometheusClient {
  const base = trimTrailingSlashes(baseUrl);
  return {
    async query(promql, time) {
      const url = `${base}/api/v1/query`;
      const body = new URLSearchParams({ query: promql, time: (time / 1000).toFixed(3), timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` });
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const e = err as { name?: string; cause?: unknown };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          return fail('Timeout', `prometheus at ${base} did not answer within ${timeoutMs} ms`);
        }
        return fail('ServiceUnavailable', `prometheus at ${base} unreachable: ${errorText(e.cause ?? err)}`);
      }
      let parsed: ApiResponse;
      try {
        parsed = (await res.json()) as ApiResponse;
      } catch (err) {
        const reason = err instanceof Error && err.name === 'TimeoutError' ? 'Timeout' : 'ServiceUnavailable';
        return fail(reason, `prometheus at ${base}: HTTP ${res.status} with unreadable body: ${errorText(err)}`);
      }
      if (parsed.status !== 'success') {
        // 4xx from Prometheus means our query is wrong; 5xx/timeouts are its trouble.
        const reason = parsed.errorType === 'timeout' ? 'Timeout' : res.status >= 500 || res.status === 0 ? 'ServiceUnavailable' : 'InternalError';
        return fail(reason, `prometheus query failed (HTTP ${res.status}, ${parsed.errorType ?? 'unknown'}): ${parsed.error ?? ''}`);
      }
      if (parsed.data?.resultType !== 'vector') return fail('InternalError', `prometheus returned ${parsed.data?.resultType ?? 'nothing'}, want vector`);
      return ok((parsed.data.result ?? []).map((r) => ({ labels: r.metric ?? {}, value: Number(r.value?.[1]) })));
    },
  };
}
