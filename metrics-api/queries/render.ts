// Renders a mesh selection into PromQL. Latency percentiles come from
// histogram_quantile over the bucket rates; counts are increase() over the window
// (raw counts, not RPS, as the spec asks).

import type { LabelPair, Matcher, MeshQueries, MetricName, Selection } from './types.js';

const QUANTILES: Record<'p99_response_latency' | 'p90_response_latency' | 'p50_response_latency', string> = {
  p99_response_latency: '0.99',
  p90_response_latency: '0.9',
  p50_response_latency: '0.5',
};

/** PromQL double-quoted string: escape backslash and quote (names are DNS labels, but never trust input). */
export const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export const renderMatchers = (ms: Matcher[]): string => ms.map(([l, op, v]) => `${l}${op}${quote(v)}`).join(',');

export function groupLabels(sel: Selection): string[] {
  const pairs: Array<LabelPair | undefined> = [sel.resourceLabels, sel.edgeLabels];
  return pairs.flatMap((p) => (p ? [p.name, ...(p.namespace ? [p.namespace] : [])] : []));
}

const by = (labels: string[]): string => (labels.length ? ` by (${labels.join(',')})` : '');

export function renderQueries(mesh: MeshQueries, sel: Selection, windowSeconds: number): Record<MetricName, string> {
  const groups = groupLabels(sel);
  const range = `[${windowSeconds}s]`;
  const latency = (q: string): string =>
    `histogram_quantile(${q},sum${by(['le', ...groups])}(rate(${mesh.latencyBucket}{${renderMatchers(sel.matchers)}}${range})))`;
  const count = (extra: Matcher[]): string =>
    `sum${by(groups)}(increase(${mesh.requestCounter}{${renderMatchers([...sel.matchers, ...extra])}}${range}))`;
  return {
    p99_response_latency: latency(QUANTILES.p99_response_latency),
    p90_response_latency: latency(QUANTILES.p90_response_latency),
    p50_response_latency: latency(QUANTILES.p50_response_latency),
    success_count: count(mesh.success),
    failure_count: count(mesh.failure),
  };
}
