// Small helpers shared by the per-mesh templates.

import { fail, type Result } from '../errors.js';
import type { Matcher, Scope, Selection } from './types.js';

/** `label="value"` when the scope names it, else `label!=""` (only series that carry the label). */
export const pin = (label: string, value: string | undefined): Matcher => (value === undefined ? [label, '!=', ''] : [label, '=', value]);

export const present = (label: string): Matcher => [label, '!=', ''];

export function unsupported(mesh: string, scope: Scope, why: string): Result<Selection> {
  const what = scope.type === 'backend' ? 'trafficsplits' : scope.type === 'edges' ? `${scope.plural}/edges` : scope.plural;
  return fail('NotFound', `${what} not supported for mesh ${mesh}: ${why}`);
}
