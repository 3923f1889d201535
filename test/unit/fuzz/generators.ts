// Fuzz inputs: a corpus of valid manifests (the adapter fixtures and the
// upstream spec examples), mutations of them (near-valid objects), and
// JSON/YAML-ish garbage. The input contract is what the manifest reader and
// the API server hand over: a mapping with string apiVersion and kind and an
// object metadata; everything below that is arbitrary.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../schemas/hub.js';
import { KIND_TABLE } from '../../../schemas/versions.js';
import { EXAMPLES_DIR, REPO_ROOT } from '../schemas/paths.js';

type Json = unknown;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
    });
}

function load(file: string): KubeObject[] {
  const docs = yaml.loadAll(readFileSync(file, 'utf8')) as unknown[];
  return docs.filter((d): d is KubeObject => !!d && typeof d === 'object' && typeof (d as KubeObject).apiVersion === 'string' && typeof (d as KubeObject).kind === 'string');
}

/** One scenario per fixture folder: every object a translation needs (SMI + Services + workloads). */
export const SCENARIOS: KubeObject[][] = readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'adapters'))
  .sort()
  .map((d) => yamlFiles(join(REPO_ROOT, 'test', 'fixtures', 'adapters', d)).flatMap(load))
  .filter((s) => s.length > 0);

const exampleObjects: KubeObject[] = readdirSync(EXAMPLES_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .flatMap((f) => load(join(EXAMPLES_DIR, f)));

/** Every SMI-group object of the corpus (valid or documented counter-examples). */
export const SMI_CORPUS: KubeObject[] = [...SCENARIOS.flat(), ...exampleObjects].filter((o) => /\.smi-spec\.io\//.test(o.apiVersion));

export const SERVED_API_VERSIONS: Array<{ apiVersion: string; kind: string }> = KIND_TABLE.flatMap((k) => k.versions.map((v) => ({ apiVersion: `${k.group}/${v}`, kind: k.kind })));

// ---- garbage ----

/** Values that tend to break code written for the happy path. YAML can yield Infinity/NaN (.inf/.nan). */
const nasty: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  null,
  '',
  ' ',
  0,
  -1,
  1.5,
  -0,
  2 ** 53 + 1,
  1e308,
  Infinity,
  -Infinity,
  NaN,
  true,
  false,
  [],
  {},
  [null],
  'null',
  '__proto__',
  'constructor',
  'toString',
  '*',
  '(',
  '[',
  '\\Q',
  '.*',
  '^$',
  '100%',
  '1e3',
  '0x10',
  '-5',
  '1.5',
  '50m',
  '1Ki',
  'é',
  '\u0000',
  'a'.repeat(300),
  'UPPER',
  'ns/name',
);

// No empty key: an unknown field named "" gets the empty path (reported as a finding); its name cannot be shown.
const key = fc.oneof(fc.constantFrom('name', 'namespace', 'service', 'weight', 'backends', 'matches', 'kind', 'ports', 'headers', 'methods', 'pathRegex', 'sources', 'destination', 'rules', 'spec', '__proto__', 'constructor'), fc.string({ minLength: 1, maxLength: 6 }));

/**
 * Plain objects as JSON.parse and js-yaml build them (a `__proto__` key is an own
 * property, the prototype is Object.prototype); fast-check builds null-prototype
 * objects for such keys, which no parser produces.
 */
export function plain(v: Json): Json {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(o, k, { value: plain(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

/** Arbitrary JSON-ish values, biased towards the shapes SMI uses. */
const rawGarbage: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nasty,
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;
export const garbage: fc.Arbitrary<Json> = rawGarbage.map(plain);

const metadataGarbage: fc.Arbitrary<Record<string, Json>> = fc.record(
  {
    name: fc.oneof(fc.constantFrom('web', 'a', 'x-y'), garbage),
    namespace: fc.oneof(fc.constantFrom('shop', 'default'), garbage),
    labels: garbage,
    annotations: garbage,
    generation: garbage,
  },
  { requiredKeys: [] },
);

/** A served SMI apiVersion/kind (sometimes a wrong pairing or unknown version) with a garbage body. */
export const garbageObject: fc.Arbitrary<KubeObject> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(...SERVED_API_VERSIONS),
      fc.record({ apiVersion: fc.constantFrom('split.smi-spec.io/v1alpha9', 'specs.smi-spec.io/v1', 'access.smi-spec.io/v1alpha3', 'v1'), kind: fc.constantFrom('TrafficSplit', 'TCPRoute', 'Service', 'Foo') }),
    ),
    metadataGarbage,
    fc.dictionary(key, garbage, { maxKeys: 4 }),
    fc.option(garbage, { nil: undefined }),
  )
  .map(([t, metadata, extra, spec]) => {
    const o: Record<string, Json> = { ...extra, apiVersion: t.apiVersion, kind: t.kind, metadata };
    if (spec !== undefined) o.spec = spec;
    return plain(o) as KubeObject;
  });

// ---- mutation ----

type Path = Array<string | number>;

/** Every position inside a JSON value (objects and arrays), root excluded. */
function positions(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  const entries: Array<[string | number, Json]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : v && typeof v === 'object' ? Object.entries(v) : [];
  for (const [k, x] of entries) {
    out.push([...prefix, k]);
    positions(x, [...prefix, k], out);
  }
  return out;
}

type Op = 'delete' | 'replace' | 'wrap' | 'duplicate' | 'addKey' | 'stringify';

function mutateAt(root: Json, path: Path, op: Op, value: Json, extraKey: string): Json {
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent: Record<string | number, Json> = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const cur = parent[last];
  switch (op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'replace':
      parent[last] = value;
      break;
    case 'wrap':
      parent[last] = [cur];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(cur));
      else parent[last] = Array.isArray(cur) ? [...cur, ...(structuredClone(cur) as Json[])] : cur;
      break;
    case 'addKey':
      if (cur && typeof cur === 'object' && !Array.isArray(cur)) Object.defineProperty(cur, extraKey, { value, enumerable: true, writable: true, configurable: true });
      else parent[last] = plain({ [extraKey]: value });
      break;
    case 'stringify':
      parent[last] = typeof cur === 'string' ? Number(cur) : JSON.stringify(cur) ?? 'undefined';
      break;
  }
  return copy;
}

const op = fc.constantFrom<Op>('delete', 'replace', 'replace', 'wrap', 'duplicate', 'addKey', 'stringify');

/** One to three mutations of an object; apiVersion/kind stay strings (the input contract). */
export function mutated(base: fc.Arbitrary<KubeObject>): fc.Arbitrary<KubeObject> {
  const step = fc.tuple(fc.nat(), op, garbage, key);
  return fc.tuple(base, fc.array(step, { minLength: 1, maxLength: 3 })).map(([obj, steps]) => {
    let cur: Json = obj;
    for (const [n, o, value, k] of steps) {
      const ps = positions(cur).filter((p) => !(p.length === 1 && (p[0] === 'apiVersion' || p[0] === 'kind' || p[0] === 'metadata')));
      if (ps.length === 0) continue;
      cur = mutateAt(cur, ps[n % ps.length]!, o, value, k);
    }
    return cur as KubeObject;
  });
}

export const corpusObject: fc.Arbitrary<KubeObject> = fc.constantFrom(...SMI_CORPUS).map((o) => structuredClone(o));
export const scenario: fc.Arbitrary<KubeObject[]> = fc.constantFrom(...SCENARIOS).map((s) => structuredClone(s));
