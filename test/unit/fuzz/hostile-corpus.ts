// The hostile input corpus (issue 18): what a tenant may hand the webhook and the
// operator to make them slow, crash or open access. Generated, deterministic, shared
// by the fuzz suite (test/unit/fuzz/hostile.fuzz.test.ts), the fault suite
// (test/integration/faults/hostile.test.ts) and the event-loop flood test.
//
// - regexes: huge, deeply repeated and pathological (`x\Q` repeated then `\E`, nested
//   quantifiers, nested groups, many alternations, Unicode and case-folded classes
//   that are slow to parse, counted repetitions), at, below and above the limits;
// - quantities: absurd v1alpha1 weights (`1e999999999`, 100,000 digits, ...);
// - look-alike pods: labels of a governed workload, another ServiceAccount;
// - colliding names: `a.b` next to `a-b`, which a careless name mapping would merge.

import fc from 'fast-check';
import type { KubeObject } from '../../../schemas/hub.js';

/** CPU milliseconds this thread spends in `fn` (process.threadCpuUsage: other threads, e.g. GC or the offload worker, do not count). */
export function cpuMs<T>(fn: () => T): { ms: number; value: T } {
  const start = process.threadCpuUsage();
  const value = fn();
  const d = process.threadCpuUsage(start);
  return { ms: (d.user + d.system) / 1000, value };
}

const fill = (unit: string, bytes: number, pre = '', post = ''): string => pre + unit.repeat(Math.max(0, Math.floor((bytes - pre.length - post.length) / unit.length))) + post;

/** Unique per process and call: the compile cache cannot already hold a pattern made with it. */
let serial = 0;
export const fresh = (): string => `${process.pid.toString(36)}${(serial++).toString(36)}`;

/**
 * Pathological regex shapes, each `(bytes, tag) => pattern` (the tag makes it unique).
 * `valid` says whether the shape is valid RE2 within the per-regex limits at 1 KB.
 */
export const REGEX_SHAPES: ReadonlyArray<{ name: string; valid: boolean; make: (bytes: number, tag: string) => string }> = [
  { name: 'x\\Q repeated, then \\E', valid: true, make: (b, t) => `${fill('x\\Q', b - t.length - 2)}\\E${t}` },
  { name: 'nested quantifiers ((a*)*)*', valid: true, make: (b, t) => fill('((a*)*)*', b - t.length) + t },
  { name: 'nested groups (?:(?:…))', valid: true, make: (b, t) => `${'(?:'.repeat(Math.floor((b - t.length) / 4))}${t}${')'.repeat(Math.floor((b - t.length) / 4))}` },
  { name: 'many alternations a|a|…', valid: true, make: (b, t) => fill('a|', b - t.length) + t },
  { name: 'alternation of distinct words', valid: true, make: (b, t) => Array.from({ length: Math.floor((b - t.length) / 4) }, (_, i) => i.toString(36).padStart(3, '0')).join('|') + t },
  { name: 'counted repetition a{1000}', valid: true, make: (b, t) => fill('a{1000}', Math.min(b, 64) - t.length) + t },
  { name: 'Unicode class union [\\pL\\pL…]', valid: true, make: (b, t) => fill('\\pL', b - t.length - 2, '[', ']') + t },
  { name: 'case-folded non-ASCII ranges (?i)[\\x{100}-\\x{10FFFF}…]', valid: true, make: (b, t) => fill('\\x{100}-\\x{10FFFF}', b - t.length - 5, '(?i)[', ']') + t },
  { name: 'empty groups (?:)(?:)…', valid: true, make: (b, t) => fill('(?:)', b - t.length) + t },
  { name: 'unbalanced ((((', valid: false, make: (b, t) => t + fill('(', b - t.length) },
  { name: 'unterminated class [[[[', valid: false, make: (b, t) => t + fill('[', b - t.length) },
  { name: 'back-reference (a)\\1', valid: false, make: (_b, t) => `(${t})\\1` },
  { name: 'look-ahead (?=a)', valid: false, make: (_b, t) => `(?=${t})` },
  { name: 'multibyte é, over the byte limit', valid: false, make: (b, t) => t + 'é'.repeat(Math.ceil(b / 2) + 1) },
];

/** One pathological regex per shape at these sizes (bytes); the 48 KB and 240 KB ones are over the 1 KB limit. */
export function hostileRegexes(sizes: readonly number[] = [64, 1024, 48_000, 240_000]): Array<{ name: string; pattern: string }> {
  return REGEX_SHAPES.flatMap((s) => sizes.map((b) => ({ name: `${s.name} (${b} B)`, pattern: s.make(b, fresh()) })));
}

