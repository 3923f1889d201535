// An evaluator of Envoy configuration as Istio's control plane generates it: listeners, filter chains, RBAC and
// routes with Envoy's documented semantics only. Anything it does not implement is refused (Refusal), never guessed.

export { handle, type EnvoyConfig, type Outcome, type RbacStep } from './flow.js';
export type { Connection } from './listener.js';
export type { Request } from './matchers.js';
export { Refusal } from './refuse.js';
export { findCluster, upstreamTransport, type UpstreamTransport } from './upstream.js';
export { clusterSettings, routeSettings, type ClusterSettings, type RouteSettings } from './policy.js';
