// TrafficTarget destinations -> ServiceIntentions (accessMode enforce).
//
// Consul authorises by service name: a destination ServiceAccount becomes the Consul
// services of the Kubernetes Services that select its pods, a source ServiceAccount the
// Consul service of the same name (consul-k8s with ACLs requires the two to be equal).
// Each source gets an L4 allow or L7 allow permissions ending in a deny-everything
// permission (unmatched requests would otherwise fall to the cluster's ACL default
// policy); a wildcard `*` deny source (lower precedence than any named source) makes
// the destination deny-by-default whatever that policy is.

import type { KubeObject } from '../../schemas/hub.js';
import type { AccessRule, ResolvedDestination } from '../common/model.js';
import type { ServiceInfo } from '../types.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { ANY_PATH, httpMatch, isEmptyMatch, type ConsulHttpMatch } from './match.js';
import { consulServiceName } from './names.js';
import { isName } from '../../schemas/names.js';
import { declaredProtocol, L7_PROTOCOLS, type ConsulProtocol } from './protocol.js';
import type { RenderSink } from './sink.js';

export const DENY_ALL_DESCRIPTION = 'smi-operator: SMI access is deny-by-default; only the sources above are allowed';

interface SourceGrant {
  /** Allowed on any request (an L4 rule). */
  l4: boolean;
  /** L7 allow matches (OR), in rule order, without duplicates. */
  http: ConsulHttpMatch[];
  /** Kubernetes namespaces whose ServiceAccount of this name the grant came from. */
  namespaces: Set<string>;
}

/** The Consul services the destination's pods are registered as (consul-k8s: the Service name). */
export function destinationServices(dest: ResolvedDestination): string[] {
  const names = dest.services.map(consulServiceName);
  return names.length > 0 ? [...new Set(names)].sort() : [dest.serviceAccount];
}

/** How a rule's port list meets one Consul service: intentions can only say all ports or none. */
function portFit(rule: AccessRule, service: ServiceInfo | undefined): 'all' | 'none' | 'some' {
  if (rule.ports.length === 0) return 'all';
  if (!service || service.ports.length === 0) return 'some';
  const allowed = new Set(rule.ports);
  // SMI does not say whether a port is the Service's or the pod's: either counts.
  const hit = service.ports.filter((p) => allowed.has(p.port) || (typeof p.targetPort === 'number' && allowed.has(p.targetPort)));
  return hit.length === service.ports.length ? 'all' : hit.length === 0 ? 'none' : 'some';
}

function portList(service: ServiceInfo): string {
  return service.ports.length > 0 ? service.ports.map((p) => p.port).join(', ') : 'none';
}

/** Why L7 permissions cannot be enforced on this Service, or undefined when they can. */
function l7Blocker(service: ServiceInfo | undefined): string | undefined {
  const p = service ? declaredProtocol(service) : undefined;
  return p !== undefined && (p === 'udp' || !L7_PROTOCOLS.has(p)) ? `Service ${service?.name} is declared ${p}` : undefined;
}

