// The native kinds the Linkerd renderer emits. Versions are the ones the shared
// CRDs serve: Gateway API v1.6.1 (HTTPRoute v1) and Linkerd 2.20 policy CRDs.

import { GATEWAY_GROUP, HTTPROUTE, MAX_WEIGHT, ROUTE_LIMITS, WEIGHT_LIMITS } from '../common/gateway/kinds.js';

export { GATEWAY_GROUP, HTTPROUTE, MAX_WEIGHT, ROUTE_LIMITS, WEIGHT_LIMITS };
export const POLICY_GROUP = 'policy.linkerd.io';

export const SERVER = { apiVersion: `${POLICY_GROUP}/v1beta3`, kind: 'Server', plural: 'servers' } as const;
export const AUTHORIZATION_POLICY = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'AuthorizationPolicy', plural: 'authorizationpolicies' } as const;
export const MESH_TLS_AUTHENTICATION = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'MeshTLSAuthentication', plural: 'meshtlsauthentications' } as const;
export const NETWORK_AUTHENTICATION = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'NetworkAuthentication', plural: 'networkauthentications' } as const;
export const HTTP_LOCAL_RATE_LIMIT_POLICY = { apiVersion: `${POLICY_GROUP}/v1alpha1`, kind: 'HTTPLocalRateLimitPolicy', plural: 'httplocalratelimitpolicies' } as const;

export const LINKERD_KINDS = [HTTPROUTE, SERVER, AUTHORIZATION_POLICY, MESH_TLS_AUTHENTICATION, NETWORK_AUTHENTICATION, HTTP_LOCAL_RATE_LIMIT_POLICY] as const;

/** Every IPv4 and IPv6 address: the kubelet's probes come from the node, with no mesh identity. */
export const ALL_NETWORKS = ['0.0.0.0/0', '::/0'] as const;
