// TrafficMetrics values (Quantity strings; counts over the window, latencies in
// seconds) as the numbers the page draws.

import { quantityToNumber } from '../../../schemas/quantity.js';
import type { Metric } from '../../../metrics-api/traffic-metrics.js';
import type { Traffic } from './types.js';

const valueOf = (metrics: readonly Metric[], name: string): number | undefined => {
  const m = metrics.find((x) => x.name === name);
  return m === undefined ? undefined : quantityToNumber(m.value);
};

export function trafficOf(metrics: readonly Metric[], windowSeconds: number): Traffic {
  const success = valueOf(metrics, 'success_count') ?? 0;
  const failure = valueOf(metrics, 'failure_count') ?? 0;
  const requests = success + failure;
  const t: Traffic = { rps: windowSeconds > 0 ? requests / windowSeconds : 0, requests };
  if (requests > 0) t.successRate = success / requests;
  const p50 = valueOf(metrics, 'p50_response_latency');
  const p99 = valueOf(metrics, 'p99_response_latency');
  if (p50 !== undefined) t.p50 = p50;
  if (p99 !== undefined) t.p99 = p99;
  return t;
}
