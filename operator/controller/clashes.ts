// The user's own mesh objects that compete with one we applied, as `istioctl analyze`
// would flag them. Pure.
//   Istio: two VirtualServices for the same host (mesh traffic): Istio uses only one
//     (https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services
//     merges them only for gateways).
//   Gateway API (Linkerd, GAMMA): two HTTPRoutes/GRPCRoutes on the same Service parent port:
//     the implementation picks one by precedence (oldest first).
//   Consul: one config entry per kind per Consul service (ConsulName(): metadata.name, for
//     ServiceIntentions spec.destination.name). Without Enterprise namespace mirroring every
//     Kubernetes namespace shares one Consul namespace, so a user's entry of the same kind and
//     Consul name in any namespace is the same entry (consul-k8s's webhook refuses a second one;
//     docs/adapters/consul.md). In the same namespace it is the same Kubernetes object, which the
//     writer never overwrites (a write Conflict).

import type { KubeObject } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../adapters/types.js';
import { NATIVE_KINDS as CONSUL_KINDS } from '../../adapters/consul/kinds.js';
import { GRPCROUTE, HTTPROUTE } from '../../adapters/common/gateway/kinds.js';
import { VIRTUAL_SERVICE } from '../../adapters/istio/kinds.js';

/** Cache keys of the user-object watches (no label selector), by the native kind they compete with. */
export const USER_KINDS = [VIRTUAL_SERVICE, HTTPROUTE, GRPCROUTE, ...CONSUL_KINDS].map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, plural: k.plural, namespaced: true as const }));

export const userKindKey = (apiVersion: string, kind: string): string => `user:${apiVersion.split('/')[0]}/${kind}`;

const ours = (o: KubeObject): boolean => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/**
 * A host as Istio resolves it from a VirtualService in `ns` (pilot/pkg/model ResolveShortnameToFQDN):
 * only a name without a dot is namespace-relative; anything with a dot, and `*`, is taken literally.
 */
export function fqdn(host: string, ns: string, domain: string): string {
  const h = host.toLowerCase();
  return h === '*' || h.includes('.') ? h : `${h}.${ns}.svc.${domain}`;
}

interface VsSpec { hosts?: string[]; gateways?: string[] }
interface ParentRef { group?: string; kind?: string; name?: string; namespace?: string; port?: number }

const meshTraffic = (s: VsSpec): boolean => !s.gateways || s.gateways.length === 0 || s.gateways.includes('mesh');

function serviceParents(o: KubeObject): ParentRef[] {
  const refs = ((o as { spec?: { parentRefs?: ParentRef[] } }).spec?.parentRefs ?? []).filter((p) => p.kind === 'Service' && (p.group === undefined || p.group === '' || p.group === 'core'));
  return refs.map((p) => ({ ...p, namespace: p.namespace ?? o.metadata.namespace }));
}

/** The user object that clashes with `desired`, in words; undefined when none does. */
export function userClash(desired: KubeObject, users: readonly KubeObject[], domain: string): string | undefined {
  const ns = desired.metadata.namespace ?? 'default';
  const group = desired.apiVersion.split('/')[0];
  if (group === 'networking.istio.io' && desired.kind === 'VirtualService') {
    const spec = (desired as { spec?: VsSpec }).spec ?? {};
    if (!meshTraffic(spec)) return undefined;
    const mine = new Set((spec.hosts ?? []).map((h) => fqdn(h, ns, domain)));
    for (const u of users) {
      if (ours(u) || u.kind !== 'VirtualService') continue;
      const us = (u as { spec?: VsSpec }).spec ?? {};
      if (!meshTraffic(us)) continue;
      const shared = (us.hosts ?? []).map((h) => fqdn(h, u.metadata.namespace ?? 'default', domain)).find((h) => mine.has(h));
      if (shared) return `VirtualService ${u.metadata.namespace}/${u.metadata.name} (not managed by smi-operator) also routes host ${shared}; Istio applies only one VirtualService per host to mesh traffic: merge it or delete one`;
    }
    return undefined;
  }
  if (group === 'gateway.networking.k8s.io' && (desired.kind === 'HTTPRoute' || desired.kind === 'GRPCRoute')) {
    const mine = serviceParents(desired);
    for (const u of users) {
      if (ours(u) || u.kind !== desired.kind) continue;
      for (const p of serviceParents(u)) {
        const hit = mine.find((m) => m.name === p.name && m.namespace === p.namespace && (m.port === undefined || p.port === undefined || m.port === p.port));
        if (hit) return `${u.kind} ${u.metadata.namespace}/${u.metadata.name} (not managed by smi-operator) is also attached to Service ${p.namespace}/${p.name}${p.port ? ` port ${p.port}` : ''}; the mesh uses only one of them: merge it or delete one`;
      }
    }
    return undefined;
  }
  if (group === 'consul.hashicorp.com') {
    const entry = consulName(desired);
    for (const u of users) {
      if (ours(u) || u.kind !== desired.kind || consulName(u) !== entry) continue;
      const where = u.metadata.namespace === ns && u.metadata.name === desired.metadata.name ? '' : ' (without Consul Enterprise namespace mirroring every Kubernetes namespace shares one Consul namespace)';
      return `${u.kind} ${u.metadata.namespace}/${u.metadata.name} (not managed by smi-operator) is the Consul ${u.kind} config entry for service ${entry} too${where}; Consul keeps one entry per service: merge it or delete one`;
    }
  }
  return undefined;
}

/** The Consul config entry name a consul-k8s CRD maps to (consul-k8s ConsulName()). */
function consulName(o: KubeObject): string {
  if (o.kind === 'ServiceIntentions') return (o as { spec?: { destination?: { name?: string } } }).spec?.destination?.name ?? o.metadata.name;
  return o.metadata.name;
}
