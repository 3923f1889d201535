// The aggregation window: a Go-style duration from the `window` (or smi-metrics'
// `t`) query parameter, rendered into PromQL as whole seconds.

import { fail, ok, type Result } from './errors.js';

export const DEFAULT_WINDOW_SECONDS = 30;
const MAX_WINDOW_SECONDS = 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function parseWindow(text: string | undefined | null): Result<number> {
  if (text === undefined || text === null || text === '') return ok(DEFAULT_WINDOW_SECONDS);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) return fail('BadRequest', `invalid window "${text}": want a duration such as 30s, 1m or 1m30s`);
  const seconds = Math.round(total);
  if (seconds < 1 || seconds > MAX_WINDOW_SECONDS) return fail('BadRequest', `window "${text}" out of range: 1s to 24h`);
  return ok(seconds);
}

/** Canonical form for the response's `window` field. */
export function formatWindow(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}
