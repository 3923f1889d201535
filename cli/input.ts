// Reads Kubernetes objects from files, directories (recursively) and stdin, as
// `kubectl apply -f` does: multi-document YAML or JSON, `List` kinds flattened.
// In a directory, kustomization files are skipped (they are not manifests).
// Errors are values naming the file (and line for YAML syntax errors).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../schemas/hub.js';

export interface SourcedObject {
  /** File path (or `-` for stdin) and 1-based document index. */
  source: string;
  object: KubeObject;
}

export interface InputError {
  source: string;
  message: string;
}

export interface InputResult {
  objects: SourcedObject[];
  errors: InputError[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
/** kustomize's own file names: a kustomization, not a manifest (kustomize accepts exactly these). */
const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** A file given by name is always read; in a directory, kustomizations are skipped. */
function listFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) return listFiles(full);
      return MANIFEST.test(entry) && !KUSTOMIZATION.has(entry) ? [full] : [];
    });
}

function flatten(doc: unknown, source: string, out: SourcedObject[], errors: InputError[]): void {
  if (doc === null || doc === undefined) return; // empty document between `---`
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    errors.push({ source, message: 'document is not a Kubernetes object (expected a mapping with apiVersion and kind)' });
    return;
  }
  const o = doc as Record<string, unknown>;
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
    o.items.forEach((item, i) => flatten(item, `${source} items[${i}]`, out, errors));
    return;
  }
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    errors.push({ source, message: 'missing apiVersion or kind' });
    return;
  }
  if (typeof o.metadata !== 'object' || o.metadata === null) o.metadata = {};
  out.push({ source, object: o as KubeObject });
}

/** Parses one text blob (YAML stream or JSON). */
export function parseManifests(text: string, source: string): InputResult {
  const objects: SourcedObject[] = [];
  const errors: InputError[] = [];
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (e) {
    const err = e as { mark?: { line: number; column: number }; reason?: string; message: string };
    const where = err.mark ? `:${err.mark.line + 1}:${err.mark.column + 1}` : '';
    // JSON is read as YAML (a superset); name the format the user wrote.
    const format = /\.json$/i.test(source) ? 'JSON' : 'YAML';
    errors.push({ source: `${source}${where}`, message: `invalid ${format}: ${err.reason ?? err.message.split('\n')[0]}` });
    return { objects, errors };
  }
  docs.forEach((doc, i) => flatten(doc, docs.length > 1 ? `${source}#${i + 1}` : source, objects, errors));
  return { objects, errors };
}

/** Reads every `-f` argument; `-` is stdin. */
export function readManifests(paths: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): InputResult {
  const result: InputResult = { objects: [], errors: [] };
  for (const p of paths) {
    let files: string[];
    try {
      files = p === '-' ? ['-'] : listFiles(p);
    } catch (e) {
      result.errors.push({ source: p, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String((e as Error).message) });
      continue;
    }
    for (const f of files) {
      let text: string;
      try {
        text = f === '-' ? readStdin() : readFileSync(f, 'utf8');
      } catch (e) {
        result.errors.push({ source: f, message: String((e as Error).message) });
        continue;
      }
      const r = parseManifests(text, f === '-' ? '<stdin>' : f);
      result.objects.push(...r.objects);
      result.errors.push(...r.errors);
    }
  }
  return result;
}
