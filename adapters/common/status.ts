// Result statuses and the per-object result book that resolve() and translate()
// fill in. Statuses only ever get worse: a later remark cannot hide an earlier error.

import type { KubeObject } from '../../schemas/hub.js';
import type { ObjectResult, ResultStatus } from '../types.js';

/** Best to worst. */
export const STATUS_ORDER: readonly ResultStatus[] = ['Accepted', 'Unsupported', 'Conflict', 'InvalidReference', 'Invalid'];

export function worseStatus(a: ResultStatus, b: ResultStatus): ResultStatus {
  return STATUS_ORDER.indexOf(a) >= STATUS_ORDER.indexOf(b) ? a : b;
}

/** `Kind namespace/name`, the key of every result (same form as schemas/hub objectRef). */
export function refOf(obj: KubeObject): string {
  return `${obj.kind} ${namespaceOf(obj)}/${obj.metadata.name}`;
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? 'default';
}

/** Accumulates one ObjectResult per SMI object. */
export class ResultBook {
  private readonly byRef = new Map<string, ObjectResult>();

  /** `onNote`: sees every message with the status it was noted with (results keep only the worst). */
  constructor(private readonly onNote?: (ref: string, message: string, status: ResultStatus) => void) {}

  /** Registers an object (Accepted, no messages) unless already known. */
  add(obj: KubeObject): ObjectResult {
    const ref = refOf(obj);
    let r = this.byRef.get(ref);
    if (!r) {
      r = { object: ref, kind: obj.kind, namespace: namespaceOf(obj), name: obj.metadata.name, status: 'Accepted', messages: [] };
      this.byRef.set(ref, r);
    }
    return r;
  }

  /** Adds a message; `status` (default Accepted, i.e. a warning) only makes the result worse. */
  note(obj: KubeObject, message: string, status: ResultStatus = 'Accepted'): void {
    this.noteRef(refOf(obj), message, status);
  }

  /** As note(), by reference; unknown references are ignored (false). */
  noteRef(ref: string, message: string, status: ResultStatus = 'Accepted'): boolean {
    const r = this.byRef.get(ref);
    if (!r) return false;
    if (!r.messages.includes(message)) r.messages.push(message);
    r.status = worseStatus(r.status, status);
    this.onNote?.(ref, message, status);
    return true;
  }

  status(obj: KubeObject): ResultStatus {
    return this.byRef.get(refOf(obj))?.status ?? 'Accepted';
  }

  /** Results sorted by object reference. */
  results(): ObjectResult[] {
    return [...this.byRef.values()].sort((a, b) => compareStrings(a.object, b.object));
  }
}

/** Code-unit order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first: creationTimestamp (absent = not yet created = newest), then name. */
export function compareAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    const da = Date.parse(ta);
    const db = Date.parse(tb);
    if (da !== db && !Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  }
  return compareStrings(a.metadata.name, b.metadata.name) || compareStrings(namespaceOf(a), namespaceOf(b));
}
