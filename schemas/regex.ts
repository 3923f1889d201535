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

/** Distinct patterns remembered; each is at most MAX_REGEX_BYTES, so this holds at most 4 MiB of keys. */
const CACHE_ENTRIES = 4096;

export interface Re2Compiled {
  /** The parser's reason when the pattern is not valid RE2. */
  error?: string;
  /** Program size when valid. */
  programSize: number;
}

const compiled = new Lru<string, Re2Compiled>(CACHE_ENTRIES);

function compile(pattern: string): Re2Compiled {
  try {
    return { programSize: RE2JS.compile(pattern).programSize() };
  } catch (e) {
    return { error: (e as Error).message.replace(/^error parsing regexp: /, ''), programSize: 0 };
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
