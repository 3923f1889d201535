// Single-object semantic rules for TrafficSplit (hub form).
import type { TrafficSplit } from '../hub.js';
import { nameProblem } from '../names.js';

type Found = Array<{ path: string; message: string }>;

/** `unreadable(path)`: the field could not be read (see validate.ts); rules reading it are skipped. */
export function splitRules(ts: TrafficSplit, unreadable: (path: string) => boolean = () => false): Found {
  const out: Found = [];
  if (unreadable('spec.backends')) return out;
  const { service, backends } = ts.spec;
  const serviceKnown = !unreadable('spec.service');
  // The root Service as a backend (Argo Rollouts' default: root = stable Service) is
  // valid: the spec discourages it, but it means the root's own endpoints on every
  // mesh. resolve() remarks on it in the status instead of rejecting it.
  const weightKnown = (i: number) => !unreadable(`spec.backends[${i}].weight`);
  // Kubernetes requires Service names to be DNS-1035 labels; the matches name HTTPRouteGroups.
  const check = (at: string, why: string | undefined): void => void (why && !unreadable(at) && out.push({ path: at, message: why }));
  if (serviceKnown) check('spec.service', nameProblem('DNS-1035 label', service));
  if (!unreadable('spec.matches')) (ts.spec.matches ?? []).forEach((m, i) => check(`spec.matches[${i}].name`, nameProblem('DNS-1123 subdomain', m?.name)));
  const firstIndex = new Map<string, number>();
  backends.forEach((b, i) => {
    const at = `spec.backends[${i}]`;
    if (weightKnown(i) && (!Number.isSafeInteger(b.weight) || b.weight < 0)) out.push({ path: `${at}.weight`, message: `must be a non-negative whole number, got ${b.weight}` });
    if (unreadable(`${at}.service`)) return;
    check(`${at}.service`, nameProblem('DNS-1035 label', b.service));
    const seen = firstIndex.get(b.service);
    if (seen !== undefined) out.push({ path: `${at}.service`, message: `duplicate backend ${b.service} (also spec.backends[${seen}])` });
    else firstIndex.set(b.service, i);
  });
  if (backends.length === 0) out.push({ path: 'spec.backends', message: 'must list at least one backend' });
  // An unreadable weight might be the positive one: only say so when every weight was read.
  else if (backends.every((_, i) => weightKnown(i)) && !backends.some((b) => b.weight > 0)) {
    out.push({ path: 'spec.backends', message: 'at least one backend needs a positive weight' });
  }
  return out;
}
