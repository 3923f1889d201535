// The fail-closed form of a Linkerd object the API server refused. Authorization objects are
// removed: a Server with accessPolicy deny admits only what an AuthorizationPolicy allows, and
// an inbound HTTPRoute's requests fall to the Server's other routes, which never authorize more
// sources (whole-port sources are on every route). A Server is already deny; an outbound
// HTTPRoute (a traffic split) grants no access.

import type { KubeObject } from '../../schemas/hub.js';
import type { ClosedForm } from '../types.js';
import { AUTHORIZATION_POLICY, HTTPROUTE, MESH_TLS_AUTHENTICATION, SERVER } from './kinds.js';

const is = (o: KubeObject, k: { apiVersion: string; kind: string }): boolean => o.apiVersion === k.apiVersion && o.kind === k.kind;

export function closedForm(o: KubeObject): ClosedForm {
  if (is(o, AUTHORIZATION_POLICY) || is(o, MESH_TLS_AUTHENTICATION)) return { remove: true };
  if (is(o, HTTPROUTE)) {
    const parents = (o.spec as { parentRefs?: Array<{ kind?: string }> } | undefined)?.parentRefs ?? [];
    if (parents.some((p) => p.kind === SERVER.kind)) return { remove: true };
  }
  return undefined;
}
