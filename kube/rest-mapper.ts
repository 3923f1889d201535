// The one REST mapper: apiVersion + kind -> plural and scope, so every program
// builds request paths the same way. Built-in kinds and the SMI kinds are known
// here; programs add the mesh-native kinds of the adapters they run.

import { HUB_VERSIONS, SMI_GROUPS, SMI_KINDS, SMI_PLURALS, type SmiKind } from '../schemas/hub.js';
import { resourcePath } from './client.js';

export interface ResourceKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const ns = (apiVersion: string, kind: string, plural: string): ResourceKind => ({ apiVersion, kind, plural, namespaced: true });
const cluster = (apiVersion: string, kind: string, plural: string): ResourceKind => ({ apiVersion, kind, plural, namespaced: false });

/** The built-in kinds the programs, the demo and the tests touch. */
export const BUILTIN_KINDS = {
  Namespace: cluster('v1', 'Namespace', 'namespaces'),
  Service: ns('v1', 'Service', 'services'),
  ServiceAccount: ns('v1', 'ServiceAccount', 'serviceaccounts'),
  ConfigMap: ns('v1', 'ConfigMap', 'configmaps'),
  Secret: ns('v1', 'Secret', 'secrets'),
  Pod: ns('v1', 'Pod', 'pods'),
  Event: ns('v1', 'Event', 'events'),
  Deployment: ns('apps/v1', 'Deployment', 'deployments'),
  StatefulSet: ns('apps/v1', 'StatefulSet', 'statefulsets'),
  DaemonSet: ns('apps/v1', 'DaemonSet', 'daemonsets'),
  Lease: ns('coordination.k8s.io/v1', 'Lease', 'leases'),
  ClusterRole: cluster('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles'),
  ClusterRoleBinding: cluster('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings'),
  Role: ns('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  RoleBinding: ns('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  CustomResourceDefinition: cluster('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions'),
  APIService: cluster('apiregistration.k8s.io/v1', 'APIService', 'apiservices'),
  ValidatingWebhookConfiguration: cluster('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'),
} as const satisfies Record<string, ResourceKind>;

/** The REST path of a known kind's collection (no name) or object; the namespace is dropped for a cluster-scoped kind. */
export const kindPath = (k: ResourceKind, namespace?: string, name?: string, sub?: string): string =>
  resourcePath(k.apiVersion, k.plural, k.namespaced ? namespace : undefined, name, sub);

/** An SMI kind at its hub (storage) version; every served version maps the same way. */
export const smiResourceKind = (kind: SmiKind): ResourceKind => ns(`${SMI_GROUPS[kind]}/${HUB_VERSIONS[kind]}`, kind, SMI_PLURALS[kind]);

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export class RestMapper {
  private readonly byVersion = new Map<string, ResourceKind>();
  // Plural and scope do not change between versions of a group's kind.
  private readonly byGroup = new Map<string, ResourceKind>();

  constructor(kinds: Iterable<ResourceKind> = []) {
    this.add(kinds);
  }

  add(kinds: Iterable<ResourceKind>): this {
    for (const k of kinds) {
      this.byVersion.set(`${k.apiVersion}|${k.kind}`, k);
      const g = `${groupOf(k.apiVersion)}|${k.kind}`;
      if (!this.byGroup.has(g)) this.byGroup.set(g, k);
    }
    return this;
  }

  /** The mapping for apiVersion+kind (any version of a known group+kind), or undefined. */
  mapping(apiVersion: string, kind: string): ResourceKind | undefined {
    const exact = this.byVersion.get(`${apiVersion}|${kind}`);
    if (exact) return exact;
    const other = this.byGroup.get(`${groupOf(apiVersion)}|${kind}`);
    return other && { ...other, apiVersion };
  }

  /** The REST path of an object (its collection when it has no name), or undefined for an unknown kind. */
  tryPath(o: { apiVersion: string; kind: string; metadata?: { namespace?: string; name?: string } }, sub?: string): string | undefined {
    const m = this.mapping(o.apiVersion, o.kind);
    if (!m) return undefined;
    return resourcePath(o.apiVersion, m.plural, m.namespaced ? o.metadata?.namespace : undefined, o.metadata?.name, sub);
  }

  /** As tryPath, but an unknown kind is an error naming it. */
  path(o: { apiVersion: string; kind: string; metadata?: { namespace?: string; name?: string } }, sub?: string): string {
    const p = this.tryPath(o, sub);
    if (p === undefined) throw new Error(`no REST mapping for ${o.kind} (${o.apiVersion}): not a built-in, SMI or registered mesh kind`);
    return p;
  }
}

/** Built-in and SMI kinds, plus `extra` (typically every adapter's native kinds). */
export function restMapper(extra: Iterable<ResourceKind> = []): RestMapper {
  return new RestMapper([...Object.values(BUILTIN_KINDS), ...SMI_KINDS.map(smiResourceKind)]).add(extra);
}
