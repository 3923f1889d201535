// Single-object semantic rules for TrafficSplit (hub form).
import type { TrafficSplit } from '../hub.js';

type Found = Array<{ path: string; message: string }>;

export function splitRules(ts: TrafficSplit): Found {
  const out: Found = [];
  const { service, backends } = ts.spec;
  const firstIndex = new Map<string, number>();
  backends.forEach((b, i) => {
    if (!Number.isSafeInteger(b.weight) || b.weight < 0) out.push({ path: `spec.backends[${i}].weight`, message: `must be a non-negative whole number, got ${b.weight}` });
    const seen = firstIndex.get(b.service);
    if (seen !== undefined) out.push({ path: `spec.backends[${i}].service`, message: `duplicate backend ${b.service} (also spec.backends[${seen}])` });
    else firstIndex.set(b.service, i);
    if (b.service === service) {
      out.push({ path: `spec.backends[${i}].service`, message: `is the root service ${service} itself; a TrafficSplit cannot be self-referential` });
    }
  });
  if (backends.length === 0) out.push({ path: 'spec.backends', message: 'must list at least one backend' });
  else if (!backends.some((b) => b.weight > 0)) out.push({ path: 'spec.backends', message: 'at least one backend needs a positive weight' });
  return out;
}
