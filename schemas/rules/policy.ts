// Single-object semantic rules for the policy.smi-operator.io kinds: what the
// structural schema cannot say (at least one setting, ordered durations, a
// Namespace target naming its own namespace).
import { durationMs } from '../duration.js';
import { nameProblem } from '../names.js';
import type { PolicyObject } from '../policy-types.js';

type Found = Array<{ path: string; message: string }>;

export function policyRules(p: PolicyObject, unreadable: (path: string) => boolean = () => false): Found {
  const out: Found = [];
  if (unreadable('spec')) return out;
  const spec = p.spec as unknown as Record<string, unknown>;
  const ns = p.metadata?.namespace ?? 'default';
  const t = p.spec.targetRef;
  if (!unreadable('spec.targetRef') && !unreadable('spec.targetRef.name') && !unreadable('spec.targetRef.kind') && t) {
    if (t.kind === 'Service') {
      const why = nameProblem('DNS-1035 label', t.name);
      if (why) out.push({ path: 'spec.targetRef.name', message: why });
    } else if (t.kind === 'Namespace' && !unreadable('metadata.namespace') && t.name !== ns) {
      out.push({ path: 'spec.targetRef.name', message: `a Namespace target must be the policy's own namespace ${ns}, got ${t.name}` });
    }
  }
  const needOne = (fields: string[], at = 'spec'): void => {
    const base = at === 'spec' ? spec : (spec[at.slice(5)] as Record<string, unknown> | undefined);
    if (unreadable(at) || !base) return;
    if (!fields.some((f) => base[f] !== undefined)) out.push({ path: at, message: `must set at least one of ${fields.join(', ')}` });
  };
  const ms = (path: string, v: unknown): number | undefined => (typeof v === 'string' && !unreadable(path) ? durationMs(v) : undefined);
  switch (p.kind) {
    case 'TimeoutPolicy': {
      needOne(['request', 'backendRequest', 'idle', 'connect']);
      const req = ms('spec.request', p.spec.request);
      const backend = ms('spec.backendRequest', p.spec.backendRequest);
      // Gateway API: backendRequest must not exceed request (a longer try could never finish).
      if (req !== undefined && backend !== undefined && req > 0 && backend > req) out.push({ path: 'spec.backendRequest', message: `${p.spec.backendRequest} is longer than spec.request ${p.spec.request}` });
      break;
    }
    case 'RetryPolicy': {
      const b = p.spec.backoff;
      const base = ms('spec.backoff.baseInterval', b?.baseInterval);
      const max = ms('spec.backoff.maxInterval', b?.maxInterval);
      if (base !== undefined && max !== undefined && max < base) out.push({ path: 'spec.backoff.maxInterval', message: `${b?.maxInterval} is shorter than spec.backoff.baseInterval ${b?.baseInterval}` });
      if (p.spec.attempts > 0 && !p.spec.retryOn?.length && !p.spec.statusCodes?.length && !unreadable('spec.retryOn') && !unreadable('spec.statusCodes')) {
        out.push({ path: 'spec.retryOn', message: 'name at least one failure to retry (retryOn or statusCodes)' });
      }
      break;
    }
    case 'CircuitBreakerPolicy':
      needOne(['connectionPool', 'outlierDetection']);
      if (p.spec.connectionPool) needOne(['maxConnections', 'maxPendingRequests', 'maxRequestsPerConnection', 'maxConcurrentRequests'], 'spec.connectionPool');
      if (p.spec.outlierDetection) needOne(['consecutive5xxErrors', 'consecutiveGatewayErrors'], 'spec.outlierDetection');
      break;
    case 'FaultInjectionPolicy':
      needOne(['delay', 'abort']);
      break;
    default:
      break;
  }
  (!unreadable('spec.matches') && Array.isArray(p.spec.matches) ? p.spec.matches : []).forEach((m, i) => {
    const why = unreadable(`spec.matches[${i}]`) || unreadable(`spec.matches[${i}].name`) ? undefined : nameProblem('DNS-1123 subdomain', m?.name);
    if (why) out.push({ path: `spec.matches[${i}].name`, message: why });
  });
  return out;
}
