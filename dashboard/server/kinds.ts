// Which objects the page may ask the server to show as YAML, and their REST
// plurals: the SMI kinds (schemas/hub), every adapter's native kinds (each
// renderer's nativeKinds) and the adapter ConfigMap. Nothing else is served, so
// the page cannot turn the server into a general proxy for the user's credentials.

import { getRenderer } from '../../adapters/index.js';
import { MESH_NAMES } from '../../adapters/types.js';
import { HUB_VERSIONS, SMI_GROUPS, SMI_KINDS, SMI_PLURALS } from '../../schemas/hub.js';
import { KIND_TABLE } from '../../schemas/versions.js';

const PLURALS = new Map<string, string>();
for (const k of SMI_KINDS) {
  // Any served version of an SMI kind may be asked for (the stored objects are read at the hub version).
  for (const v of KIND_TABLE.find((i) => i.kind === k)?.versions ?? [HUB_VERSIONS[k]]) PLURALS.set(`${SMI_GROUPS[k]}/${v}/${k}`, SMI_PLURALS[k]);
}
for (const mesh of MESH_NAMES) for (const n of getRenderer(mesh).nativeKinds) PLURALS.set(`${n.apiVersion}/${n.kind}`, n.plural);
PLURALS.set('v1/ConfigMap', 'configmaps');

export const pluralOf = (apiVersion: string, kind: string): string | undefined => PLURALS.get(`${apiVersion}/${kind}`);
