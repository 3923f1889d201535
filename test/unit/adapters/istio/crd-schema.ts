// A small structural check of emitted objects against the real Istio CRDs'
// openAPIV3Schema: unknown fields, types, enums, bounds, required fields and the
// oneOf/anyOf/not/required combinators Istio uses (e.g. StringMatch). CEL rules
// are not evaluated; the integration test applies objects to a real API server.

import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../../schemas/hub.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  not?: Schema;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  maxLength?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

const CRDS = new URL('../../../../../../shared/crds/istio/crds.yaml', import.meta.url);
let cache: Map<string, Schema> | undefined;

/** openAPIV3Schema of every served version, keyed `group/version Kind`. */
function schemas(): Map<string, Schema> {
  if (cache) return cache;
  cache = new Map();
  for (const doc of yaml.loadAll(readFileSync(CRDS, 'utf8')) as Array<Record<string, any>>) { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (doc?.kind !== 'CustomResourceDefinition') continue;
    for (const v of doc.spec.versions) if (v.served) cache.set(`${doc.spec.group}/${v.name} ${doc.spec.names.kind}`, v.schema.openAPIV3Schema);
  }
  return cache;
}

export function crdPlural(apiVersion: string, kind: string): string | undefined {
  const group = apiVersion.split('/')[0];
  for (const doc of yaml.loadAll(readFileSync(CRDS, 'utf8')) as Array<Record<string, any>>) { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (doc?.kind === 'CustomResourceDefinition' && doc.spec.group === group && doc.spec.names.kind === kind) return doc.spec.names.plural;
  }
  return undefined;
}

function holds(v: unknown, s: Schema): boolean {
  const obj = (v ?? {}) as Record<string, unknown>;
  if (s.required && !s.required.every((k) => k in obj)) return false;
  if (s.not && holds(v, s.not)) return false;
  if (s.anyOf && !s.anyOf.some((x) => holds(v, x))) return false;
  if (s.oneOf && s.oneOf.filter((x) => holds(v, x)).length !== 1) return false;
  return true;
}

function check(v: unknown, s: Schema, at: string, errors: string[]): void {
  if (s['x-kubernetes-int-or-string']) return;
  if (s.oneOf && s.oneOf.filter((x) => holds(v, x)).length !== 1) errors.push(`${at}: must satisfy exactly one oneOf branch`);
  if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
  switch (s.type) {
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return void errors.push(`${at}: must be an object`);
      const o = v as Record<string, unknown>;
      for (const k of s.required ?? []) if (!(k in o)) errors.push(`${at}.${k}: required`);
      for (const [k, x] of Object.entries(o)) {
        const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (sub) check(x, sub, `${at}.${k}`, errors);
        else if (!s['x-kubernetes-preserve-unknown-fields']) errors.push(`${at}.${k}: unknown field`);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(v)) return void errors.push(`${at}: must be an array`);
      if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${at}: more than ${s.maxItems} items`);
      v.forEach((x, i) => s.items && check(x, s.items, `${at}[${i}]`, errors));
      return;
    case 'string':
      if (typeof v !== 'string') return void errors.push(`${at}: must be a string`);
      if (s.maxLength !== undefined && v.length > s.maxLength) errors.push(`${at}: longer than ${s.maxLength}`);
      return;
    case 'integer':
      if (!Number.isInteger(v)) return void errors.push(`${at}: must be an integer`);
      if (s.minimum !== undefined && (v as number) < s.minimum) errors.push(`${at}: below ${s.minimum}`);
      if (s.maximum !== undefined && (v as number) > s.maximum) errors.push(`${at}: above ${s.maximum}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') errors.push(`${at}: must be a boolean`);
      return;
  }
}

/** Schema errors of `obj.spec`; throws when the CRD is not installed/served. */
export function specErrors(obj: KubeObject): string[] {
  const s = schemas().get(`${obj.apiVersion} ${obj.kind}`);
  if (!s) throw new Error(`no served CRD version for ${obj.apiVersion} ${obj.kind}`);
  const errors: string[] = [];
  check(obj.spec, s.properties?.spec as Schema, 'spec', errors);
  return errors;
}
