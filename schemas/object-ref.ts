// `Kind namespace/name` for any input, however malformed: hub.objectRef's format,
// with placeholders where kind, namespace or name are missing or not strings.

import { objectRef } from './hub.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function refOf(obj: unknown): string {
  const o = (obj && typeof obj === 'object' ? obj : {}) as { kind?: unknown; metadata?: unknown };
  const meta = (o.metadata && typeof o.metadata === 'object' ? o.metadata : {}) as { name?: unknown; namespace?: unknown };
  const ns = text(meta.namespace);
  return objectRef({
    kind: text(o.kind) ?? '<no kind>',
    metadata: { ...(ns ? { namespace: ns } : {}), name: text(meta.name) ?? '<unnamed>' },
  });
}
