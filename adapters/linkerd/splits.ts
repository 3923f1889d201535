// ResolvedSplit -> Linkerd outbound HTTPRoutes (adapters/common/gateway/split-routes.ts).
// Linkerd prefers the most specific match and ranks a regex path above every prefix
// (ties: the earlier rule), so the catch-all stays `PathPrefix /`. Ports Linkerd does not
// route as HTTP are not split.

import type { RenderNote, ResolvedSplit } from '../common/model.js';
import { renderSplitRoutes, type GammaRouteStyle } from '../common/gateway/split-routes.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { ServicePort } from '../types.js';
import { portKind } from './ports.js';

function portNote(split: ResolvedSplit, p: ServicePort): string | undefined {
  const kind = portKind(p);
  const at = `spec.service: Service ${split.root.name} port ${p.port}`;
  if (kind === 'not-proxied') return `${at} is ${p.protocol}; the Linkerd proxy carries only TCP, so it is not split`;
  if (kind === 'opaque') {
    return `${at} declares appProtocol ${p.appProtocol}, which Linkerd does not route as HTTP; splitting it would need a TCPRoute, which Linkerd 2.20 reads only as gateway.networking.k8s.io/v1alpha2, a version Gateway API v1.6 (standard channel) no longer serves, so it is not split`;
  }
  return undefined;
}

const LINKERD_STYLE: GammaRouteStyle = { mesh: 'linkerd', label: 'Linkerd', skipPort: portNote, regexCatchAll: false, grpcRoute: () => false };

export function renderSplit(split: ResolvedSplit): { objects: KubeObject[]; notes: RenderNote[] } {
  return renderSplitRoutes(split, LINKERD_STYLE);
}
