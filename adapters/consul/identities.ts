// Consul identities of both ends of a TrafficTarget: consul-k8s registers a pod under
// the name of the Kubernetes Service selecting it (docs/adapters/consul.md, "Names are
// not free"), so a ServiceAccount is named by the Services resolve() found for it.

import type { AccessRule, IdentityService, ResolvedDestination, SourceIdentity } from '../common/model.js';
import { consulServiceName } from './names.js';
import type { RenderSink } from './sink.js';

/** The Consul services the destination's pods are registered as (consul-k8s: the name of the Service selecting them). */
export function destinationServices(dest: ResolvedDestination): string[] {
  return [...new Set(dest.services.map(consulServiceName))].sort();
}

const saKey = (namespace: string, serviceAccount: string): string => `${namespace}/${serviceAccount}`;

/**
 * The Consul services a rule may name for one source. A Service that also selects pods
 * of a ServiceAccount the rule does not allow is left out: its Consul name would admit
 * those pods too.
 */
export function sourceServices(rule: AccessRule, src: SourceIdentity, sink: RenderSink): string[] {
  const who = `source ServiceAccount ${saKey(src.namespace, src.serviceAccount)}`;
  const candidates: IdentityService[] = src.services ?? [];
  if (candidates.length === 0) {
    sink.note(
      rule.target,
      `${rule.path}: ${who}: no Service selects its pods, so they have no Consul service name (consul-k8s registers pods only under the Service that selects them); it is not allowed`,
    );
    return [];
  }
  const allowed = new Set(rule.sources.map((s) => saKey(s.namespace, s.serviceAccount)));
  const out: string[] = [];
  for (const c of candidates) {
    const others = c.serviceAccounts.filter((sa) => !allowed.has(saKey(c.service.namespace, sa)));
    if (others.length > 0) {
      sink.note(
        rule.target,
        `${rule.path}: ${who}: Service ${c.service.namespace}/${c.service.name} also selects pods of ServiceAccount(s) ${others.join(', ')}, which this rule does not allow, and Consul cannot tell them apart; Consul service ${consulServiceName(c.service)} is not allowed`,
        'Unsupported',
      );
      continue;
    }
    const name = consulServiceName(c.service);
    if (name !== src.serviceAccount) {
      sink.note(
        rule.target,
        `${rule.path}: ${who} is matched as Consul service ${name} (Service ${c.service.namespace}/${c.service.name}); consul-k8s with ACLs enabled refuses to register its pods unless the ServiceAccount is named ${name}`,
      );
    }
    out.push(name);
  }
  return out;
}

/** Reports a destination whose pods have no or a surprising Consul name; true when it can be rendered at all. */
export function checkIdentity(dest: ResolvedDestination, sink: RenderSink): boolean {
  const first = dest.targets[0];
  if (!first) return false;
  if (dest.services.length === 0) {
    sink.note(
      first,
      `spec.destination: no Service selects the pods of ServiceAccount ${dest.namespace}/${dest.serviceAccount}, so they have no Consul service name (consul-k8s registers pods only under the Service that selects them); no ServiceIntentions are written for it`,
    );
    return false;
  }
  for (const s of dest.services) {
    if (consulServiceName(s) !== dest.serviceAccount) {
      sink.note(
        first,
        `spec.destination: Service ${s.namespace}/${s.name} selects pods running as ServiceAccount ${dest.serviceAccount}; Consul knows them as service ${consulServiceName(s)}, and consul-k8s with ACLs enabled refuses to register them unless the ServiceAccount is named ${consulServiceName(s)}`,
      );
    }
  }
  return true;
}
