// `smictl migrate --diff`: what applying the migration would change in a cluster. Each
// object is read from the API server (kube/ client) and compared on the fields the
// migration sets (spec, labels, annotations): create, change (which top-level spec
// fields) or unchanged.

import type { KubeClient } from '../../kube/client.js';
import { resourcePath } from '../../kube/client.js';
import type { KubeObject } from '../../schemas/hub.js';

export type Change = { object: string; action: 'create' | 'change' | 'unchanged'; fields: string[] } | { object: string; action: 'error'; fields: string[] };

const ref = (o: KubeObject): string => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** Compares one desired object with what the cluster has (undefined: absent). Pure. */
export function compare(desired: KubeObject, live: KubeObject | undefined): Change {
  if (!live) return { object: ref(desired), action: 'create', fields: [] };
  const fields: string[] = [];
  const ds = ((desired as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  const ls = ((live as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(ds).sort()) if (!same(ds[k], ls[k])) fields.push(`spec.${k}`);
  for (const [k, v] of Object.entries(desired.metadata.labels ?? {})) if (live.metadata.labels?.[k] !== v) fields.push(`metadata.labels.${k}`);
  for (const [k, v] of Object.entries(desired.metadata.annotations ?? {})) if (live.metadata.annotations?.[k] !== v) fields.push(`metadata.annotations.${k}`);
  return { object: ref(desired), action: fields.length > 0 ? 'change' : 'unchanged', fields };
}

export async function diffAgainst(client: KubeClient, objects: readonly KubeObject[], plural: (o: KubeObject) => string | undefined): Promise<Change[]> {
  const out: Change[] = [];
  for (const o of objects) {
    const p = plural(o);
    if (!p) {
      out.push({ object: ref(o), action: 'error', fields: [`no REST plural known for ${o.apiVersion} ${o.kind}`] });
      continue;
    }
    const r = await client.request<KubeObject>('GET', resourcePath(o.apiVersion, p, o.metadata.namespace ?? 'default', o.metadata.name));
    if (r.ok) out.push(compare(o, r.body));
    else if (r.error.status === 404) out.push(compare(o, undefined));
    else out.push({ object: ref(o), action: 'error', fields: [`${r.error.reason}: ${r.error.message}`] });
  }
  return out;
}

export const changeLine = (c: Change): string =>
  c.action === 'create' ? `+ ${c.object} (create)` : c.action === 'unchanged' ? `= ${c.object} (unchanged)` : c.action === 'change' ? `~ ${c.object}: ${c.fields.join(', ')}` : `! ${c.object}: ${c.fields.join('; ')}`;
