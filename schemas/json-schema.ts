// Full JSON Schema (draft 2020-12) of one kind at one version, built from source/.
// These are what ajv validates against and what `make generate` writes to schemas/json/.

import type { SmiKind } from './hub.js';
import { STATUS, type Schema } from './source/common.js';
import { VERSION_SCHEMAS } from './source/index.js';
import { kindInfo } from './versions.js';

export function jsonSchemaFor(kind: SmiKind, version: string): Schema | undefined {
  const body = VERSION_SCHEMAS[kind][version];
  if (!body) return undefined;
  const group = kindInfo(kind).group;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://smi-operator.io/schemas/${group}/${version}/${kind}.json`,
    title: `${kind} ${group}/${version}`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', const: `${group}/${version}` },
      kind: { type: 'string', const: kind },
      metadata: {
        type: 'object',
        properties: {
          // Custom resource names only need to be valid path segments (the API server's rule).
          name: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[^/%]+$', not: { enum: ['.', '..'] } },
          namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        },
        required: ['name'],
      },
      ...body.properties,
      status: STATUS,
    },
    required: ['apiVersion', 'kind', 'metadata', ...body.required],
    additionalProperties: false,
  };
}
