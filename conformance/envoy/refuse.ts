// The evaluator answers only what it implements of Envoy's semantics. Anything else in
// the configuration (a field, a filter, a matcher kind) is refused with its path, so an
// unimplemented meaning can never be read as "allowed" or "not routed" by accident.

export class Refusal extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`envoy evaluator: ${path}: ${what}`);
    this.name = 'Refusal';
  }
}

export type Json = Record<string, unknown>;

export const obj = (v: unknown, path: string): Json => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Refusal(path, `expected an object, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v as Json;
};

export const arr = (v: unknown, path: string): unknown[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Refusal(path, 'expected a list');
  return v;
};

export const str = (v: unknown, path: string): string => {
  if (typeof v !== 'string') throw new Refusal(path, `expected a string, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v;
};

/** protojson writes uint32 as a number and int64/uint64 as a string. */
export const num = (v: unknown, path: string): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Refusal(path, `expected a number, got ${JSON.stringify(v)}`);
  return n;
};

/**
 * Every key of `o` must be one the evaluator implements (`used`) or one that cannot change the
 * answers it gives (`inert`: statistics, timeouts, retries, tracing, names). Anything else is refused.
 */
export function known(o: Json, path: string, used: readonly string[], inert: readonly string[] = []): void {
  for (const k of Object.keys(o)) {
    if (k === '@type' || used.includes(k) || inert.includes(k)) continue;
    throw new Refusal(`${path}.${k}`, 'not implemented');
  }
}

/** The one key of a proto `oneof` that is set, among `choices`; refuses any other key. */
export function oneOf(o: Json, path: string, choices: readonly string[], inert: readonly string[] = []): string {
  known(o, path, choices, inert);
  const set = choices.filter((c) => o[c] !== undefined);
  if (set.length !== 1) throw new Refusal(path, `expected exactly one of ${choices.join(', ')}, found ${set.length === 0 ? 'none' : set.join(', ')}`);
  return set[0]!;
}
