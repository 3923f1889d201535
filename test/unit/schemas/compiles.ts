// Counting RE2 compilations in tests: complexity asserted by work done, not time.

import { RE2JS } from 're2js';

/** Counts RE2 compilations while `fn` runs (RE2JS.compile is the only way the project compiles a user regex). */
export function countCompiles(fn: () => void): number {
  const original = RE2JS.compile.bind(RE2JS);
  let n = 0;
  RE2JS.compile = ((...args: Parameters<typeof RE2JS.compile>) => {
    n++;
    return original(...args);
  }) as typeof RE2JS.compile;
  try {
    fn();
  } finally {
    RE2JS.compile = original;
  }
  return n;
}

/** A regex no other test uses, so the compile cache cannot already hold it. */
let fresh = 0;
export const unique = (stem: string): string => `${stem}/u${process.pid}-${Date.now()}-${fresh++}`;
