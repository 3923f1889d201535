// Names of emitted objects. Two distinct inputs must never share a native key
// (apiVersion, kind, namespace, name): the second write would replace the first
// and its workload would fall back to the mesh default (allow). Names are shaped
// `<shape>-<name>[-<token>...]`:
//
// - `shape` is a literal per kind of name (`tt`, `smi-access`, ...); within one
//   object kind no shape may be a token-prefix of another (`tt` and `tt-x`), so
//   the shape can be read back from the front;
// - `name` is the input's own name (a ServiceAccount, a TrafficSplit, ...); it may
//   contain single dashes;
// - every token (a port, an index) is one run of [a-z0-9], so a shape's fixed
//   number of tokens can be read back from the end.
//
// When the input already has that form, the readable name is used as it is: it
// can be parsed back, so distinct inputs give distinct names. Anything else (a
// dot, "--", upper case, a dashed token, more than 63 characters) gets the
// readable part cut to fit and `--<hash of the exact inputs>` appended. A readable
// name never contains "--", so hashed and readable names never meet, and two
// hashed names meet only on a 40-bit hash collision, which translateWith()
// reports as a Conflict rather than writing one object over the other.

import { createHash } from 'node:crypto';

const MAX_NAME = 63; // DNS-1123 label: the strictest name rule among the native kinds
const HASH_CHARS = 10;
/** A DNS label made of [a-z0-9] runs joined by single dashes. */
const SIMPLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TOKEN = /^[a-z0-9]+$/;

export type NameToken = string | number;

export function shortHash(s: string, chars = 8): string {
  return createHash('sha256').update(s).digest('hex').slice(0, chars);
}

/** True when `nativeName` keeps the inputs readable (no hash): exported for tests and docs. */
export function isReadable(shape: string, name: string, tokens: readonly NameToken[]): boolean {
  const parts = [...(shape === '' ? [] : [shape]), name, ...tokens.map(String)];
  return (
    (shape === '' || SIMPLE.test(shape)) &&
    SIMPLE.test(name) &&
    tokens.every((t) => TOKEN.test(String(t))) &&
    parts.join('-').length <= MAX_NAME
  );
}

/** `<shape>-<name>-<tokens...>` when that reads back unambiguously, else a cut prefix + `--` + a hash of the inputs. */
export function nativeName(shape: string, name: string, ...tokens: NameToken[]): string {
  const parts = [...(shape === '' ? [] : [shape]), name, ...tokens.map(String)];
  return isReadable(shape, name, tokens) ? parts.join('-') : hashedName(parts.join('-'), [shape, name, ...tokens.map(String)]);
}

/**
 * `<first>-<infix>-<second>` for two free names (e.g. a root Service and a split): readable
 * when neither contains `infix` as a dash-separated word, so the one `-<infix>-` in the
 * result says where the first name ends; hashed otherwise, as nativeName.
 */
export function pairName(first: string, infix: string, second: string): string {
  const readable = `${first}-${infix}-${second}`;
  const clean = (x: string): boolean => SIMPLE.test(x) && !x.split('-').includes(infix);
  return TOKEN.test(infix) && clean(first) && clean(second) && readable.length <= MAX_NAME ? readable : hashedName(readable, ['', first, infix, second]);
}

function hashedName(readable: string, inputs: string[]): string {
  const hash = shortHash(JSON.stringify(inputs), HASH_CHARS);
  const room = MAX_NAME - HASH_CHARS - 2;
  const cut = readable
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, room)
    .replace(/-+$/, '');
  return `${cut === '' ? 'x' : cut}--${hash}`;
}