/** The grants for one destination Consul service; `service` is undefined when no Service selects the pods. */
function collectGrants(dest: ResolvedDestination, name: string, service: ServiceInfo | undefined, sink: RenderSink): { grants: Map<string, SourceGrant>; needsL7: boolean } {
  const grants = new Map<string, SourceGrant>();
  const blocker = l7Blocker(service);
  for (const rule of dest.rules) {
    const fit = portFit(rule, service);
    if (fit === 'none') continue; // the rule is about other ports: it grants nothing on this service
    if (fit === 'some') {
      const why = service
        ? `cover only part of Consul service ${name} (ports: ${portList(service)})`
        : `cannot be checked against Consul service ${name}, whose ports are unknown (no Service)`;
      sink.note(
        rule.target,
        `${rule.path}: ports ${rule.ports.join(', ')} ${why}, and intentions authorise a source for every port of a service; the rule is not rendered for ${name}, so its sources are denied there`,
        'Unsupported',
      );
      continue;
    }
    if (rule.http && blocker) {
      sink.note(rule.target, `${rule.path}: HTTP rules need an HTTP-based Consul protocol, but ${blocker}; the rule is not rendered for ${name}, so its sources are denied there`, 'Unsupported');
      continue;
    }
    const matches = rule.http?.map((c) => {
      const m = httpMatch(c);
      return isEmptyMatch(m) ? { pathRegex: ANY_PATH } : m;
    });
    for (const src of rule.sources) {
      // `*` (or any non-name) would be Consul's wildcard or nobody: the source is left out (denied), never widened.
      if (!isName('DNS-1123 subdomain', src.serviceAccount)) {
        sink.note(rule.target, `${rule.path}: source ServiceAccount ${JSON.stringify(src.serviceAccount)} is not a Kubernetes name; it is not rendered, so it is denied`, 'Invalid');
        continue;
      }
      const g = grants.get(src.serviceAccount) ?? { l4: false, http: [], namespaces: new Set<string>() };
      grants.set(src.serviceAccount, g);
      g.namespaces.add(src.namespace);
      if (!matches) g.l4 = true;
      for (const m of matches ?? []) if (!g.http.some((x) => JSON.stringify(x) === JSON.stringify(m))) g.http.push(m);
      if (src.namespace !== dest.namespace) {
        sink.note(
          rule.target,
          `${rule.path}: source ServiceAccount ${src.namespace}/${src.serviceAccount} is matched as Consul service ${src.serviceAccount}; without Consul Enterprise namespaces Consul cannot tell it from a service of that name in another Kubernetes namespace`,
        );
      }
    }
  }
  return { grants, needsL7: [...grants.values()].some((g) => !g.l4 && g.http.length > 0) };
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

function warnIdentity(dest: ResolvedDestination, sink: RenderSink): void {
  const first = dest.targets[0];
  if (!first) return;
  if (dest.services.length === 0) {
    sink.note(
      first,
      `spec.destination: no Service selects the pods of ServiceAccount ${dest.namespace}/${dest.serviceAccount}; intentions are written for Consul service ${dest.serviceAccount} (consul-k8s registers pods under their Service's name and, with ACLs, requires it to equal the ServiceAccount name)`,
    );
    return;
  }
  for (const s of dest.services) {
    if (consulServiceName(s) !== dest.serviceAccount) {
      sink.note(
        first,
        `spec.destination: Service ${s.namespace}/${s.name} selects pods running as ServiceAccount ${dest.serviceAccount}; Consul knows them as service ${consulServiceName(s)}, and consul-k8s with ACLs enabled refuses to register them unless the ServiceAccount is named ${consulServiceName(s)}`,
      );
    }
  }
}

export function renderIntentions(destinations: ResolvedDestination[], defaults: ServiceDefaultsBook, sink: RenderSink): void {
  const taken = new Map<string, KubeObject>();
  for (const dest of destinations) {
    const first = dest.targets[0];
    if (!first) continue;
    warnIdentity(dest, sink);
    for (const service of destinationServices(dest)) {
      const key = `${dest.namespace}/${service}`;
      const owner = taken.get(key);
      if (owner) {
        // One ServiceIntentions per Consul service: pods of two ServiceAccounts behind one Service share it.
        sink.note(
          first,
          `spec.destination: Consul service ${service} already gets its intentions from ${owner.kind} ${owner.metadata.name} (another ServiceAccount); Consul has one identity per service, so this destination is not rendered for it`,
          'Conflict',
        );
        continue;
      }
      taken.set(key, first);
      const declared = dest.services.find((s) => consulServiceName(s) === service);
      const { grants, needsL7 } = collectGrants(dest, service, declared, sink);
      if (needsL7) {
        const p = declared ? declaredProtocol(declared) : undefined;
        const protocol: ConsulProtocol = defaults.protocol(dest.namespace, service) ?? (p && p !== 'udp' ? p : 'http');
        for (const t of dest.targets) defaults.setProtocol(dest.namespace, service, protocol, t);
      }
      sink.emit('ServiceIntentions', service, dest.namespace, service, { destination: { name: service }, sources: sourcesSpec(grants) }, dest.targets);
    }
  }
}
