// Random SMI input for the Istio oracle tests: an app (Services with several ports and
// protocols, one Deployment per ServiceAccount) and random TrafficSplits, HTTPRouteGroups
// and TrafficTargets over it, with the regexes, weights and ports the reviews found tricky.

import fc from 'fast-check';
import type { KubeObject } from '../../schemas/hub.js';

export const NS = 'shop';
/** ServiceAccounts; a name with dots (a DNS subdomain, legal for ServiceAccounts) shows up in principals. */
export const SAS = ['web', 'api', 'db', 'ops.team'] as const;
/** The Service and Deployment of a ServiceAccount (Service names are DNS labels: no dots). */
export const svcName = (sa: string): string => sa.replaceAll('.', '-');
export const PORTS = [
  { name: 'http', port: 8080, appProtocol: 'http' },
  { name: 'grpc-api', port: 9090 },
  { name: 'tcp-admin', port: 7070, appProtocol: 'tcp' },
] as const;

export const PATH_REGEXES = ['/api', '^/api', '^/api$', '/api/.*', '', '.*', '/(v1|v2)/items', '^/a|/b', '/metrics', `/${'x'.repeat(300)}`, '/items/[0-9]+', '\\Q/a.b\\E'];
export const HEADER_REGEXES = ['true', '^true$', 'v.*', '.*Android.*', '', 'a|b', 'qa.*'];
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', '*'];

const labels = (sa: string) => ({ app: svcName(sa), 'smi-oracle/role': sa === 'web' || sa === 'api' ? 'front' : 'data' });

export function app(): KubeObject[] {
  const out: KubeObject[] = [];
  for (const sa of SAS) {
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: NS } });
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: svcName(sa), namespace: NS },
      spec: { selector: { matchLabels: { app: svcName(sa) } }, template: { metadata: { labels: labels(sa) }, spec: { serviceAccountName: sa, containers: [{ name: 'app', image: 'app', ports: PORTS.map((p) => ({ name: p.name.slice(0, 15), containerPort: p.port })) }] } } },
    } as KubeObject);
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: svcName(sa), namespace: NS }, spec: { selector: { app: svcName(sa) }, ports: PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP', ...('appProtocol' in p ? { appProtocol: p.appProtocol } : {}) })) } } as KubeObject);
  }
  // A root Service for splits, selecting nothing of its own.
  out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'root', namespace: NS }, spec: { selector: { 'smi-oracle/role': 'front' }, ports: PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP', ...('appProtocol' in p ? { appProtocol: p.appProtocol } : {}) })) } } as KubeObject);
  return out;
}

export interface GenMatch {
  name: string;
  pathRegex?: string;
  methods?: string[];
  headers?: Record<string, string>;
}

export const match: fc.Arbitrary<Omit<GenMatch, 'name'>> = fc.record(
  {
    pathRegex: fc.constantFrom(...PATH_REGEXES),
    methods: fc.subarray(METHODS, { minLength: 1, maxLength: 3 }),
    headers: fc.dictionary(fc.constantFrom('x-canary', 'user-agent'), fc.constantFrom(...HEADER_REGEXES), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

export interface GenRule {
  sources: string[];
  kind: 'HTTPRouteGroup' | 'TCPRoute';
  matches: Array<Omit<GenMatch, 'name'>>;
  ports: number[];
}

export const rule: fc.Arbitrary<GenRule> = fc.record({
  sources: fc.subarray([...SAS], { minLength: 1 }),
  kind: fc.constantFrom('HTTPRouteGroup' as const, 'TCPRoute' as const),
  matches: fc.array(match, { minLength: 1, maxLength: 3 }),
  ports: fc.subarray(PORTS.map((p) => p.port)),
});

/** TrafficTargets (one per rule) for destination `dest`, with their routes. */
export function targets(dest: string, rules: GenRule[]): KubeObject[] {
  const out: KubeObject[] = [];
  rules.forEach((r, i) => {
    const route = `r${i}`;
    if (r.kind === 'HTTPRouteGroup') out.push({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: route, namespace: NS }, spec: { matches: r.matches.map((m, j) => ({ name: `m${j}`, ...m })) } } as KubeObject);
    else out.push({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: route, namespace: NS }, spec: { matches: { ports: r.ports } } } as KubeObject);
    out.push({
      apiVersion: 'access.smi-spec.io/v1alpha3',
      kind: 'TrafficTarget',
      metadata: { name: `t${i}`, namespace: NS },
      spec: { destination: { kind: 'ServiceAccount', name: dest, namespace: NS }, rules: [{ kind: r.kind, name: route }], sources: r.sources.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: NS })) },
    } as KubeObject);
  });
  return out;
}

export const split: fc.Arbitrary<KubeObject[]> = fc
  .record({
    weights: fc.array(fc.constantFrom(0, 1, 3, 50, 999), { minLength: 1, maxLength: 3 }),
    self: fc.boolean(),
    matches: fc.option(fc.array(match, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ weights, self, matches }) => {
    const backends = weights.map((w, i) => ({ service: self && i === 0 ? 'root' : svcName(SAS[i % SAS.length]!), weight: w }));
    const objs: KubeObject[] = [];
    if (matches) objs.push({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'ab', namespace: NS }, spec: { matches: matches.map((m, j) => ({ name: `m${j}`, ...m })) } } as KubeObject);
    objs.push({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'split', namespace: NS }, spec: { service: 'root', backends, ...(matches ? { matches: [{ kind: 'HTTPRouteGroup', name: 'ab' }] } : {}) } } as KubeObject);
    return objs;
  });

/** A whole random input: the app, some TrafficTargets for each destination, maybe a split. */
export const smiInput: fc.Arbitrary<KubeObject[]> = fc
  .tuple(fc.array(rule, { maxLength: 3 }), fc.array(rule, { maxLength: 2 }), fc.option(split, { nil: undefined }))
  .map(([forApi, forDb, sp]) => {
    const t = [...targets('api', forApi), ...targets('db', forDb).map((o) => ({ ...o, metadata: { ...o.metadata, name: `db-${o.metadata.name}` } }))];
    // The db targets' rules must name the renamed routes.
    for (const o of t) {
      const spec = (o as { spec?: { rules?: Array<{ name: string }> } }).spec;
      if (o.kind === 'TrafficTarget' && o.metadata.name.startsWith('db-')) spec!.rules = spec!.rules!.map((r) => ({ ...r, name: `db-${r.name}` }));
    }
    return [...app(), ...t, ...(sp ?? [])];
  });
