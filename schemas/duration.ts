// Gateway API durations (GEP-2257): `1h`, `10s`, `500ms`, `1m30s`. The one parser of
// them; the schema's pattern (source/policy.ts) checks the syntax first.

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds, or undefined when `text` is not a Gateway API duration. */
export function durationMs(text: string): number | undefined {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]{1,5})(h|ms|m|s)/g)) total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return total;
}

/** Seconds with up to 3 decimals and an `s` suffix: protobuf Duration JSON (Istio) and Go durations (Consul) both read it. */
export function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** Go `time.Duration` text (Linkerd annotations, Consul): the shortest of `ms`/`s` forms. */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Milliseconds of a duration as a mesh writes it back: protobuf Duration JSON (`0.5s`, Istio), Go
 * `time.Duration` text (`1m30s`, `250ms`, Linkerd and Consul) or a Gateway API duration. Undefined otherwise.
 */
export function meshDurationMs(text: string): number | undefined {
  if (!/^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(h|ms|m|s)/g)) total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Math.round(total);
}
