// The fail-closed form of an Istio object the API server refused: the AuthorizationPolicy
// allows nothing (an ALLOW policy without rules) and the PeerAuthentication is STRICT, both on
// the same pods. A VirtualService grants no access: nothing to close.

import type { KubeObject } from '../../schemas/hub.js';
import type { ClosedForm } from '../types.js';
import { AUTHORIZATION_POLICY, PEER_AUTHENTICATION } from './kinds.js';

export function closedForm(o: KubeObject): ClosedForm {
  const selector = (o.spec as { selector?: unknown } | undefined)?.selector;
  if (o.apiVersion === AUTHORIZATION_POLICY.apiVersion && o.kind === AUTHORIZATION_POLICY.kind) {
    return { apply: { ...o, spec: { ...(selector ? { selector } : {}), action: 'ALLOW' } } };
  }
  if (o.apiVersion === PEER_AUTHENTICATION.apiVersion && o.kind === PEER_AUTHENTICATION.kind) {
    return { apply: { ...o, spec: { ...(selector ? { selector } : {}), mtls: { mode: 'STRICT' } } } };
  }
  return undefined;
}
