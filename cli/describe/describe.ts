// `smictl describe`: reads one SMI object and every managed native object that
// names it as a source (SOURCES_ANNOTATION, an ownerReference, or SOURCE_LABEL).

import type { KubeClient } from '../../kube/client.js';
import { resourcePath } from '../../kube/client.js';
import { BUILTIN_KINDS, kindPath } from '../../kube/rest-mapper.js';
import { getAdapter } from '../../adapters/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_NAMES, SOURCE_LABEL, SOURCES_ANNOTATION } from '../../adapters/types.js';
import { parseSourcesAnnotation, sourceLabelValue } from '../../adapters/common/meta.js';
import { hubApiVersion, type KubeObject, type SmiKind } from '../../schemas/hub.js';
import { KIND_TABLE, type KindInfo } from '../../schemas/versions.js';
import { CONFIG_MAP } from '../check/names.js';
import { meaning, type Contribution, type Description } from './summary.js';

/** `ts`, `trafficsplit`, `trafficsplits`, `TrafficSplit`, `trafficsplits.split.smi-spec.io`. */
export function smiKindByAlias(alias: string): KindInfo | undefined {
  const a = alias.toLowerCase();
  return KIND_TABLE.find((k) => [k.kind.toLowerCase(), k.plural, k.singular, k.shortName, `${k.plural}.${k.group}`].includes(a));
}

export type DescribeResult = { ok: true; value: Description } | { ok: false; code: number; error: string };

export async function describe(client: KubeClient, kind: SmiKind, namespace: string, name: string, operatorNamespace: string): Promise<DescribeResult> {
  const info = KIND_TABLE.find((k) => k.kind === kind)!;
  const got = await client.request<KubeObject & { status?: { conditions?: Description['conditions'] } }>('GET', resourcePath(hubApiVersion(kind), info.plural, namespace, name));
  if (!got.ok) {
    return got.error.status === 404
      ? { ok: false, code: 1, error: `${kind} ${namespace}/${name} not found${got.error.message.includes('the server could not find the requested resource') ? ' (the SMI CRDs are not installed: smictl check)' : ''}` }
      : { ok: false, code: 1, error: `reading ${kind} ${namespace}/${name}: ${got.error.message}` };
  }
  const obj = got.body;
  const cm = await client.request<{ data?: Record<string, string> }>('GET', kindPath(BUILTIN_KINDS.ConfigMap, operatorNamespace, CONFIG_MAP));
  const mesh = (cm.ok && cm.body.data?.mesh) || 'istio';

  const me = `${kind}/${namespace}/${name}`;
  const label = sourceLabelValue(obj);
  const contributions: Contribution[] = [];
  const seen = new Set<string>();
  for (const m of MESH_NAMES) {
    for (const k of getAdapter(m).nativeKinds) {
      const key = `${k.apiVersion}|${k.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const r = await client.request<{ items: KubeObject[] }>('GET', resourcePath(k.apiVersion, k.plural), { query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` } });
      if (!r.ok) continue; // that mesh's CRDs are not installed
      for (const n of r.body.items) {
        const sources = parseSourcesAnnotation(n.metadata.annotations?.[SOURCES_ANNOTATION]).map((s) => `${s.kind}/${s.namespace}/${s.name}`);
        const mine = sources.includes(me)
          || (n.metadata.ownerReferences ?? []).some((o) => o.uid === obj.metadata.uid)
          || (n.metadata.namespace === namespace && n.metadata.labels?.[SOURCE_LABEL] === label);
        if (!mine) continue;
        contributions.push({ apiVersion: k.apiVersion, kind: k.kind, ...(n.metadata.namespace ? { namespace: n.metadata.namespace } : {}), name: n.metadata.name, sharedWith: sources.filter((s) => s !== me) });
      }
    }
  }
  return {
    ok: true,
    value: {
      object: { apiVersion: obj.apiVersion, kind, namespace, name, ...(obj.metadata.generation !== undefined ? { generation: obj.metadata.generation } : {}) },
      conditions: (obj.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
      means: meaning(obj),
      mesh,
      contributesTo: contributions,
    },
  };
}
