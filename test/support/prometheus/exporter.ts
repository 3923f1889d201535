// A test exporter for mesh metrics: counters that grow linearly at a fixed rate
// per second, published with explicit sample timestamps (value and time from the
// same clock reading). For a linear counter, Prometheus' increase() over a window
// W whose samples reach both ends (1 s scrapes) extrapolates to exactly rate*W, and
// rate() to exactly the rate, whatever the scrape jitter: expectations can be
// worked out by hand.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Labels = Record<string, string>;

export interface CounterSeries {
  labels: Labels;
  perSecond: number;
}

export interface HistogramSeries {
  labels: Labels;
  /** Cumulative per-second rate by upper bound (`le`); the largest bound becomes +Inf's count too. */
  buckets: Array<[le: number, perSecond: number]>;
}

export interface Family {
  name: string;
  type: 'counter' | 'histogram';
  counters?: CounterSeries[];
  histograms?: HistogramSeries[];
}

export interface TestExporter {
  target: string;
  /** Timestamp (ms) of the first scrape, once there was one. */
  firstScrapeAt(): number | undefined;
  close(): Promise<void>;
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const fmtLabels = (l: Labels): string => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/** The exposition at time `now` (ms) for counters started at `t0`. Pure, for reading in tests. */
export function exposition(families: Family[], t0: number, now: number): string {
  const secs = (now - t0) / 1000;
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# TYPE ${f.name} ${f.type}`);
    for (const c of f.counters ?? []) lines.push(`${f.name}${fmtLabels(c.labels)} ${c.perSecond * secs} ${now}`);
    for (const h of f.histograms ?? []) {
      const total = h.buckets.at(-1)?.[1] ?? 0;
      for (const [le, perSecond] of h.buckets) lines.push(`${f.name}_bucket${fmtLabels({ ...h.labels, le: String(le) })} ${perSecond * secs} ${now}`);
      lines.push(`${f.name}_bucket${fmtLabels({ ...h.labels, le: '+Inf' })} ${total * secs} ${now}`);
      lines.push(`${f.name}_sum${fmtLabels(h.labels)} ${0} ${now}`);
      lines.push(`${f.name}_count${fmtLabels(h.labels)} ${total * secs} ${now}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startExporter(families: Family[]): Promise<TestExporter> {
  const t0 = Date.now();
  let first: number | undefined;
  const server: Server = createServer((req, res) => {
    const now = Date.now();
    first ??= now;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition(families, t0, now));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    target: `127.0.0.1:${port}`,
    firstScrapeAt: () => first,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
