// Building blocks for the per-version schemas. A schema here is plain JSON Schema
// (draft 2020-12 subset) that is also close to a structural OpenAPI v3 schema;
// crd.ts derives the structural form from it.

export type Schema = { [key: string]: unknown };

/** Body of one kind at one version: the top-level fields besides apiVersion/kind/metadata/status. */
export interface VersionSchema {
  properties: Record<string, Schema>;
  required: string[];
}

export const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });

export function obj(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  const s: Schema = { type: 'object', description, properties, additionalProperties: false };
  if (required.length) s.required = required;
  return s;
}

export const arr = (description: string, items: Schema): Schema => ({ type: 'array', description, items });

export const PORT: Schema = { type: 'integer', minimum: 1, maximum: 65535 };

/** A Kubernetes resource.Quantity: an integer or a quantity string (pattern from apimachinery). */
export const QUANTITY: Schema = {
  description: 'Relative weight as a Kubernetes quantity: 1 = 1000m.',
  'x-kubernetes-int-or-string': true,
  anyOf: [
    { type: 'integer' },
    {
      type: 'string',
      pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    },
  ],
};

const HEADER_MAP: Schema = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * Headers in both shapes seen in the wild: a map (Go type, docs) and a list of
 * single-key maps (upstream CRD, draft docs). A structural schema cannot say
 * "map or list", so the CRD keeps the field opaque and admission checks the shape.
 */
export const HEADERS: Schema = {
  description: 'Header name to RE2 regex; a map, or a list of single-key maps.',
  'x-kubernetes-preserve-unknown-fields': true,
  anyOf: [HEADER_MAP, { type: 'array', items: HEADER_MAP }],
};

export const HTTP_METHODS = ['*', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/** Status every served version carries (ours, not upstream's: SMI defined none). */
export const STATUS: Schema = obj('Observed state, written by the operator.', {
  observedGeneration: { type: 'integer', format: 'int64', minimum: 0, description: 'The generation the conditions were computed for.' },
  conditions: {
    type: 'array',
    description: 'Standard conditions (metav1.Condition).',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
    items: obj(
      'One aspect of the object state.',
      {
        type: str('Condition type, CamelCase.', { maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' }),
        status: str('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
        observedGeneration: { type: 'integer', format: 'int64', minimum: 0, description: 'The generation the condition was set for.' },
        lastTransitionTime: str('When the status last changed.', { format: 'date-time' }),
        reason: str('Programmatic reason, CamelCase.', { minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
        message: str('Human-readable details.', { maxLength: 32768 }),
      },
      ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
    ),
  },
});
