// Whether a pattern is an acceptable SMI regex: valid RE2 (what Envoy, Linkerd and Go
// accept: no look-around, no back-references; decided by re2js, a port of RE2's parser)
// and small enough for every mesh. The one place the project compiles user regexes:
// results are memoised by pattern in a bounded LRU, so a regex shared by many objects,
// units or resyncs is compiled once (the operator re-validates and re-resolves an
// HTTPRouteGroup for every unit that references it).

import { RE2JS } from 're2js';
import { Lru } from './lru.js';

/**
 * Longest SMI regex, in UTF-8 bytes. Istio rejects a longer regex in any StringMatch
 * (pkg/config/validation validateStringRegexp: `len(re) > 1024`, Go bytes), and the
 * Gateway API HTTPRoute that Linkerd reads caps a path value at 1024 characters. A
 * universal limit, checked at admission, before anything is compiled; renderers still
 * check the forms they emit (docs/adapters/<mesh>.md).
 */
export const MAX_REGEX_BYTES = 1024;

/**
 * Largest total RE2 program (re2js `programSize()`, about one instruction per rune plus
 * the copies a counted repetition makes) of all the regexes of one HTTPRouteGroup.
 * Compiling costs time in proportion to it (~2 µs per instruction), so this bounds the
 * validation time of one object; `x{1000}` alone is 1,002.
 */
export const MAX_PROGRAM_PER_GROUP = 32_768;

/**
 * CPU time all the regexes of one HTTPRouteGroup may take to compile, in milliseconds of
 * this thread's CPU (process.threadCpuUsage), each pattern's cost measured once, at its
 * first compile, and remembered with it. The limits above are deterministic but do not
 * bound parsing: re2js takes ~40 ms for one 1 KB class of repeated `\pL`, ~180 ms for one
 * of case-folded `\x{100}-\x{10FFFF}` ranges, both a handful of instructions, so a group
 * of 1,400 of them (still under the API server's 1.5 MiB) would take minutes. Ordinary
 * groups take a few milliseconds (BENCHMARKS.md, "Hostile input"); one that passes this
 * is refused at the regex that crosses it, so an object costs at most this plus its
 * costliest regex, and the same verdict on every retry (a remembered cost still counts).
 */
export const MAX_COMPILE_MS_PER_GROUP = 500;

/** Distinct patterns remembered; each is at most MAX_REGEX_BYTES, so this holds at most 4 MiB of keys. */
const CACHE_ENTRIES = 4096;

export interface Re2Compiled {
  /** The parser's reason when the pattern is not valid RE2. */
  error?: string;
  /** Program size when valid. */
  programSize: number;
  /** CPU milliseconds this thread spent on the first compile (parse included). */
  cpuMs: number;
}

let compiled = new Lru<string, Re2Compiled>(CACHE_ENTRIES);

/**
 * Keep this many patterns instead (emptying the cache). For a thread that translates
 * whole units of large route groups (the operator's offload worker): a unit whose
 * groups hold more patterns than the cache would recompile them all on every pass.
 */
export function resizeCompileCache(entries: number): void {
  compiled = new Lru<string, Re2Compiled>(entries);
}

const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const d = process.threadCpuUsage(start);
  return (d.user + d.system) / 1000;
};

function compile(pattern: string): Re2Compiled {
  const start = process.threadCpuUsage();
  try {
    const programSize = RE2JS.compile(pattern).programSize();
    return { programSize, cpuMs: cpuMsSince(start) };
  } catch (e) {
    return { error: (e as Error).message.replace(/^error parsing regexp: /, ''), programSize: 0, cpuMs: cpuMsSince(start) };
  }
}

/** UTF-8 length, the unit Istio (Go `len`) counts. */
export function regexBytes(pattern: string): number {
  return Buffer.byteLength(pattern, 'utf8');
}

/** Why a pattern is too long, or undefined. Cheap: call it before compiling. */
export function regexLengthProblem(pattern: string): string | undefined {
  const bytes = regexBytes(pattern);
  if (bytes <= MAX_REGEX_BYTES) return undefined;
  return `is ${bytes} bytes long; a regex may be at most ${MAX_REGEX_BYTES} bytes (UTF-8), the most Istio accepts`;
}

/** RE2 compile of a pattern, memoised. Callers check regexLengthProblem first. */
export function compileRe2(pattern: string): Re2Compiled {
  return compiled.getOrCompute(pattern, compile);
}

/** undefined when the pattern is valid RE2 and not too long; otherwise the reason. */
export function re2Error(pattern: string): string | undefined {
  return regexLengthProblem(pattern) ?? compileRe2(pattern).error;
}

/** Whether a pattern's compile result is remembered (a peek: the LRU order is left alone). */
export function isCompiled(pattern: string): boolean {
  return compiled.has(pattern);
}

/** The remembered results for these patterns, to hand to another thread. */
export function compiledResults(patterns: Iterable<string>): Array<[string, Re2Compiled]> {
  const out: Array<[string, Re2Compiled]> = [];
  for (const p of patterns) {
    const c = compiled.peek(p);
    if (c) out.push([p, c]);
  }
  return out;
}

/**
 * Remember results another thread computed (the operator compiles a new route group's
 * regexes in a worker, off its event loop); later validations here then cost a lookup.
 */
export function rememberCompiled(entries: Iterable<[string, Re2Compiled]>): void {
  for (const [p, c] of entries) if (!compiled.has(p)) compiled.set(p, c);
}

/**
 * Every regex validating this object could compile: the non-empty pathRegex and header
 * values of an HTTPRouteGroup in any served layout (`spec.matches` or v1alpha1/2 `matches`;
 * headers as a map or a list of maps), at most MAX_REGEX_BYTES long. Reads defensively:
 * anything else yields nothing, never a throw.
 */
export function routeGroupRegexes(obj: unknown): string[] {
  const o = obj as { kind?: unknown; spec?: { matches?: unknown }; matches?: unknown } | null;
  if (!o || typeof o !== 'object' || o.kind !== 'HTTPRouteGroup') return [];
  const matches = Array.isArray(o.spec?.matches) ? o.spec.matches : Array.isArray(o.matches) ? o.matches : [];
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v !== '' && v.length <= MAX_REGEX_BYTES && regexBytes(v) <= MAX_REGEX_BYTES) out.push(v);
  };
  const headerMap = (h: unknown): void => {
    if (h && typeof h === 'object' && !Array.isArray(h)) for (const v of Object.values(h)) add(v);
  };
  for (const m of matches as unknown[]) {
    if (!m || typeof m !== 'object') continue;
    const { pathRegex, headers } = m as { pathRegex?: unknown; headers?: unknown };
    add(pathRegex);
    if (Array.isArray(headers)) headers.forEach(headerMap);
    else headerMap(headers);
  }
  return out;
}

/**
 * Whether a pattern uses what makes re2js slow to parse relative to its length: Unicode
 * classes (`\p`, `\P`) and case folding (a `(?flags)` group with `i`), which expand to
 * thousands of ranges (~40 ms and ~180 ms for 1 KB of them; BENCHMARKS.md, "Hostile
 * input"). Anything else costs at most a few microseconds per byte. One forward pass.
 */
export function slowToCompile(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === 'p' || n === 'P') return true;
      i++;
    } else if (c === '(' && pattern[i + 1] === '?') {
      let j = i + 2;
      for (; j < pattern.length && pattern[j] !== ':' && pattern[j] !== ')' && pattern[j] !== '<'; j++) if (pattern[j] === 'i') return true;
      i = j - 1;
    }
  }
  return false;
}
