// The served API surface: every SMI kind with its group, names and versions.
// generate.ts (CRDs), conversion, the operator's watches and RBAC read this table.

import { HUB_VERSIONS, SMI_GROUPS, SMI_KINDS, SMI_PLURALS, type SmiKind } from './hub.js';
import { POLICY_KINDS, POLICY_VERSION } from './policy-types.js';

export interface KindInfo {
  kind: SmiKind;
  group: string;
  plural: string;
  singular: string;
  listKind: string;
  shortName: string;
  /** Oldest first; every version is served. */
  versions: readonly string[];
  /** The hub and CRD storage version (the newest). */
  storageVersion: string;
}

const SHORT_NAMES: Record<SmiKind, string> = {
  TrafficSplit: 'ts',
  TrafficTarget: 'tt',
  HTTPRouteGroup: 'htr',
  TCPRoute: 'tr',
  UDPRoute: 'ur',
  TimeoutPolicy: 'tmp',
  RetryPolicy: 'rtp',
  CircuitBreakerPolicy: 'cbp',
  FaultInjectionPolicy: 'fip',
  MirrorPolicy: 'mrp',
  RateLimitPolicy: 'rlp',
  TracingPolicy: 'trp',
};

const VERSIONS = {
  TrafficSplit: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  TrafficTarget: ['v1alpha1', 'v1alpha2', 'v1alpha3'],
  HTTPRouteGroup: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  TCPRoute: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  UDPRoute: ['v1alpha4'],
  ...Object.fromEntries(POLICY_KINDS.map((k) => [k, [POLICY_VERSION]])),
} as unknown as Record<SmiKind, readonly string[]>;

export const KIND_TABLE: readonly KindInfo[] = SMI_KINDS.map((kind) => ({
  kind,
  group: SMI_GROUPS[kind],
  plural: SMI_PLURALS[kind],
  singular: kind.toLowerCase(),
  listKind: `${kind}List`,
  shortName: SHORT_NAMES[kind],
  versions: VERSIONS[kind],
  storageVersion: HUB_VERSIONS[kind],
}));

export function kindInfo(kind: SmiKind): KindInfo {
  return KIND_TABLE.find((k) => k.kind === kind)!;
}

/** The SMI kind an apiVersion/kind pair names, if this operator serves that version. */
export function servedKind(apiVersion: unknown, kind: unknown): { info: KindInfo; version: string } | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const info = KIND_TABLE.find((k) => k.kind === kind && k.group === group);
  if (!info || !info.versions.includes(version)) return undefined;
  return { info, version };
}

/** True when the group is an SMI CRD group, whatever the version or kind. */
export function isSmiGroup(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const group = apiVersion.split('/')[0];
  return KIND_TABLE.some((k) => k.group === group);
}

/** Every `group/version` string a kind is served at. */
export function apiVersionsOf(kind: SmiKind): string[] {
  const info = kindInfo(kind);
  return info.versions.map((v) => `${info.group}/${v}`);
}

const LOOKALIKE_GROUPS = new Set(['split.smi-spec.io', 'access.smi-spec.io', 'specs.smi-spec.io', 'spec.smi-spec.io', 'policy.smi-operator.io']);

/**
 * Why an object that looks like SMI (an SMI group, or an SMI kind with no group)
 * is not one this operator serves; undefined for served SMI objects and for
 * everything else (Services, Gateway API TCPRoutes, ...), which callers skip.
 */
export function unservedSmiReason(apiVersion: unknown, kind: unknown): string | undefined {
  return unservedSmiField(apiVersion, kind)?.message;
}

/** Like unservedSmiReason, with the field at fault: `kind` for a kind the group does not have, else `apiVersion`. */
export function unservedSmiField(apiVersion: unknown, kind: unknown): { path: 'apiVersion' | 'kind'; message: string } | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  if (servedKind(apiVersion, kind)) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const known = KIND_TABLE.find((k) => k.kind === kind);
  const at = (path: 'apiVersion' | 'kind', message: string) => ({ path, message });
  if (!group) {
    return known ? at('apiVersion', `apiVersion ${apiVersion} has no API group; ${kind} is served as ${apiVersionsOf(known.kind).join(', ')}`) : undefined;
  }
  if (!LOOKALIKE_GROUPS.has(group)) return undefined;
  if (group === 'spec.smi-spec.io') return at('apiVersion', `group spec.smi-spec.io is a typo of the early SDK; use specs.smi-spec.io`);
  if (known && known.group !== group) {
    return at('apiVersion', `kind ${kind} is not served in group ${group}; it is served as ${apiVersionsOf(known.kind).join(', ')}`);
  }
  if (!known) {
    // Usually a misspelt kind (Trafficsplit, HttpRouteGroup) or one this operator does not serve (IdentityBinding).
    const kinds = KIND_TABLE.filter((k) => k.group === group).map((k) => k.kind);
    const near = kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
    return at('kind', `kind ${kind} is not served in group ${group}${near ? `; did you mean ${near}?` : ` (served kinds: ${kinds.join(', ')})`}`);
  }
  return at('apiVersion', `version ${apiVersion} of ${kind} is not served (served: ${known.versions.join(', ')})`);
}
