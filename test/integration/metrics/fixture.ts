// What the test exporter publishes, per mesh, in namespace `ns`, and the answers
// the metrics API must give over a 10 s window. Counters grow linearly, so over
// W = 10 s: count = rate * 10, and histogram_quantile sees the bucket rates as given.
//
// histogram_quantile(q) with cumulative bucket rates c(le) and total N:
//   rank = q * N; pick the first bucket with c >= rank; with the previous bound lo
//   (0 for the first bucket) and its count c_lo: lo + (le - lo) * (rank - c_lo) / (c - c_lo).
// No rank falls exactly on a bucket count, so float noise cannot flip the bucket.

import type { Family } from '../../support/prometheus/exporter.js';

export const WINDOW = '10s';

export function families(ns: string): Family[] {
  const istioIn = { reporter: 'destination', source_workload: 'gateway', source_workload_namespace: 'edge', destination_workload: 'web', destination_workload_namespace: ns, destination_service_name: 'web', destination_service_namespace: ns };
  // The client proxy reports the same requests (reporter=source): must not be double counted.
  const istioInAtClient = { ...istioIn, reporter: 'source' };
  const istioOut = { reporter: 'source', source_workload: 'web', source_workload_namespace: ns, destination_workload: 'db', destination_workload_namespace: ns, destination_service_name: 'db', destination_service_namespace: ns };
  const ld = { namespace: ns, deployment: 'api', pod: 'api-7d4b9-xk2lp' };
  const ldOut = { direction: 'outbound', namespace: ns, deployment: 'api', dst_namespace: ns, dst_deployment: 'db', dst_service: 'db' };
  const ldSplit = (svc: string) => ({ direction: 'outbound', namespace: ns, deployment: 'gateway', dst_namespace: ns, dst_deployment: svc, dst_service: svc });
  const consul = { consul_source_service: 'web', consul_source_namespace: ns, consul_destination_service: 'payments', consul_destination_namespace: ns };
  const webWebBuckets: Array<[number, number]> = [[5, 2], [10, 6], [25, 8], [50, 10], [100, 10]];
  return [
    // ---- Istio ----
    {
      name: 'istio_requests_total',
      type: 'counter',
      counters: [
        { labels: { ...istioIn, response_code: '200' }, perSecond: 7 },
        { labels: { ...istioIn, response_code: '404' }, perSecond: 1 },
        { labels: { ...istioIn, response_code: '503' }, perSecond: 2 },
        { labels: { ...istioInAtClient, response_code: '200' }, perSecond: 7 },
        { labels: { ...istioInAtClient, response_code: '404' }, perSecond: 1 },
        { labels: { ...istioInAtClient, response_code: '503' }, perSecond: 2 },
        { labels: { ...istioOut, response_code: '200' }, perSecond: 3 },
        { labels: { ...istioOut, response_code: '500' }, perSecond: 1 },
      ],
    },
    {
      name: 'istio_request_duration_milliseconds',
      type: 'histogram',
      histograms: [
        { labels: istioIn, buckets: webWebBuckets },
        { labels: istioInAtClient, buckets: webWebBuckets },
        { labels: istioOut, buckets: [[10, 1], [25, 3], [50, 4], [100, 4]] },
      ],
    },
    // ---- Linkerd ----
    {
      name: 'response_total',
      type: 'counter',
      counters: [
        { labels: { ...ld, direction: 'inbound', classification: 'success', status_code: '200' }, perSecond: 4 },
        { labels: { ...ld, direction: 'inbound', classification: 'failure', status_code: '503' }, perSecond: 1 },
        { labels: { ...ldOut, classification: 'success', status_code: '200' }, perSecond: 3 },
        { labels: { ...ldSplit('web-v1'), classification: 'success', status_code: '200' }, perSecond: 9 },
        { labels: { ...ldSplit('web-v2'), classification: 'success', status_code: '200' }, perSecond: 1 },
        { labels: { ...ldSplit('web-v2'), classification: 'failure', status_code: '502' }, perSecond: 1 },
      ],
    },
    {
      name: 'response_latency_ms',
      type: 'histogram',
      histograms: [
        { labels: { ...ld, direction: 'inbound' }, buckets: [[20, 1], [30, 3], [50, 4], [100, 5]] },
        { labels: ldOut, buckets: [[5, 1], [10, 3]] },
        { labels: ldSplit('web-v1'), buckets: [[10, 9]] },
        { labels: ldSplit('web-v2'), buckets: [[50, 2]] },
      ],
    },
    // ---- Consul (client sidecar upstream stats) ----
    {
      name: 'envoy_cluster_upstream_rq_xx',
      type: 'counter',
      counters: [
        { labels: { ...consul, envoy_response_code_class: '2' }, perSecond: 5 },
        { labels: { ...consul, envoy_response_code_class: '4' }, perSecond: 1 },
        { labels: { ...consul, envoy_response_code_class: '5' }, perSecond: 2 },
        // Not a mesh upstream (no consul_destination_service): never listed.
        { labels: { envoy_cluster_name: 'local_agent', local_cluster: 'web', envoy_response_code_class: '2' }, perSecond: 100 },
      ],
    },
    {
      name: 'envoy_cluster_upstream_rq_time',
      type: 'histogram',
      histograms: [{ labels: consul, buckets: [[25, 2], [50, 6], [100, 7], [250, 8]] }],
    },
  ];
}

