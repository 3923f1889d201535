// The native kinds the Linkerd renderer emits. Versions are the ones the shared
// CRDs serve: Gateway API v1.6.1 (HTTPRoute v1) and Linkerd 2.20 policy CRDs.

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const POLICY_GROUP = 'policy.linkerd.io';

export const HTTPROUTE = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'HTTPRoute', plural: 'httproutes' } as const;
export const SERVER = { apiVersion: `${POLICY_GROUP}/v1beta3`, kind: 'Server', plural: 'servers' } as const;
export const AUTHORIZATION_POLICY = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'AuthorizationPolicy', plural: 'authorizationpolicies' } as const;
export const MESH_TLS_AUTHENTICATION = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'MeshTLSAuthentication', plural: 'meshtlsauthentications' } as const;
export const NETWORK_AUTHENTICATION = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'NetworkAuthentication', plural: 'networkauthentications' } as const;

export const LINKERD_KINDS = [HTTPROUTE, SERVER, AUTHORIZATION_POLICY, MESH_TLS_AUTHENTICATION, NETWORK_AUTHENTICATION] as const;

/** Every IPv4 and IPv6 address: the kubelet's probes come from the node, with no mesh identity. */
export const ALL_NETWORKS = ['0.0.0.0/0', '::/0'] as const;

/** Limits of the Gateway API v1 HTTPRoute schema (maxItems and the CEL rule on the total). */
export const ROUTE_LIMITS = { rules: 16, matchesPerRule: 64, matchesPerRoute: 128, backendRefsPerRule: 16, pathValue: 1024, headerValue: 4096 } as const;

/** Gateway API backendRef weight bounds (int32, 0..1,000,000). */
export const MAX_WEIGHT = 1_000_000;

/** At most 16 backendRefs of at most 1,000,000 each: the sum stays far inside the proxy's u32. */
export const WEIGHT_LIMITS = { maxWeight: MAX_WEIGHT, maxTotal: MAX_WEIGHT * ROUTE_LIMITS.backendRefsPerRule } as const;