/** Absurd v1alpha1 weights (Kubernetes quantities) and near misses. */
export const HOSTILE_QUANTITIES: readonly string[] = [
  '1e999999999',
  '1e-999999999',
  '0e999999999',
  '1e2147483648',
  `1e${'9'.repeat(400)}`,
  '9'.repeat(100_000),
  `0.${'0'.repeat(100_000)}1`,
  '9Ei',
  '1n',
  '-1',
  '1.5.5',
  '',
];

export const HRG = 'specs.smi-spec.io/v1alpha4';
export const TT = 'access.smi-spec.io/v1alpha3';
export const TS = 'split.smi-spec.io/v1alpha4';

export interface GroupShape {
  matches: number;
  /** Header regexes per match (0-16). */
  headers: number;
  /** Bytes per regex. */
  bytes: number;
}

/** The largest group the limits admit: 128 matches of a path and 16 headers. */
export const MAX_GROUP: GroupShape = { matches: 128, headers: 16, bytes: 1024 };

/** An HTTPRouteGroup whose every regex is `make(bytes, tag)` with its own tag (nothing is in the compile cache). */
export function routeGroupOf(ns: string, name: string, shape: GroupShape, make: (bytes: number, tag: string) => string, maxJsonBytes = 1_400_000): KubeObject {
  const matches: Array<{ name: string; pathRegex: string; headers: Record<string, string> }> = [];
  let size = 0;
  for (let i = 0; i < shape.matches && size < maxJsonBytes; i++) {
    const m = { name: `m${i}`, pathRegex: `/${make(shape.bytes - 1, fresh())}`, headers: {} as Record<string, string> };
    for (let h = 0; h < shape.headers; h++) m.headers[`x-h${h}`] = make(shape.bytes, fresh());
    size += JSON.stringify(m).length;
    if (size >= maxJsonBytes) break;
    matches.push(m);
  }
  return { apiVersion: HRG, kind: 'HTTPRouteGroup', metadata: { name, namespace: ns }, spec: { matches } };
}

/**
 * The reference heavy group: the largest valid one of plain alternations, the shape that
 * costs the most per byte among regexes the limits admit without coming near the CPU
 * budget. Budgets are multiples of what it costs in the same run.
 */
export const referenceGroup = (ns: string, name: string, shape: GroupShape = MAX_GROUP): KubeObject => routeGroupOf(ns, name, shape, (b, t) => fill('a|', b - t.length) + t, 1_000_000);

export function split(ns: string, name: string, root: string, backends: Array<[string, string | number]>, apiVersion = TS, matches?: string[]): KubeObject {
  const spec: Record<string, unknown> = { service: root, backends: backends.map(([service, weight]) => ({ service, weight })) };
  if (matches) spec.matches = matches.map((m) => ({ kind: 'HTTPRouteGroup', name: m }));
  return { apiVersion, kind: 'TrafficSplit', metadata: { name, namespace: ns }, spec };
}

export function target(ns: string, name: string, dest: string, sources: string[], rules: Array<{ kind: string; name: string; matches?: string[] }>): KubeObject {
  return {
    apiVersion: TT,
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns },
    spec: { destination: { kind: 'ServiceAccount', name: dest, namespace: ns }, sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: ns })), rules },
  };
}

export const serviceAccount = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });

export const service = (ns: string, name: string, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }] },
});

export const deployment = (ns: string, name: string, sa: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { serviceAccountName: sa, containers: [{ name: 'app', image: 'example/app:1', ports: [{ containerPort: 8080 }] }] } },
  },
});

/** A Pod anyone who may create pods can make: a governed workload's labels, another identity. */
export const lookAlikePod = (ns: string, name: string, labels: Record<string, string>, sa: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { serviceAccountName: sa, containers: [{ name: 'c', image: 'example/app:1' }] } }) as KubeObject;

/**
 * The governed world: destinations `api` and `a-b`, each with its own workload and a
 * TrafficTarget that admits `client` on one route. Hostile inputs never change these
 * objects, so the native objects for `api` and `a-b` must stay the same or get narrower.
 */
export const GOVERNED = [
  { sa: 'api', labels: { app: 'api' } },
  { sa: 'a-b', labels: { app: 'a-b' } },
] as const;

export function governedWorld(ns: string): KubeObject[] {
  const out: KubeObject[] = [serviceAccount(ns, 'client'), serviceAccount(ns, 'evil'), deployment(ns, 'client', 'client', { app: 'client' })];
  for (const g of GOVERNED) {
    out.push(serviceAccount(ns, g.sa), service(ns, g.sa, g.labels), deployment(ns, g.sa, g.sa, g.labels));
    out.push({ apiVersion: HRG, kind: 'HTTPRouteGroup', metadata: { name: `${g.sa}-routes`, namespace: ns }, spec: { matches: [{ name: 'read', pathRegex: '/read/.*', methods: ['GET'] }] } });
    out.push(target(ns, `client-to-${g.sa}`, g.sa, ['client'], [{ kind: 'HTTPRouteGroup', name: `${g.sa}-routes`, matches: ['read'] }]));
  }
  return out;
}

