// Three-valued logic for questions asked without an HTTP request (a TCP connection on an HTTP
// filter chain): an HTTP attribute is then unknown, and the answer holds only if it holds for
// every request the connection could carry (Kleene's strong logic).

export type Tri = boolean | 'unknown';

export const and = (xs: Iterable<Tri>): Tri => {
  let unknown = false;
  for (const x of xs) {
    if (x === false) return false;
    if (x === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
};

export const or = (xs: Iterable<Tri>): Tri => {
  let unknown = false;
  for (const x of xs) {
    if (x === true) return true;
    if (x === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
};

export const not = (x: Tri): Tri => (x === 'unknown' ? x : !x);
