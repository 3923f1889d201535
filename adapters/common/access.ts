// TrafficTarget semantics (SPEC §2): allow-only, enforced at the destination,
// merged per destination ServiceAccount. Anything that cannot be resolved is
// dropped and reported: a dropped rule only ever narrows what is allowed.

import { DESTINATION_PORT_ANNOTATION as LEGACY_PORT_KEY } from '../../schemas/conversion.js';
import type { TrafficTarget, TrafficTargetRule } from '../../schemas/hub.js';
import type { AccessMode, ServiceInfo, WorkloadInfo } from '../types.js';
import type { AccessRule, HttpCondition, IdentityService, ResolvedDestination, SourceIdentity } from './model.js';
import type { SnapshotIndex } from './lookup.js';
import { routePorts } from './routes.js';
import { compareAge, compareStrings, namespaceOf, type ResultBook } from './status.js';
import { serviceSelects } from './label-match.js';

export interface AccessOptions {
  accessMode: AccessMode;
  /** Port kept from a pre-v1alpha3 `destination.port`, if the object carries one; NaN when unreadable. */
  legacyPort?: (target: TrafficTarget) => number | undefined;
}

function resolveSources(tt: TrafficTarget, idx: SnapshotIndex, book: ResultBook): SourceIdentity[] {
  const ns = namespaceOf(tt);
  const sources = Array.isArray(tt.spec.sources) ? tt.spec.sources : [];
  const out: SourceIdentity[] = [];
  const seen = new Set<string>();
  sources.forEach((s, i) => {
    const at = `spec.sources[${i}]`;
    if (s?.kind !== 'ServiceAccount') {
      book.note(tt, `${at}.kind: only ServiceAccount identities are supported, got ${JSON.stringify(s?.kind)}; this source is not allowed`, 'Unsupported');
      return;
    }
    if (typeof s.name !== 'string' || s.name === '') {
      book.note(tt, `${at}.name: is required; this source is not allowed`, 'Invalid');
      return;
    }
    const namespace = s.namespace ?? ns;
    const k = `${namespace}/${s.name}`;
    if (!seen.has(k)) out.push({ namespace, serviceAccount: s.name, services: identityServices(namespace, s.name, idx) });
    seen.add(k);
  });
  if (out.length === 0) book.note(tt, 'spec.sources: no usable source, so this TrafficTarget allows nothing', sources.length === 0 ? 'Invalid' : 'Accepted');
  return out;
}

/** Ports of a rule after a legacy destination.port: the intersection; undefined when nothing is left. */
function restrictPorts(ports: number[], legacy: number | undefined): number[] | undefined {
  if (legacy === undefined) return ports;
  if (ports.length === 0) return [legacy];
  return ports.includes(legacy) ? [legacy] : undefined;
}

function httpConditions(tt: TrafficTarget, rule: TrafficTargetRule, at: string, idx: SnapshotIndex, book: ResultBook): HttpCondition[] {
  const ns = namespaceOf(tt);
  const g = idx.routeGroup(ns, rule.name);
  if (!g) {
    book.note(tt, `${at}.name: HTTPRouteGroup ${ns}/${rule.name} not found (missing, or rejected as invalid); the rule allows nothing`, 'InvalidReference');
    return [];
  }
  if (g.errors.length > 0) {
    book.note(tt, `${at}.name: HTTPRouteGroup ${ns}/${rule.name} is invalid (see its result); the rule allows nothing`, 'InvalidReference');
    return [];
  }
  const names = Array.isArray(rule.matches) ? rule.matches : [];
  if (names.length === 0) return [...g.conditions.values()]; // omitted: every match of the group
  const out: HttpCondition[] = [];
  names.forEach((n, j) => {
    const c = g.conditions.get(n);
    if (!c) book.note(tt, `${at}.matches[${j}]: HTTPRouteGroup ${ns}/${rule.name} has no match named ${JSON.stringify(n)}`, 'InvalidReference');
    else if (!out.includes(c)) out.push(c);
  });
  return out;
}

function resolveRule(tt: TrafficTarget, rule: TrafficTargetRule, i: number, sources: SourceIdentity[], legacy: number | undefined, idx: SnapshotIndex, book: ResultBook): AccessRule | undefined {
  const ns = namespaceOf(tt);
  const at = `spec.rules[${i}]`;
  const base = { target: tt, path: at, sources };
  switch (rule?.kind) {
    case 'HTTPRouteGroup': {
      const http = httpConditions(tt, rule, at, idx, book);
      if (http.length === 0) return undefined;
      return { ...base, http, ports: legacy === undefined ? [] : [legacy] };
    }
    case 'TCPRoute': {
      const route = idx.tcpRoute(ns, rule.name);
      if (!route) {
        book.note(tt, `${at}.name: TCPRoute ${ns}/${rule.name} not found (missing, or rejected as invalid); the rule allows nothing`, 'InvalidReference');
        return undefined;
      }
      const rp = routePorts(route);
      if (rp.errors.length > 0) {
        book.note(tt, `${at}.name: TCPRoute ${ns}/${rule.name} is invalid (see its result); the rule allows nothing`, 'InvalidReference');
        return undefined;
      }
      const ports = restrictPorts(rp.ports, legacy);
      if (!ports) {
        book.note(tt, `${at}: TCPRoute ${ns}/${rule.name} does not include the legacy destination port ${legacy}; the rule allows nothing`);
        return undefined;
      }
      return { ...base, ports };
    }
    case 'UDPRoute': {
      if (!idx.udpRoute(ns, rule.name)) book.note(tt, `${at}.name: UDPRoute ${ns}/${rule.name} not found (missing, or rejected as invalid)`, 'InvalidReference');
      // Never widen: a UDP allow cannot become a TCP/any-protocol allow.
      book.note(tt, `${at}.kind: UDPRoute rules are not supported (UDP traffic is not authorized by identity); the rule allows nothing`, 'Unsupported');
      return undefined;
    }
    default:
      book.note(tt, `${at}.kind: must be HTTPRouteGroup, TCPRoute or UDPRoute, got ${JSON.stringify(rule?.kind)}; the rule allows nothing`, 'Invalid');
      return undefined;
  }
}

