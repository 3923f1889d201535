// The single source of truth for every SMI kind and version's schema.
import type { SmiKind } from '../hub.js';
import { TRAFFIC_TARGET } from './access.js';
import type { VersionSchema } from './common.js';
import { HTTP_ROUTE_GROUP, TCP_ROUTE, UDP_ROUTE } from './specs.js';
import { POLICY_SCHEMAS } from './policy.js';
import { TRAFFIC_SPLIT } from './split.js';

export const VERSION_SCHEMAS: Record<SmiKind, Record<string, VersionSchema>> = {
  TrafficSplit: TRAFFIC_SPLIT,
  TrafficTarget: TRAFFIC_TARGET,
  HTTPRouteGroup: HTTP_ROUTE_GROUP,
  TCPRoute: TCP_ROUTE,
  UDPRoute: UDP_ROUTE,
  ...POLICY_SCHEMAS,
};
