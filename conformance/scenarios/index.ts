import type { Scenario } from '../types.js';
import { accessScenarios } from './access.js';
import { conversionScenarios } from './conversion.js';
import { policyScenarios } from './policy.js';
import { splitScenarios } from './split.js';

/** Why access assertions fail on gamma: docs/capabilities.md, adapters/gamma/capabilities.ts. */
export const GAMMA_ACCESS_GAP = 'Gateway API has no authorization standard: the gamma adapter reports TrafficTargets Unsupported and enforces nothing, so the mesh default answers';

/**
 * Why policy assertions fail on gamma: Gateway API (standard channel) has timeouts and request mirroring, but no
 * retries (experimental channel), circuit breaking, fault injection, rate limiting or tracing (adapters/gamma/policy.ts).
 */
export const GAMMA_POLICY_GAP = 'Gateway API (standard channel) has no retries, circuit breaking, fault injection, rate limiting or tracing: those policies are reported Unsupported';
/** The policy kinds gamma renders, and the RoutePolicy fields they answer. */
// perTryTimeoutMs is left out: the scenarios assert it of RetryPolicy.perTryTimeout, which gamma cannot express.
const GAMMA_POLICY_FIELDS = new Set(['timeoutMs', 'mirrorService', 'mirrorPercent']);
const GAMMA_POLICY_KINDS = new Set(['TimeoutPolicy', 'MirrorPolicy']);

/**
 * The gamma declaration, by rule rather than by hand: every access assertion that expects
 * policy (allow or deny, not the mesh default) and every TrafficTarget status assertion
 * expecting another reason than Unsupported. The config-level test checks each really fails.
 */
// Conflicts and missing references are decided by the shared resolution before any renderer, so gamma reports them too.
const POLICY_REASONS_GAMMA_SHARES = new Set(['Unsupported', 'Conflict', 'InvalidReference']);

export function withGammaGaps(s: Scenario): Scenario {
  const names = s.steps.flatMap((step) =>
    step.assertions.filter((a) => (a.kind === 'access' && a.expect !== 'default') || (a.kind === 'status' && a.object.kind === 'TrafficTarget' && a.expectReason !== 'Unsupported')).map((a) => a.name),
  );
  const policies = s.steps.flatMap((step) =>
    step.assertions
      .filter(
        (a) =>
          (a.kind === 'policy' && Object.entries(a.expect).some(([k, v]) => v !== undefined && !GAMMA_POLICY_FIELDS.has(k))) ||
          (a.kind === 'status' && a.object.kind.endsWith('Policy') && !GAMMA_POLICY_KINDS.has(a.object.kind) && !POLICY_REASONS_GAMMA_SHARES.has(a.expectReason ?? '')),
      )
      .map((a) => a.name),
  );
  if (names.length === 0 && policies.length === 0) return s;
  const reason = [names.length > 0 ? GAMMA_ACCESS_GAP : '', policies.length > 0 ? GAMMA_POLICY_GAP : ''].filter(Boolean).join('; ');
  return { ...s, unsupported: { ...s.unsupported, gamma: { assertions: [...names, ...policies], reason } } };
}

export const SCENARIOS: Scenario[] = [...accessScenarios, ...splitScenarios, ...conversionScenarios, ...policyScenarios].map(withGammaGaps);
