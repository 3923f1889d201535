// Consul semantics: identities are service names (the Kubernetes namespace is not
// part of them without Enterprise); the intention with the most precise source
// decides; L7 permissions are tried in order and, when none matches, the ACL
// default policy decides (evaluated both ways: if the answer depends on it, the
// verdict is `default`). Routing: the root's ServiceRouter (first matching route),
// then splitters, which chain unless a split names a subset; routers and
// splitters only work for services with an HTTP-based protocol.

import type { KubeObject } from '../../schemas/hub.js';
import { addShare, fullMatch, roundShares, spec, type AccessQuery, type MeshInterpreter, type Verdict, type World } from './common.js';
import type { HttpRequest, RoutePolicy } from '../types.js';
import { meshDurationMs } from '../../schemas/duration.js';

type HttpPerm = { pathExact?: string; pathPrefix?: string; pathRegex?: string; methods?: string[]; header?: Array<{ name: string; present?: boolean; exact?: string; prefix?: string; suffix?: string; regex?: string; invert?: boolean }> };
type Source = { name: string; namespace?: string; action?: 'allow' | 'deny'; permissions?: Array<{ action: 'allow' | 'deny'; http?: HttpPerm }> };

function httpMatches(h: HttpPerm | undefined, r: HttpRequest): boolean {
  if (!h) return false;
  if (h.pathExact !== undefined && r.path !== h.pathExact) return false;
  if (h.pathPrefix !== undefined && !r.path.startsWith(h.pathPrefix)) return false;
  if (h.pathRegex !== undefined && !fullMatch(h.pathRegex, r.path)) return false;
  if (h.methods && h.methods.length > 0 && !h.methods.includes(r.method)) return false;
  for (const m of h.header ?? []) {
    const v = r.headers?.[m.name.toLowerCase()];
    let ok: boolean;
    if (m.exact !== undefined) ok = v === m.exact;
    else if (m.prefix !== undefined) ok = v !== undefined && v.startsWith(m.prefix);
    else if (m.suffix !== undefined) ok = v !== undefined && v.endsWith(m.suffix);
    else if (m.regex !== undefined) ok = v !== undefined && fullMatch(m.regex, v);
    else ok = v !== undefined; // present
    if (m.invert ? ok : !ok) return false;
  }
  return true;
}

const HTTP_PROTOCOLS = ['http', 'http2', 'grpc'];

function protocolOf(world: World, ns: string, service: string): string {
  const sd = world.natives.find((o) => o.kind === 'ServiceDefaults' && o.metadata.name === service && o.metadata.namespace === ns);
  return (sd && (spec(sd).protocol as string | undefined)) ?? 'tcp';
}

function decide(world: World, q: AccessQuery, aclDefault: 'allow' | 'deny'): Verdict {
  const entries = world.natives.filter((o) => o.kind === 'ServiceIntentions');
  const dest = (o: KubeObject) => (spec(o).destination as { name?: string } | undefined)?.name;
  const entry = entries.find((o) => dest(o) === q.to.service.name) ?? entries.find((o) => dest(o) === '*');
  const sources = ((entry && spec(entry).sources) as Source[] | undefined) ?? [];
  // Precedence: an exact source name beats `*`; the namespace is ignored (not part of the OSS identity).
  const src = sources.find((s) => s.name === q.from.sa) ?? sources.find((s) => s.name === '*');
  if (!entry || !src) return { verdict: aclDefault, why: 'no intention: ACL default policy' };
  if (q.udp) return { verdict: 'deny', why: 'Consul service mesh carries no UDP' };
  if (src.action) return { verdict: src.action, why: `intention ${dest(entry)} <- ${src.name}: ${src.action}` };
  if (!q.request) return { verdict: 'deny', why: `intention ${dest(entry)} <- ${src.name} has L7 permissions only` };
  if (!HTTP_PROTOCOLS.includes(protocolOf(world, entry.metadata.namespace!, q.to.service.name))) return { verdict: 'deny', why: 'L7 permissions on a non-HTTP service are rejected by Consul' };
  const i = (src.permissions ?? []).findIndex((p) => httpMatches(p.http, q.request!));
  if (i < 0) return { verdict: aclDefault, why: `no permission of ${src.name} matches: ACL default` };
  return { verdict: src.permissions![i]!.action, why: `intention ${dest(entry)} <- ${src.name}: permission ${i} ${src.permissions![i]!.action}` };
}

function entryOf(world: World, kind: string, ns: string, name: string): KubeObject | undefined {
  return world.natives.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
}

function resolveSplit(world: World, ns: string, service: string, share: number, acc: Record<string, number>, depth = 0): void {
  const splitter = depth < 8 && HTTP_PROTOCOLS.includes(protocolOf(world, ns, service)) ? entryOf(world, 'ServiceSplitter', ns, service) : undefined;
  if (!splitter) return addShare(acc, service, share);
  for (const s of (spec(splitter).splits as Array<{ weight?: number; service?: string; serviceSubset?: string }> | undefined) ?? []) {
    const target = s.service ?? service;
    const part = (share * (s.weight ?? 0)) / 100;
    if (s.serviceSubset !== undefined || target === service) addShare(acc, target, part);
    else resolveSplit(world, ns, target, part, acc, depth + 1);
  }
}

export const consul: MeshInterpreter = {
  access(world, q) {
    const a = decide(world, q, 'allow');
    const d = decide(world, q, 'deny');
    if (a.verdict !== d.verdict) return { verdict: 'default', why: `depends on the ACL default policy (${a.why})` };
    return a;
  },
  policy(world, q) {
    // Route settings are the matched ServiceRouter route's destination; the rate limit is the service's ServiceDefaults.
    const out: RoutePolicy = {};
    if (!HTTP_PROTOCOLS.includes(protocolOf(world, q.ns, q.service.name))) return out;
    const router = entryOf(world, 'ServiceRouter', q.ns, q.service.name);
    const routes = ((router && spec(router).routes) as Array<{ match?: { http?: HttpPerm }; destination?: Record<string, unknown> }> | undefined) ?? [];
    const d = routes.find((r) => httpMatches(r.match?.http ?? {}, q.request!))?.destination ?? {};
    const timeout = typeof d.requestTimeout === 'string' ? meshDurationMs(d.requestTimeout) : undefined;
    if (timeout) out.timeoutMs = timeout;
    if (typeof d.numRetries === 'number' && d.numRetries > 0) out.retryAttempts = d.numRetries;
    const sd = entryOf(world, 'ServiceDefaults', q.ns, q.service.name);
    const rps = (sd && (spec(sd).rateLimits as { instanceLevel?: { requestsPerSecond?: number } } | undefined)?.instanceLevel?.requestsPerSecond) || undefined;
    if (rps) out.rateLimitPerSecond = rps;
    return out;
  },
  split(world, q) {
    const acc: Record<string, number> = {};
    let target = q.service.name;
    const router = entryOf(world, 'ServiceRouter', q.ns, q.service.name);
    if (router && q.request && HTTP_PROTOCOLS.includes(protocolOf(world, q.ns, q.service.name))) {
      const routes = (spec(router).routes as Array<{ match?: { http?: HttpPerm }; destination?: { service?: string } }> | undefined) ?? [];
      const hit = routes.find((r) => httpMatches(r.match?.http ?? {}, q.request!));
      if (hit?.destination?.service) target = hit.destination.service;
    }
    resolveSplit(world, q.ns, target, 100, acc);
    return roundShares(acc);
  },
};