const selects = (svc: ServiceInfo, w: WorkloadInfo): boolean => serviceSelects(svc.selector, w.podLabels);

const byOwner = (a: WorkloadInfo, b: WorkloadInfo): number => compareStrings(a.owner, b.owner);

/** The Services in `ns` selecting some pod that runs as `sa`, sorted by name: how both ends of a TrafficTarget find their Services. */
function servicesOfServiceAccount(ns: string, sa: string, idx: SnapshotIndex): ServiceInfo[] {
  const workloads = idx.workloadsOf(ns, sa);
  return idx
    .servicesIn(ns)
    .filter((s) => workloads.some((w) => selects(s, w)))
    .sort((a, b) => compareStrings(a.name, b.name));
}

/** Per snapshot: a source named by many TrafficTargets is resolved once. */
const identityCache = new WeakMap<SnapshotIndex, Map<string, IdentityService[]>>();

function identityServices(ns: string, sa: string, idx: SnapshotIndex): IdentityService[] {
  let cache = identityCache.get(idx);
  if (!cache) identityCache.set(idx, (cache = new Map()));
  const key = `${ns}/${sa}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = servicesOfServiceAccount(ns, sa, idx).map((service) => ({
    service,
    serviceAccounts: [...new Set(idx.workloadsIn(ns).filter((w) => selects(service, w)).map((w) => w.serviceAccount))].sort(compareStrings),
  }));
  cache.set(key, out);
  return out;
}

function newDestination(ns: string, sa: string, idx: SnapshotIndex): ResolvedDestination {
  const workloads = [...idx.workloadsOf(ns, sa)].sort(byOwner);
  const services = servicesOfServiceAccount(ns, sa, idx);
  const namespaceWorkloads = [...idx.workloadsIn(ns)].sort(byOwner);
  const d: ResolvedDestination = { namespace: ns, serviceAccount: sa, targets: [], workloads, namespaceWorkloads, services, rules: [] };
  const nsInfo = idx.namespace(ns);
  if (nsInfo) d.namespaceAnnotations = { ...nsInfo.annotations };
  return d;
}

/** One ResolvedDestination per destination ServiceAccount, sorted by namespace then name. */
export function resolveDestinations(targets: readonly TrafficTarget[], idx: SnapshotIndex, book: ResultBook, opts: AccessOptions): ResolvedDestination[] {
  const byDest = new Map<string, ResolvedDestination>();
  for (const tt of [...targets].sort(compareAge)) {
    const ns = namespaceOf(tt);
    const dest = tt.spec.destination;
    if (dest?.kind !== 'ServiceAccount') {
      book.note(tt, `spec.destination.kind: only ServiceAccount identities are supported, got ${JSON.stringify(dest?.kind)}; nothing is enforced`, 'Unsupported');
      continue;
    }
    if (typeof dest.name !== 'string' || dest.name === '') {
      book.note(tt, 'spec.destination.name: is required; nothing is enforced', 'Invalid');
      continue;
    }
    if (dest.namespace !== undefined && dest.namespace !== ns) {
      // Policy lands in the destination's namespace, so a foreign destination would let
      // anyone who can create a TrafficTarget write policy into another namespace.
      book.note(tt, `spec.destination.namespace: must be the TrafficTarget's own namespace ${ns}, got ${dest.namespace}; nothing is enforced`, 'Invalid');
      continue;
    }
    const sources = resolveSources(tt, idx, book);
    const legacy = opts.legacyPort?.(tt);
    const legacyBad = legacy !== undefined && Number.isNaN(legacy);
    if (legacyBad) {
      book.note(tt, `metadata.annotations.${LEGACY_PORT_KEY}: is not a port number; this TrafficTarget allows nothing`, 'Invalid');
    }
    const rules = Array.isArray(tt.spec.rules) ? tt.spec.rules : [];
    if (rules.length === 0) book.note(tt, 'spec.rules: is empty (at least one rule is required); this TrafficTarget allows nothing', 'Invalid');
    const k = `${ns}/${dest.name}`;
    let d = byDest.get(k);
    if (!d) {
      d = newDestination(ns, dest.name, idx);
      byDest.set(k, d);
    }
    if (d.workloads.length === 0) {
      book.note(tt, `spec.destination.name: no workload runs as ServiceAccount ${k}, so the identity the rules assume cannot be checked`);
    }
    d.targets.push(tt);
    rules.forEach((rule, i) => {
      const r = resolveRule(tt, rule, i, sources, legacy, idx, book);
      if (r && sources.length > 0 && !legacyBad) d.rules.push(r);
    });
    if (opts.accessMode === 'permissive') {
      book.note(tt, 'access mode is permissive: the rules are resolved, but traffic they do not allow is not denied');
    }
  }
  return [...byDest.values()].sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.serviceAccount, b.serviceAccount));
}
