// TrafficTarget destinations -> ServiceIntentions (accessMode enforce).
//
// Consul authorises by service name, and consul-k8s registers a pod under the name of
// the Kubernetes Service that selects it. Both ends of a TrafficTarget are therefore
// resolved the same way: a ServiceAccount becomes the Consul services of the Services
// (in its namespace) that select its pods. A ServiceAccount no Service selects has no
// Consul name and is left out (a source is then denied; a destination gets nothing).
// Pods of several governed ServiceAccounts behind one Service share its intentions, so a
// source is allowed there only as far as all of their TrafficTargets allow it.
// Each source gets an L4 allow or L7 allow permissions ending in a deny-everything
// permission (unmatched requests would otherwise fall to the cluster's ACL default
// policy); a wildcard `*` deny source (lower precedence than any named source) makes
// the destination deny-by-default whatever that policy is.

import type { ResolvedDestination } from '../common/model.js';
import type { ServiceInfo } from '../types.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { ANY_PATH, httpMatch, isEmptyMatch, type ConsulHttpMatch } from './match.js';
import { checkIdentity, sourceServices } from './identities.js';
import { consulServiceName } from './names.js';
import { noteForeignPorts, portFit } from './ports.js';
import { declaredProtocol, l7Blocker, l7Protocol, type ConsulProtocol } from './protocol.js';
import type { RenderSink } from './sink.js';

export const DENY_ALL_DESCRIPTION = 'smi-operator: SMI access is deny-by-default; only the sources above are allowed';

interface SourceGrant {
  /** Allowed on any request (an L4 rule). */
  l4: boolean;
  /** L7 allow matches (OR), in rule order, without duplicates. */
  http: ConsulHttpMatch[];
}

/** The grants for one destination Consul service (`service`: the Kubernetes Service registered as it). */
function collectGrants(dest: ResolvedDestination, name: string, service: ServiceInfo, sink: RenderSink): { grants: Map<string, SourceGrant> } {
  const grants = new Map<string, SourceGrant>();
  const blocker = l7Blocker(declaredProtocol(service));
  for (const rule of dest.rules) {
    const fit = portFit(rule, service);
    if (fit.fit === 'none') continue; // the rule is about other ports: it grants nothing on this service
    if (fit.fit === 'some') {
      sink.note(
        rule.target,
        `${rule.path}: ports ${rule.ports.join(', ')} ${fit.why}, and intentions authorise a source on every port of a service; the rule is not rendered for ${name}, so its sources are denied there`,
        'Unsupported',
      );
      continue;
    }
    if (rule.http && blocker) {
      sink.note(rule.target, `${rule.path}: HTTP rules need an HTTP-based Consul protocol (http, http2, grpc), but ${blocker}; the rule is not rendered for ${name}, so its sources are denied there`, 'Unsupported');
      continue;
    }
    const matches = rule.http?.map((c) => {
      const m = httpMatch(c);
      return isEmptyMatch(m) ? { pathRegex: ANY_PATH } : m;
    });
    for (const src of rule.sources) {
      for (const consulName of sourceServices(rule, src, sink)) {
        const g = grants.get(consulName) ?? { l4: false, http: [] };
        grants.set(consulName, g);
        if (!matches) g.l4 = true;
        for (const m of matches ?? []) if (!g.http.some((x) => JSON.stringify(x) === JSON.stringify(m))) g.http.push(m);
      }
      if (src.namespace !== dest.namespace && (src.services ?? []).length > 0) {
        sink.note(
          rule.target,
          `${rule.path}: source ServiceAccount ${`${src.namespace}/${src.serviceAccount}`} is matched by Consul service name only; without Consul Enterprise namespaces Consul cannot tell it from a service of that name in another Kubernetes namespace`,
        );
      }
    }
  }
  return { grants };
}

function sourcesSpec(grants: Map<string, SourceGrant>): Array<Record<string, unknown>> {
  const names = [...grants.keys()].sort();
  const sources: Array<Record<string, unknown>> = names.map((name) => {
    const g = grants.get(name) as SourceGrant;
    // One intention per source pair: an L4 allow already covers every request.
    if (g.l4) return { name, action: 'allow' };
    return {
      name,
      permissions: [...g.http.map((http) => ({ action: 'allow', http })), { action: 'deny', http: { pathRegex: ANY_PATH } }],
    };
  });
  sources.push({ name: '*', action: 'deny', description: DENY_ALL_DESCRIPTION });
  return sources;
}

