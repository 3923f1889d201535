// Which objects the page may ask the server to show as YAML: the SMI kinds (any
// served version), every adapter's native kinds and the adapter ConfigMap, mapped
// by the one REST mapper. Nothing else is served, so the page cannot turn the
// server into a general proxy for the user's credentials.

import { allNativeKinds } from '../../adapters/index.js';
import { BUILTIN_KINDS, RestMapper, smiResourceKind } from '../../kube/rest-mapper.js';
import { SMI_KINDS } from '../../schemas/hub.js';

const SHOWN = new RestMapper([...SMI_KINDS.map(smiResourceKind), ...allNativeKinds(), BUILTIN_KINDS.ConfigMap]);

export const pluralOf = (apiVersion: string, kind: string): string | undefined => SHOWN.mapping(apiVersion, kind)?.plural;
