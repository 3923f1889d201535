// The regex scanners run on user input, so they must be linear in it (issue 18 item 3:
// a backtracking RegExp in quoteOpen took 1.6 s on 48 KB of valid RE2). Asserted by
// counting work, not by timing: the pattern is a Proxy that counts character reads and
// refuses whole-string operations (a RegExp, indexOf, toString), whose cost it cannot see.
// Doubling the input must at most double the reads, on inputs built to make naive
// scanners rescan.

import { expect } from 'chai';
import { endsWithDollar, quoteOpen, skipClass, splitTopLevel } from '../../../../adapters/common/regex.js';
import { dialectProblem } from '../../../../adapters/common/gateway/regex.js';
import { trimTrailingSlashes } from '../../../../metrics-api/routes.js';

function counted(s: string): { text: string; reads: () => number } {
  let n = 0;
  const text = new Proxy(new String(s), {
    get(_t, key) {
      if (key === 'length') {
        n++;
        return s.length;
      }
      if (typeof key === 'string' && key !== '' && [...key].every((c) => c >= '0' && c <= '9')) {
        n++;
        return s[Number(key)];
      }
      if (key === 'slice') {
        return (a?: number, b?: number) => {
          const r = s.slice(a, b);
          n += r.length;
          return r;
        };
      }
      throw new Error(`whole-string operation ${String(key)} on user input: its cost is not linear-checked`);
    },
  }) as unknown as string;
  return { text, reads: () => n };
}

const reads = (scan: (s: string) => unknown, input: string): number => {
  const c = counted(input);
  scan(c.text);
  return c.reads();
};

const families: Record<string, (n: number) => string> = {
  'x\\Q repeated, then \\E': (n) => `${'x\\Q'.repeat(n)}\\E`,
  'an unterminated \\Q': (n) => `\\Q${'a'.repeat(n)}`,
  'backslash runs': (n) => `${'\\'.repeat(2 * n)}Q`,
  'nested groups': (n) => `${'('.repeat(n)}a${')'.repeat(n)}`,
  'POSIX-class look-alikes in a class': (n) => `[${'[:a'.repeat(n)}]`,
  'many branches': (n) => `${'a|'.repeat(n)}b`,
  'a run of $': (n) => `${'\\'.repeat(n)}$`,
};

const scanners: Record<string, (s: string) => unknown> = {
  quoteOpen,
  splitTopLevel,
  skipClass: (s) => skipClass(s, 0),
  endsWithDollar,
  'linkerd dialectProblem': dialectProblem,
};

describe('regex scanners are linear in the pattern', () => {
  for (const [name, scan] of Object.entries(scanners)) {
    it(`${name}: reads each character a bounded number of times`, () => {
      for (const [family, make] of Object.entries(families)) {
        const n = 2000;
        const small = make(n);
        const a = reads(scan, small);
        const b = reads(scan, make(2 * n));
        expect(a, `${family}: ${a} reads for ${small.length} characters`).to.be.at.most(8 * small.length + 8);
        expect(b, `${family}: ${b} reads at 2n vs ${a} at n`).to.be.at.most(2 * a + 8);
      }
    });
  }

  it('quoteOpen still finds an open quote exactly as RE2 reads it', () => {
    expect([quoteOpen('^/a\\Q.b'), quoteOpen('^/a\\Q.b\\E'), quoteOpen('\\\\Q'), quoteOpen('\\Qa\\Qb'), quoteOpen('\\Qa\\Eb\\Q'), quoteOpen('')]).to.deep.equal([true, false, false, true, true, false]);
  });

  it('metrics-api: trimming a path of slashes is linear (a /\\/+$/ replace was quadratic on a run of slashes)', () => {
    const make = (n: number) => `${'/'.repeat(n)}x${'/'.repeat(n)}`;
    const a = reads(trimTrailingSlashes, make(5000));
    expect(a).to.be.at.most(3 * 5000 + 8);
    expect(reads(trimTrailingSlashes, make(10000))).to.be.at.most(2 * a + 8);
    expect(trimTrailingSlashes('/apis/x///')).to.equal('/apis/x');
    expect(trimTrailingSlashes('///')).to.equal('');
  });
});
