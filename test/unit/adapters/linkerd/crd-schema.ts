// A small structural check of emitted objects against the real CRD schemas in
// shared/crds: unknown fields, types, enums, required, oneOf-required, list and string
// bounds, patterns. CEL rules are not evaluated here (the dry-run integration test does).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../../schemas/hub.js';
import { meshCrdDir } from '../../../../dev/controlplane/paths.js';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  oneOf?: Array<{ required?: string[] }>;
  maxItems?: number;
  minItems?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maximum?: number;
  minimum?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  additionalProperties?: Schema | boolean;
}

interface Crd {
  spec: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Schema } }> };
}

let schemas: Map<string, Schema> | undefined;

function load(): Map<string, Schema> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const sub of ['linkerd', 'gateway-api']) {
    const dir = join(meshCrdDir(), sub);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      for (const doc of yaml.loadAll(readFileSync(join(dir, f), 'utf8')) as Crd[]) {
        if (!doc?.spec?.versions) continue;
        for (const v of doc.spec.versions) {
          if (v.served) schemas.set(`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }
  return schemas;
}

function check(value: unknown, s: Schema, at: string, errs: string[]): void {
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value !== 'number' && typeof value !== 'string') errs.push(`${at}: want int or string`);
    return;
  }
  if (s.enum && !s.enum.includes(value)) errs.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`);
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errs.push(`${at}: want object`);
        return;
      }
      const o = value as Record<string, unknown>;
      for (const r of s.required ?? []) if (!(r in o)) errs.push(`${at}.${r}: required`);
      if (s.oneOf && s.oneOf.filter((alt) => (alt.required ?? []).every((r) => r in o)).length !== 1) errs.push(`${at}: must satisfy exactly one of ${JSON.stringify(s.oneOf)}`);
      for (const [k, v] of Object.entries(o)) {
        const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (sub) check(v, sub, `${at}.${k}`, errs);
        else if (!s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties !== true) errs.push(`${at}.${k}: unknown field`);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        errs.push(`${at}: want array`);
        return;
      }
      if (s.maxItems !== undefined && value.length > s.maxItems) errs.push(`${at}: ${value.length} items > ${s.maxItems}`);
      if (s.minItems !== undefined && value.length < s.minItems) errs.push(`${at}: ${value.length} items < ${s.minItems}`);
      value.forEach((v, i) => s.items && check(v, s.items, `${at}[${i}]`, errs));
      return;
    }
    case 'string':
      if (typeof value !== 'string') errs.push(`${at}: want string`);
      else {
        if (s.maxLength !== undefined && value.length > s.maxLength) errs.push(`${at}: longer than ${s.maxLength}`);
        if (s.minLength !== undefined && value.length < s.minLength) errs.push(`${at}: shorter than ${s.minLength}`);
        if (s.pattern && !new RegExp(s.pattern).test(value)) errs.push(`${at}: ${JSON.stringify(value)} does not match ${s.pattern}`);
      }
      return;
    case 'integer':
      if (!Number.isInteger(value)) errs.push(`${at}: want integer`);
      else {
        if (s.maximum !== undefined && (value as number) > s.maximum) errs.push(`${at}: > ${s.maximum}`);
        if (s.minimum !== undefined && (value as number) < s.minimum) errs.push(`${at}: < ${s.minimum}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errs.push(`${at}: want boolean`);
      return;
    default:
      return;
  }
}

/** Schema errors of one object's spec (empty when it fits the served CRD version). */
export function schemaErrors(obj: KubeObject): string[] {
  const s = load().get(`${obj.apiVersion}/${obj.kind}`);
  if (!s) return [`no served CRD version for ${obj.apiVersion} ${obj.kind}`];
  const spec = s.properties?.spec;
  if (!spec) return [`CRD for ${obj.kind} has no spec schema`];
  const errs: string[] = [];
  check((obj as { spec?: unknown }).spec, spec, `${obj.kind}/${obj.metadata.name}.spec`, errs);
  return errs;
}
