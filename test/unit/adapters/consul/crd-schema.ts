// Minimal structural check of an object against a CRD's openAPIV3Schema: unknown
// fields (which the API server would prune or reject), types, enums, required fields.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

export function schemaErrors(value: unknown, schema: Schema, path = ''): string[] {
  const errors: string[] = [];
  const at = path || '<root>';
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: want object`];
      const obj = value as Record<string, unknown>;
      for (const req of (schema.required ?? []) as string[]) if (!(req in obj)) errors.push(`${at}.${req}: required`);
      for (const [k, v] of Object.entries(obj)) {
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        if (sub) errors.push(...schemaErrors(v, sub, `${path}.${k}`));
        else if (!schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${path}.${k}: unknown field`);
      }
      return errors;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: want array`];
      return value.flatMap((v, i) => (schema.items ? schemaErrors(v, schema.items, `${path}[${i}]`) : []));
    case 'string':
      if (typeof value !== 'string') return [`${at}: want string`];
      break;
    case 'integer':
      if (!Number.isInteger(value)) return [`${at}: want integer`];
      break;
    case 'number':
      if (typeof value !== 'number') return [`${at}: want number`];
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${at}: want boolean`];
      break;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  return errors;
}