/**
 * The grants one Consul service can carry when pods of several governed ServiceAccounts are
 * registered as it: intentions are per service, so a source is allowed only as far as every
 * one of those destinations allows it.
 */
function intersect(service: string, parts: Array<{ dest: ResolvedDestination; grants: Map<string, SourceGrant> }>, sink: RenderSink): Map<string, SourceGrant> {
  const first = parts[0];
  if (!first || parts.length === 1) return first?.grants ?? new Map();
  const who = parts.map((p) => p.dest.serviceAccount).join(', ');
  const noteAll = (message: string): void => {
    for (const p of parts) for (const t of p.dest.targets) sink.note(t, message, 'Unsupported');
  };
  const out = new Map<string, SourceGrant>();
  const names = new Set(parts.flatMap((p) => [...p.grants.keys()]));
  for (const name of [...names].sort()) {
    const gs = parts.map((p) => p.grants.get(name));
    if (gs.some((g) => g === undefined)) {
      const allowing = parts.filter((p) => p.grants.has(name)).map((p) => p.dest.serviceAccount).join(', ');
      noteAll(`spec.destination: Consul service ${service} holds pods of ServiceAccounts ${who}; source ${name} is allowed only for ${allowing}, and intentions are per service, so it is not allowed there`);
      continue;
    }
    const all = gs as SourceGrant[];
    if (all.every((g) => g.l4)) {
      out.set(name, { l4: true, http: [] });
      continue;
    }
    // A whole-service (L4) grant covers every request: the intersection is the L7 grants, when they agree.
    const l7 = [...new Set(all.filter((g) => !g.l4).map((g) => JSON.stringify(g.http)))];
    if (l7.length === 1) {
      out.set(name, { l4: false, http: all.find((g) => !g.l4)?.http ?? [] });
      continue;
    }
    noteAll(`spec.destination: Consul service ${service} holds pods of ServiceAccounts ${who}, whose TrafficTargets allow source ${name} different requests; intentions are per service and cannot express the intersection, so it is not allowed there`);
  }
  return out;
}

export function renderIntentions(destinations: ResolvedDestination[], defaults: ServiceDefaultsBook, sink: RenderSink): void {
  // Consul service -> the destinations whose pods are registered as it.
  const byService = new Map<string, { namespace: string; name: string; service: ServiceInfo; dests: ResolvedDestination[] }>();
  for (const dest of destinations) {
    if (!checkIdentity(dest, sink)) continue;
    noteForeignPorts(dest, sink);
    for (const s of dest.services) {
      const key = `${dest.namespace}/${consulServiceName(s)}`;
      const group = byService.get(key) ?? { namespace: dest.namespace, name: consulServiceName(s), service: s, dests: [] };
      if (!group.dests.includes(dest)) group.dests.push(dest);
      byService.set(key, group);
    }
  }
  for (const { namespace, name, service, dests } of byService.values()) {
    if (dests.length > 1) {
      for (const d of dests) {
        const first = d.targets[0];
        if (first) sink.note(first, `spec.destination: Consul service ${name} holds pods of ServiceAccounts ${dests.map((x) => x.serviceAccount).join(', ')}, all governed; Consul has one identity per service, so a source is allowed there only as far as every one of them allows it`);
      }
    }
    const parts = dests.map((dest) => ({ dest, ...collectGrants(dest, name, service, sink) }));
    const grants = intersect(name, parts, sink);
    const needsL7 = [...grants.values()].some((g) => !g.l4 && g.http.length > 0);
    const targets = dests.flatMap((d) => d.targets);
    if (needsL7) {
      const protocol: ConsulProtocol = defaults.protocol(namespace, name) ?? l7Protocol(declaredProtocol(service));
      for (const t of targets) defaults.setProtocol(namespace, name, protocol, t);
    }
    sink.emit('ServiceIntentions', name, namespace, name, { destination: { name }, sources: sourcesSpec(grants) }, targets);
  }
}