/**
 * Hostile objects around the governed world. Every TrafficTarget naming a governed
 * destination references only route groups that are invalid (over a limit or not RE2),
 * so the SMI objects admit nothing more there; the valid hostile groups are used by
 * other destinations. `groups` sets how many pathological route groups, and their shape.
 */
export function hostileObjects(ns: string, o: { shapes?: typeof REGEX_SHAPES; group?: GroupShape } = {}): KubeObject[] {
  const shapes = o.shapes ?? REGEX_SHAPES;
  const shape = o.group ?? { matches: 8, headers: 4, bytes: 1024 };
  const out: KubeObject[] = [];
  // Colliding names: `a.b` is a destination next to the governed `a-b`, admitting `evil` everywhere.
  out.push(serviceAccount(ns, 'a.b'), deployment(ns, 'a-dot-b', 'a.b', { app: 'a.b' }), { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'a.b', namespace: ns }, spec: {} });
  out.push(target(ns, 'a.b', 'a.b', ['evil'], [{ kind: 'TCPRoute', name: 'a.b' }]));
  out.push({ apiVersion: HRG, kind: 'HTTPRouteGroup', metadata: { name: 'a.b-routes', namespace: ns }, spec: { matches: [{ name: 'read', pathRegex: '.*' }] } });
  // Pathological route groups: valid ones go to a destination of their own, invalid ones also to the governed ones.
  shapes.forEach((s, i) => {
    const g = routeGroupOf(ns, `hostile-${i}`, shape, s.make);
    out.push(g);
    const dest = `victim-${i}`;
    out.push(serviceAccount(ns, dest), deployment(ns, dest, dest, { app: dest }));
    out.push(target(ns, `evil-to-${dest}`, dest, ['evil'], [{ kind: 'HTTPRouteGroup', name: g.metadata.name }]));
    if (!s.valid) for (const gov of GOVERNED) out.push(target(ns, `evil-to-${gov.sa}-${i}`, gov.sa, ['evil'], [{ kind: 'HTTPRouteGroup', name: g.metadata.name }]));
  });
  // Look-alike pods of both governed workloads.
  for (const gov of GOVERNED) out.push(lookAlikePod(ns, `look-alike-${gov.sa.replace('.', '-')}`, { ...gov.labels }, 'evil'));
  // Absurd quantities, on a split of a root the governed world does not use.
  out.push(service(ns, 'web', { app: 'web' }), service(ns, 'web-v1', { app: 'web', v: '1' }), service(ns, 'web-v2', { app: 'web', v: '2' }));
  HOSTILE_QUANTITIES.forEach((q, i) => out.push(split(ns, `absurd-${i}`, 'web', [['web-v1', q], ['web-v2', '1']], 'split.smi-spec.io/v1alpha1')));
  return out;
}

/** fast-check: a regex built from hostile fragments repeated, up to ~100 KB. */
export const hostileRegexArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.constantFrom('x\\Q', '\\E', '\\', '(', ')', '(?:', '(?i)', '[', ']', '\\pL', '\\x{100}-\\x{10FFFF}', 'a{1000}', 'a*', '.*', '|', 'é', '$', 'a'), { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 1, max: 25_000 }),
  )
  .map(([parts, k]) => parts.join('').repeat(k));

/** fast-check: a route group of hostile regexes (each with its own tag), up to the match and header limits and past them. */
export const hostileGroupArb = (ns: string): fc.Arbitrary<KubeObject> =>
  fc
    .tuple(fc.array(fc.tuple(hostileRegexArb, fc.array(hostileRegexArb, { maxLength: 3 })), { minLength: 1, maxLength: 6 }), fc.constantFrom('v1alpha4', 'v1alpha1'))
    .map(([ms, version]) => {
      const matches = ms.map(([p, hs], i) => ({ name: `m${i}`, pathRegex: `${p}${fresh()}`, headers: Object.fromEntries(hs.map((h, j) => [`x-h${j}`, `${h}${fresh()}`])) }));
      const meta = { name: `gen-${fresh()}`, namespace: ns };
      return (version === 'v1alpha4' ? { apiVersion: HRG, kind: 'HTTPRouteGroup', metadata: meta, spec: { matches } } : { apiVersion: 'specs.smi-spec.io/v1alpha1', kind: 'HTTPRouteGroup', metadata: meta, matches }) as KubeObject;
    });
