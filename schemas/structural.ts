// Structural validation: ajv against the object's own version's JSON Schema.
// Each ajv error becomes a Problem with a dotted field path.

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { RE2JS } from 're2js';
import type { KubeObject, SmiKind } from './hub.js';
import { jsonSchemaFor } from './json-schema.js';
import { problem, type Problem } from './problem.js';
import { refOf } from './object-ref.js';

// ajv-formats is CommonJS; its default export sits one level down under nodenext.
const addFormats = addFormatsModule.default as unknown as (a: Ajv2020) => Ajv2020;

/**
 * Schema `pattern`s run on user input, so they run on RE2 (linear time), as the API server
 * runs them (Go regexp), not on JS backtracking RegExps. `code` is only used by ajv's
 * standalone code generation, which this project does not use.
 */
export const re2RegExp = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    // ajv keys compiled patterns by toString(): it must differ per pattern.
    return { test: (s: string) => re.matcher(s).find(), toString: () => `re2:${pattern}` };
  },
  { code: 're2js' },
);

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, code: { regExp: re2RegExp } });
addFormats(ajv);
for (const k of ['x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys']) {
  ajv.addKeyword(k);
}

const compiled = new Map<string, ValidateFunction>();

function validatorFor(kind: SmiKind, version: string): ValidateFunction | undefined {
  const key = `${kind}/${version}`;
  let fn = compiled.get(key);
  if (!fn) {
    const schema = jsonSchemaFor(kind, version);
    if (!schema) return undefined;
    fn = ajv.compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** `/spec/backends/0/weight` -> `spec.backends[0].weight` */
export function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function describe(e: ErrorObject): { path: string; message: string } {
  const base = dottedPath(e.instancePath);
  const join = (child: string) => (base ? `${base}.${child}` : child);
  switch (e.keyword) {
    case 'required':
      return { path: join(String(e.params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: join(String(e.params.additionalProperty)), message: 'unknown field' };
    case 'enum':
      return { path: base, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path: base, message: `must be ${JSON.stringify(e.params.allowedValue)}` };
    default:
      return { path: base, message: e.message ?? e.keyword };
  }
}

function anyOfMessage(path: string): string {
  if (path.endsWith('.weight')) return 'must be a whole number or a Kubernetes quantity such as 100m';
  if (path.endsWith('.headers')) return 'must be a map of header name to regex, or a list of single-key maps';
  return 'has the wrong type';
}

// Errors about a value, not the shape: conversion and semantic rules can still
// read the object safely, so validation goes on and reports those problems too.
const VALUE_KEYWORDS = new Set(['additionalProperties', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'maxItems', 'format']);

/** A part of the object that cannot be read: a wrong type, or a required field that is missing. */
export interface Unreadable {
  /** Dotted path, as in problems. */
  path: string;
  /** JSON pointer to the value to drop before converting; undefined when the field is missing. */
  pointer?: string;
}

export interface StructuralCheck {
  problems: Problem[];
  /** True when every problem is about a value (an unknown field, an enum, a range), none about types or required fields. */
  shapeOk: boolean;
  /** The parts behind the shape problems; validation skips the rules that read them. */
  unreadable: Unreadable[];
}

/** Checks `obj` against the schema of `kind` at `version` (assumed served). */
export function structuralCheck(obj: KubeObject, kind: SmiKind, version: string): StructuralCheck {
  const validate = validatorFor(kind, version);
  const ref = refOf(obj);
  if (!validate) return { problems: [problem(ref, 'apiVersion', `version ${version} of ${kind} is not served`)], shapeOk: false, unreadable: [{ path: '' }] };
  if (validate(obj)) return { problems: [], shapeOk: true, unreadable: [] };
  const errors = validate.errors ?? [];
  const shape = errors.filter((e) => !VALUE_KEYWORDS.has(e.keyword) && !e.schemaPath.includes('/anyOf/'));
  const unreadable = shape.map((e): Unreadable => {
    if (e.keyword === 'required') return { path: describe(e).path };
    return { path: dottedPath(e.instancePath), pointer: e.instancePath };
  });
  return { problems: toProblems(ref, errors), shapeOk: shape.length === 0, unreadable };
}

/** Problems of `obj` against the schema of `kind` at `version` (assumed served). */
export function structuralProblems(obj: KubeObject, kind: SmiKind, version: string): Problem[] {
  return structuralCheck(obj, kind, version).problems;
}

function toProblems(ref: string, errors: ErrorObject[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  // A value of the wrong type also fails its enum; the type is the one to report.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    // anyOf branches each report; the summary error names the field once.
    if (e.schemaPath.includes('/anyOf/')) continue;
    if (VALUE_KEYWORDS.has(e.keyword) && wrongType.has(e.instancePath)) continue;
    const d = describe(e);
    const msg = e.keyword === 'anyOf' ? anyOfMessage(d.path) : d.message;
    const key = `${d.path}\u0000${msg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem(ref, d.path, msg));
  }
  return out;
}