type Expect = Record<string, string>;

/** Istio deployment web: 200 7/s + 404 1/s succeed (80: a 4xx is a success), 503 2/s fails (20); N=10/s.
 *  p50 rank 5 in (5,10]: 5 + 5*(5-2)/(6-2) = 8.75 ms; p90 rank 9 in (25,50]: 25 + 25*(9-8)/(10-8) = 37.5 ms;
 *  p99 rank 9.9: 25 + 25*(9.9-8)/2 = 48.75 ms. */
export const ISTIO_WEB: Expect = { p99_response_latency: '48750u', p90_response_latency: '37500u', p50_response_latency: '8750u', success_count: '80', failure_count: '20' };
/** Istio edge web -> db (client side): 200 3/s (30), 500 1/s (10); N=4/s.
 *  p50 rank 2 in (10,25]: 10 + 15*(2-1)/(3-1) = 17.5 ms; p90 rank 3.6 in (25,50]: 25 + 25*0.6 = 40 ms; p99 rank 3.96: 25 + 25*0.96 = 49 ms. */
export const ISTIO_WEB_TO_DB: Expect = { p99_response_latency: '49m', p90_response_latency: '40m', p50_response_latency: '17500u', success_count: '30', failure_count: '10' };
/** Linkerd deployment api inbound: success 4/s (40), failure 1/s (10); N=5/s.
 *  p50 rank 2.5 in (20,30]: 20 + 10*(2.5-1)/(3-1) = 27.5 ms; p90 rank 4.5 in (50,100]: 50 + 50*(4.5-4)/1 = 75 ms; p99 rank 4.95: 50 + 50*0.95 = 97.5 ms. */
export const LINKERD_API: Expect = { p99_response_latency: '97500u', p90_response_latency: '75m', p50_response_latency: '27500u', success_count: '40', failure_count: '10' };
/** Linkerd edge api -> db (outbound): success 3/s (30); N=3/s.
 *  p50 rank 1.5 in (5,10]: 5 + 5*(1.5-1)/(3-1) = 6.25 ms; p90 rank 2.7: 5 + 5*1.7/2 = 9.25 ms; p99 rank 2.97: 5 + 5*1.97/2 = 9.925 ms. */
export const LINKERD_API_TO_DB: Expect = { p99_response_latency: '9925u', p90_response_latency: '9250u', p50_response_latency: '6250u', success_count: '30', failure_count: '0' };
/** Linkerd split backends (outbound dst_service). web-v1: 9/s all in (0,10]: p50 = 10*4.5/9 = 5 ms, p90 = 10*8.1/9 = 9 ms,
 *  p99 = 10*8.91/9 = 9.9 ms; 90 ok. web-v2: 2/s in (0,50]: p50 = 25 ms, p90 = 45 ms, p99 = 49.5 ms; 10 ok, 10 failed. */
export const LINKERD_WEB_V1: Expect = { p99_response_latency: '9900u', p90_response_latency: '9m', p50_response_latency: '5m', success_count: '90', failure_count: '0' };
export const LINKERD_WEB_V2: Expect = { p99_response_latency: '49500u', p90_response_latency: '45m', p50_response_latency: '25m', success_count: '10', failure_count: '10' };
/** Consul service payments: class 2 5/s + class 4 1/s succeed (60), class 5 2/s fails (20); N=8/s.
 *  p50 rank 4 in (25,50]: 25 + 25*(4-2)/(6-2) = 37.5 ms; p90 rank 7.2 in (100,250]: 100 + 150*(7.2-7)/1 = 130 ms;
 *  p99 rank 7.92: 100 + 150*0.92 = 238 ms. */
export const CONSUL_PAYMENTS: Expect = { p99_response_latency: '238m', p90_response_latency: '130m', p50_response_latency: '37500u', success_count: '60', failure_count: '20' };

export interface MetricsItem {
  resource: { kind?: string; namespace?: string; name?: string };
  edge: { direction: string; side: string; resource: { kind?: string; namespace?: string; name?: string } | null };
  backend?: { apex: string; name: string; weight: number };
  window: string;
  metrics: Array<{ name: string; unit?: string; value: string }>;
}

/** name -> value, and every latency must be in seconds. */
export function values(item: MetricsItem): Expect {
  for (const m of item.metrics) if (m.name.endsWith('_latency') && m.unit !== 'seconds') throw new Error(`${m.name} unit ${m.unit}`);
  return Object.fromEntries(item.metrics.map((m) => [m.name, m.value]));
}
