// The served API surface: every SMI kind with its group, names and versions.
// generate.ts (CRDs), conversion, the operator's watches and RBAC read this table.

import { HUB_VERSIONS, SMI_GROUPS, SMI_KINDS, SMI_PLURALS, type SmiKind } from './hub.js';

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
};

const VERSIONS: Record<SmiKind, readonly string[]> = {
  TrafficSplit: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  TrafficTarget: ['v1alpha1', 'v1alpha2', 'v1alpha3'],
  HTTPRouteGroup: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  TCPRoute: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  UDPRoute: ['v1alpha4'],
};

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
