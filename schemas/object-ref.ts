// `Kind namespace/name` for any input, however malformed: hub.objectRef's format,
// with placeholders where kind, namespace or name are missing or not strings.

import { objectRef } from './hub.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

// A kind is one word in `<Kind> <ns>/<name>`: one with whitespace is shown as a JSON
// string with the whitespace escaped, so the reference stays unambiguous.
function kindText(kind: unknown): string {
  const k = text(kind);
  if (k === undefined) return '<no kind>';
  return /\s/.test(k) ? JSON.stringify(k).replace(/\s/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : k;
}

export function refOf(obj: unknown): string {
  const o = (obj && typeof obj === 'object' ? obj : {}) as { kind?: unknown; metadata?: unknown };
  const meta = (o.metadata && typeof o.metadata === 'object' ? o.metadata : {}) as { name?: unknown; namespace?: unknown };
  const ns = text(meta.namespace);
  return objectRef({
    kind: kindText(o.kind),
    metadata: { ...(ns ? { namespace: ns } : {}), name: text(meta.name) ?? '<unnamed>' },
  });
}
