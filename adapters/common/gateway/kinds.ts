// Gateway API kinds and schema limits, as the shared CRDs serve them (Gateway API
// v1.6.1, standard channel): every renderer that emits GAMMA routes reads them here.

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export const HTTPROUTE = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'HTTPRoute', plural: 'httproutes' } as const;
export const GRPCROUTE = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'GRPCRoute', plural: 'grpcroutes' } as const;

/** Limits of the Gateway API v1 HTTPRoute schema (maxItems and the CEL rule on the total). */
export const ROUTE_LIMITS = { rules: 16, matchesPerRule: 64, matchesPerRoute: 128, backendRefsPerRule: 16, pathValue: 1024, headerValue: 4096 } as const;

/** Gateway API backendRef weight bounds (int32, 0..1,000,000). */
export const MAX_WEIGHT = 1_000_000;

/** At most 16 backendRefs of at most 1,000,000 each: the sum stays far inside a proxy's u32. */
export const WEIGHT_LIMITS = { maxWeight: MAX_WEIGHT, maxTotal: MAX_WEIGHT * ROUTE_LIMITS.backendRefsPerRule } as const;
