// The Istio kinds this adapter emits (and only those): the operator derives its
// watches, pruning and RBAC from this list. No DestinationRule: backends are
// separate Services (no subsets needed) and Istio's auto mTLS (on by default)
// already makes clients follow the server's PeerAuthentication mode.

export const VIRTUAL_SERVICE = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', plural: 'virtualservices' } as const;
export const AUTHORIZATION_POLICY = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', plural: 'authorizationpolicies' } as const;
export const PEER_AUTHENTICATION = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', plural: 'peerauthentications' } as const;

/** Policies only (policy.smi-operator.io): endpoint settings and tracing. They set no `tls`, so auto mTLS stays in charge. */
export const DESTINATION_RULE = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', plural: 'destinationrules' } as const;
export const TELEMETRY = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', plural: 'telemetries' } as const;

export const NATIVE_KINDS = [VIRTUAL_SERVICE, AUTHORIZATION_POLICY, PEER_AUTHENTICATION, DESTINATION_RULE, TELEMETRY] as const;

/** `<svc>.<ns>.svc.<clusterDomain>`: Istio reads short hosts relative to the rule's namespace, so always use the FQDN. */
export function serviceFqdn(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * Route weights: int32 each, and istiod's validation sums them in an int32 (only a zero
 * total is rejected); Envoy takes any sum up to uint32. Keeping the sum within int32 fits both.
 */
export const WEIGHT_LIMITS = { maxWeight: 2_147_483_647, maxTotal: 2_147_483_647 } as const;
