// Repeated measurements on a shared machine: pairs of two figures taken one
// after the other (a, b, a, b, ...) so both see the same load, and their medians.

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs a(0), b(0), a(1), b(1), ... one at a time; the pairs in order. */
export async function interleaved<A, B>(pairs: number, a: (i: number) => Promise<A>, b: (i: number) => Promise<B>): Promise<Array<[A, B]>> {
  const out: Array<[A, B]> = [];
  for (let i = 0; i < pairs; i++) {
    const x = await a(i);
    out.push([x, await b(i)]);
  }
  return out;
}
