// Pure status computation for SMI objects: Accepted and Ready conditions with
// observedGeneration. Returns nothing when the status would not change, so the
// caller writes only on change; lastTransitionTime moves only when a
// condition's status flips.

import type { Condition, SmiStatus } from '../../schemas/hub.js';

export const REASONS = {
  Accepted: 'Accepted',
  Invalid: 'Invalid',
  InvalidReference: 'InvalidReference',
  Conflict: 'Conflict',
  Unsupported: 'Unsupported',
  Applied: 'Applied',
  ApplyFailed: 'ApplyFailed',
  /** Applied, but the mesh reports it did not accept it (its status on the native object). */
  MeshRejected: 'MeshRejected',
  /** Applied and accepted, but the mesh reports it has not reached every proxy yet (Istio's Reconciled=False). */
  Propagating: 'Propagating',
  /** Applied, but not all of what the object asks for (e.g. a split without an unusable backend); the message says what is in effect. */
  PartiallyApplied: 'PartiallyApplied',
  Pending: 'Pending',
  NotApplicable: 'NotApplicable',
  TranslationFailed: 'TranslationFailed',
} as const;

export interface ConditionSpec {
  status: Condition['status'];
  reason: string;
  message: string;
}

export interface DesiredConditions {
  accepted: ConditionSpec;
  ready: ConditionSpec;
}

export interface StatusChange {
  status: SmiStatus;
  /** Conditions whose status or reason changed (for Events). */
  transitions: Condition[];
}

function merge(type: string, want: ConditionSpec, prev: Condition | undefined, generation: number | undefined, now: string): Condition {
  const c: Condition = {
    type,
    status: want.status,
    reason: want.reason,
    message: want.message.slice(0, 32_000),
    lastTransitionTime: prev && prev.status === want.status ? prev.lastTransitionTime : now,
  };
  if (generation !== undefined) c.observedGeneration = generation;
  return c;
}

function same(a: Condition | undefined, b: Condition): boolean {
  return !!a && a.status === b.status && a.reason === b.reason && a.message === b.message && a.observedGeneration === b.observedGeneration && a.lastTransitionTime === b.lastTransitionTime;
}

export function computeStatus(current: SmiStatus | undefined, generation: number | undefined, want: DesiredConditions, now: string): StatusChange | undefined {
  const prev = current?.conditions ?? [];
  const find = (t: string): Condition | undefined => prev.find((c) => c.type === t);
  const accepted = merge('Accepted', want.accepted, find('Accepted'), generation, now);
  const ready = merge('Ready', want.ready, find('Ready'), generation, now);
  // Keep conditions other writers may have added.
  const others = prev.filter((c) => c.type !== 'Accepted' && c.type !== 'Ready');
  const unchanged = same(find('Accepted'), accepted) && same(find('Ready'), ready) && current?.observedGeneration === generation;
  if (unchanged) return undefined;
  const transitions = [accepted, ready].filter((c) => {
    const p = find(c.type);
    return !p || p.status !== c.status || p.reason !== c.reason;
  });
  const status: SmiStatus = { conditions: [accepted, ready, ...others] };
  if (generation !== undefined) status.observedGeneration = generation;
  return { status, transitions };
}

export interface TransitionEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * One Event for a status change with transitions, not one per condition: Events were
 * half of the operator's API writes on bulk creation (two per new object). The reason
 * is the headline (Ready when both hold, else the reason of the first condition that
 * does not); the message carries both conditions.
 */
export function transitionEvent(change: StatusChange): TransitionEvent | undefined {
  if (change.transitions.length === 0) return undefined;
  const ours = (change.status.conditions ?? []).filter((c) => c.type === 'Accepted' || c.type === 'Ready');
  const failing = ours.find((c) => c.status !== 'True');
  return {
    type: failing ? 'Warning' : 'Normal',
    reason: failing ? failing.reason : 'Ready',
    message: ours.map((c) => `${c.type}=${c.status} (${c.reason}): ${c.message}`).join('; '),
  };
}
