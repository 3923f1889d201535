// Numbers as the page shows them, in words and digits so nothing depends on
// colour. Pure (no DOM): unit-tested in Node.

import type { AccessVerdict, Traffic } from '../server/model/types.js';

export function rate(rps: number): string {
  if (rps === 0) return '0 rps';
  if (rps < 0.1) return `${(rps * 60).toFixed(1)} rpm`;
  return `${rps < 10 ? rps.toFixed(1) : Math.round(rps).toString()} rps`;
}

export function percent(fraction: number | undefined): string {
  if (fraction === undefined) return '–';
  const p = fraction * 100;
  return `${p === 100 || p === 0 ? p.toFixed(0) : p >= 99.95 ? '99.9' : p.toFixed(1)}%`;
}

export function latency(seconds: number | undefined): string {
  if (seconds === undefined) return '–';
  const ms = seconds * 1000;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2).replace(/\.?0+$/, '')} ms`;
  if (ms < 1000) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
}

/** Health band of a success rate: the colour AND the word for it. */
export type Health = 'healthy' | 'degraded' | 'failing' | 'idle';

export function health(t: Traffic | undefined): Health {
  if (!t || t.requests === 0 || t.successRate === undefined) return 'idle';
  if (t.successRate >= 0.99) return 'healthy';
  if (t.successRate >= 0.95) return 'degraded';
  return 'failing';
}

/** One line for an edge: request rate, success rate, p99. */
export function trafficLine(t: Traffic | undefined): string {
  if (!t || t.requests === 0) return 'no traffic';
  return `${rate(t.rps)} · ${percent(t.successRate)} ok · p99 ${latency(t.p99)}`;
}

export const ACCESS_WORDS: Record<AccessVerdict, string> = {
  allowed: 'allowed',
  denied: 'DENIED',
  'not-allowed-permissive': 'not allowed (permissive)',
  ungoverned: 'no policy',
  unknown: 'unknown source',
};

/** Edge label on the graph: traffic, and the access verdict when it is not plainly allowed. */
export function edgeLabel(t: Traffic | undefined, access: AccessVerdict, withAccess: boolean): string {
  const line = t ? trafficLine(t) : 'allowed, no traffic';
  if (!withAccess || access === 'allowed') return line;
  return `${ACCESS_WORDS[access]} · ${line}`;
}

export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19) + 'Z';
}
