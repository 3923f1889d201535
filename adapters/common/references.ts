// The references of one SMI object that do not resolve, by the rules resolve() applies
// (the InvalidReference findings of split.ts, access.ts and policy.ts): the admission
// webhook warns with exactly what `smictl validate`, `translate` and the operator's status
// would report for the same objects. Pure.

import type { SmiObject } from '../../schemas/hub.js';
import { isPolicyKind, type PolicyObject } from '../../schemas/policy-types.js';
import type { TrafficSplit, TrafficTarget } from '../../schemas/hub.js';
import { DEFAULT_MESH_OPTIONS, type Snapshot } from '../types.js';
import { resolveDestinations } from './access.js';
import { SnapshotIndex } from './lookup.js';
import { resolvePolicies } from './policy.js';
import { resolveSplits } from './split.js';
import { refOf, ResultBook } from './status.js';

/**
 * The InvalidReference messages (`<field path>: <message>`) resolve() notes for `obj` against
 * `snapshot`, which holds what `obj` refers to (Services, route groups). Other findings
 * (Unsupported, Conflict with other objects, remarks) are not references and are left out.
 */
export function unresolvedReferenceFindings(obj: SmiObject, snapshot: Snapshot): string[] {
  const me = refOf(obj);
  const found: string[] = [];
  const book = new ResultBook((ref, message, status) => {
    if (ref === me && status === 'InvalidReference' && !found.includes(message)) found.push(message);
  });
  book.add(obj);
  const idx = new SnapshotIndex(snapshot);
  if (obj.kind === 'TrafficSplit') resolveSplits([obj as TrafficSplit], idx, book);
  else if (obj.kind === 'TrafficTarget') resolveDestinations([obj as TrafficTarget], idx, book, { accessMode: DEFAULT_MESH_OPTIONS.accessMode });
  else if (isPolicyKind(obj.kind)) resolvePolicies([obj as unknown as PolicyObject], idx, book);
  return found;
}
