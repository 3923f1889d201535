// The columns `kubectl get` prints for each SMI kind and version: what the object
// says (service and backends, destination and sources, ports) and what the
// operator made of it (Ready and its reason), as `kubectl get pods` shows READY
// and STATUS.
//
// The API server renders these (apiextensions-apiserver tableconvertor): each
// jsonPath is evaluated with client-go's jsonpath and only the FIRST result is
// printed; a string column holding an array or object prints it as compact JSON.
// So a list such as the backends is one path to the whole array (all backends
// with their weights), never `[*].field` (which would show only the first), and a
// condition is picked with a filter (`[?(@.type=="Ready")]`), whose first match is
// the only one (conditions are a map keyed by type).

import type { SmiKind } from './hub.js';
import { POLICY_KINDS } from './policy-types.js';
import type { Schema, VersionSchema } from './source/common.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority?: number;
}

const condition = (type: string, field: 'status' | 'reason' | 'message'): string => `.status.conditions[?(@.type=="${type}")].${field}`;

export const STATUS_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Ready', type: 'string', jsonPath: condition('Ready', 'status'), description: 'True when the native objects for this object are applied (the Ready condition).' },
  { name: 'Reason', type: 'string', jsonPath: condition('Ready', 'reason'), description: 'Why the object is (not) ready: Applied, Invalid, InvalidReference, Conflict, Unsupported, ApplyFailed, MeshRejected, Propagating, PartiallyApplied.' },
];

const MESSAGE_COLUMN: PrinterColumn = { name: 'Message', type: 'string', jsonPath: condition('Ready', 'message'), description: 'Details of the Ready condition.', priority: 1 };
const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' };

/** `.spec.<field>` or `.<field>` (versions without a spec wrapper), or undefined when this version has no such field. */
export function fieldPath(v: VersionSchema, field: string): string | undefined {
  const spec = v.properties.spec as Schema | undefined;
  if ((spec?.properties as Record<string, Schema> | undefined)?.[field]) return `.spec.${field}`;
  if (v.properties[field]) return `.${field}`;
  return undefined;
}

type Want = Omit<PrinterColumn, 'jsonPath'> & { field: string; sub?: string };

/** Columns describing the object itself, per kind; a field the version lacks is left out. */
const SPEC_COLUMNS = {
  TrafficSplit: [
    { name: 'Service', type: 'string', field: 'service', description: 'The apex service of this split.' },
    { name: 'Backends', type: 'string', field: 'backends', description: 'The backend services and their weights.' },
    { name: 'Matches', type: 'string', field: 'matches', description: 'HTTPRouteGroups whose matching requests are split.', priority: 1 },
  ],
  TrafficTarget: [
    { name: 'Destination', type: 'string', field: 'destination', sub: 'name', description: 'The destination ServiceAccount.' },
    { name: 'Sources', type: 'string', field: 'sources', description: 'The ServiceAccounts allowed to reach the destination.' },
    { name: 'Rules', type: 'string', field: 'rules', description: 'The routes the sources may use.', priority: 1 },
    { name: 'Rules', type: 'string', field: 'specs', description: 'The routes the sources may use (v1alpha1 `specs`).', priority: 1 },
  ],
  HTTPRouteGroup: [{ name: 'Matches', type: 'string', field: 'matches', description: 'The HTTP matches (name, path regex, methods, headers).', priority: 1 }],
  TCPRoute: [{ name: 'Ports', type: 'string', field: 'matches', sub: 'ports', description: 'Matched ports (empty: all).' }],
  UDPRoute: [{ name: 'Ports', type: 'string', field: 'matches', sub: 'ports', description: 'Matched ports (empty: all).' }],
  ...Object.fromEntries(
    POLICY_KINDS.map((k) => [
      k,
      [
        { name: 'Target', type: 'string', field: 'targetRef', sub: 'name', description: 'The Service (or Namespace) the policy governs.' },
        { name: 'Matches', type: 'string', field: 'matches', description: 'HTTPRouteGroups narrowing the policy.', priority: 1 },
      ] satisfies Want[],
    ]),
  ),
} as unknown as Record<SmiKind, readonly Want[]>;

export function printerColumns(kind: SmiKind, v: VersionSchema): PrinterColumn[] {
  const spec: PrinterColumn[] = [];
  for (const { name, type, field, sub, description, priority } of SPEC_COLUMNS[kind]) {
    const path = fieldPath(v, field);
    // TCPRoute v1alpha4 `matches` is an object with `ports`; older versions have no matches at all.
    if (path) spec.push({ name, type, jsonPath: sub ? `${path}.${sub}` : path, description, ...(priority ? { priority } : {}) });
  }
  const wide = spec.filter((c) => c.priority);
  return [...spec.filter((c) => !c.priority), ...STATUS_COLUMNS, AGE_COLUMN, ...wide, MESSAGE_COLUMN];
}
