// The fail-closed form of a Consul object the API server refused: the ServiceIntentions of the
// destination keep only the wildcard deny, so no source is allowed. Routers, splitters,
// resolvers and ServiceDefaults grant no access: nothing to close.

import type { KubeObject } from '../../schemas/hub.js';
import type { ClosedForm } from '../types.js';
import { CONSUL_API_VERSION } from './kinds.js';
import { DENY_ALL_DESCRIPTION } from './intentions.js';

export function closedForm(o: KubeObject): ClosedForm {
  if (o.apiVersion !== CONSUL_API_VERSION || o.kind !== 'ServiceIntentions') return undefined;
  const destination = (o.spec as { destination?: unknown } | undefined)?.destination;
  return { apply: { ...o, spec: { destination, sources: [{ name: '*', action: 'deny', description: DENY_ALL_DESCRIPTION }] } } };
}
