// Plain-text table of TrafficMetrics for `smictl metrics`.

import { quantityToNumber } from '../schemas/quantity.js';
import type { ObjectRef, TrafficMetrics } from './traffic-metrics.js';

const ref = (r: ObjectRef | null | undefined): string => (r ? [r.kind, r.namespace, r.name].filter(Boolean).join('/') : '*');

function latency(item: TrafficMetrics, name: string): string {
  const m = item.metrics.find((x) => x.name === name);
  if (!m) return '-';
  const secs = quantityToNumber(m.value);
  if (secs === undefined) return m.value;
  // Display in ms: the unit people read latencies in.
  return `${Number((secs * 1000).toFixed(3))}ms`;
}

const count = (item: TrafficMetrics, name: string): string => item.metrics.find((x) => x.name === name)?.value ?? '0';

export function metricsTable(items: TrafficMetrics[]): string {
  const header = ['RESOURCE', 'EDGE', 'PEER', 'BACKEND', 'SUCCESS', 'FAILURE', 'P50', 'P90', 'P99', 'WINDOW'];
  const rows = items.map((i) => [
    ref(i.resource),
    `${i.edge.direction}(${i.edge.side})`,
    ref(i.edge.resource),
    i.backend ? `${i.backend.name}(${i.backend.weight})` : '-',
    count(i, 'success_count'),
    count(i, 'failure_count'),
    latency(i, 'p50_response_latency'),
    latency(i, 'p90_response_latency'),
    latency(i, 'p99_response_latency'),
    i.window,
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return `${all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
