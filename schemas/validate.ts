// Validation of SMI objects: structural (JSON Schema of the object's own
// version), then conversion to the hub, then single-object semantic rules;
// every problem found is reported, not just the first kind: the semantic rules
// run on the parts that are well typed even when other parts are not.
// Cross-object rules live in validateReferences and take the other objects as input.

import { toHubPartial, within } from './conversion.js';
import type { HTTPRouteGroup, KubeObject, SmiObject, TrafficSplit, TrafficTarget } from './hub.js';
import { problem, type Problem } from './problem.js';
import { targetRules, withTargetDefaults } from './rules/access.js';
import { splitReferenceRules, targetReferenceRules } from './rules/references.js';
import { splitRules } from './rules/split.js';
import { routeGroupRules } from './rules/specs.js';
import { policyRules } from './rules/policy.js';
import { policyReferenceRules } from './rules/references.js';
import { isPolicyKind, type PolicyObject } from './policy-types.js';
import { servedKind } from './versions.js';
import { refOf } from './object-ref.js';

/**
 * Every problem of one object. The hub is returned only when there are none;
 * it has the defaults filled in (TrafficTarget subject namespaces), unlike toHub,
 * which must stay lossless.
 */
export function validateSmiObject(obj: KubeObject): { hub?: SmiObject; problems: Problem[] } {
  const converted = toHubPartial(obj);
  if (!converted.hub) return { problems: converted.problems };
  const hub = converted.hub;
  const version = servedKind(obj.apiVersion, obj.kind)!.version;
  // A rule whose input is unreadable (wrong type, missing, not convertible) is skipped.
  const unreadable = (path: string) => within(path, converted.unreadable);
  let found: Array<{ path: string; message: string }> = [];
  let result: SmiObject = hub;
  switch (hub.kind) {
    case 'TrafficSplit':
      found = splitRules(hub as TrafficSplit, unreadable);
      break;
    case 'TrafficTarget':
      found = targetRules(hub as TrafficTarget, version, unreadable);
      result = withTargetDefaults(hub as TrafficTarget);
      break;
    case 'HTTPRouteGroup':
      found = routeGroupRules(hub as HTTPRouteGroup, version, unreadable);
      break;
    default:
      if (isPolicyKind(hub.kind)) found = policyRules(hub as PolicyObject, unreadable);
      break;
  }
  const ref = refOf(obj);
  // One problem per field: where a rule and the schema both object (a negative
  // weight: `minimum: 0`), the rule's message is the more specific one.
  const rulePaths = new Set(found.map((f) => f.path));
  const schema = converted.problems.filter((p) => !rulePaths.has(p.path));
  const problems = [...schema, ...found.map((f) => problem(ref, f.path, f.message))];
  return problems.length ? { problems } : { hub: result, problems };
}

/** Cross-object rules for one hub object against the others (pure, no I/O). */
export function validateReferences(hub: SmiObject, others: SmiObject[]): Problem[] {
  const ref = refOf(hub);
  if (hub.kind === 'TrafficTarget') return targetReferenceRules(hub as TrafficTarget, others).map((f) => problem(ref, f.path, f.message));
  if (hub.kind === 'TrafficSplit') return splitReferenceRules(hub as TrafficSplit, others).map((f) => problem(ref, f.path, f.message));
  if (isPolicyKind(hub.kind)) return policyReferenceRules(hub as PolicyObject, others).map((f) => problem(ref, f.path, f.message));
  return [];
}
