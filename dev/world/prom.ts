// Prometheus text parsing for the two sources the benchmarks read: the API
// server's /metrics (write requests per resource) and the operator's /metrics.

import { getAdapter } from '../../adapters/index.js';
import { MESH_NAMES } from '../../adapters/types.js';
import { SMI_PLURALS } from '../../schemas/hub.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseProm(text: string, only?: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (only && !line.startsWith(only)) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

export const sum = (samples: Sample[], name: string, pred: (l: Record<string, string>) => boolean = () => true): number =>
  samples.filter((s) => s.name === name && pred(s.labels)).reduce((a, s) => a + s.value, 0);

export const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY', 'CREATE', 'UPDATE']);

/** `resource` or `resource/subresource`, as the API server labels them. */
export type ResourceRef = string;

/** Write requests the API server has served for these resources (every client), by resource. */
export function apiserverWrites(text: string, resources: ReadonlySet<ResourceRef>): { total: number; by: Record<string, number> } {
  const by: Record<string, number> = {};
  let total = 0;
  for (const s of parseProm(text, 'apiserver_request_total{')) {
    if (!WRITE_VERBS.has(s.labels.verb ?? '')) continue;
    const ref = s.labels.subresource ? `${s.labels.resource}/${s.labels.subresource}` : (s.labels.resource ?? '');
    if (!resources.has(ref)) continue;
    by[ref] = (by[ref] ?? 0) + s.value;
    total += s.value;
  }
  return { total, by };
}

/** Everything the operator writes: the native kinds of every mesh, and SMI statuses. */
export const OPERATOR_RESOURCES: ReadonlySet<ResourceRef> = new Set([
  ...MESH_NAMES.flatMap((m) => getAdapter(m).nativeKinds.map((k) => k.plural)),
  ...Object.values(SMI_PLURALS).map((p) => `${p}/status`),
]);

export const diffWrites = (after: { by: Record<string, number> }, before: { by: Record<string, number> }): { total: number; by: Record<string, number> } => {
  const by: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(after.by)) {
    const d = v - (before.by[k] ?? 0);
    if (d) {
      by[k] = d;
      total += d;
    }
  }
  return { total, by };
};
