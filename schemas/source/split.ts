// split.smi-spec.io TrafficSplit, v1alpha1..v1alpha4 (facts from SPEC.md §1).
import { arr, obj, QUANTITY, str, type Schema, type VersionSchema } from './common.js';

function spec(weight: Schema, withMatches: boolean): VersionSchema {
  const props: Record<string, Schema> = {
    service: str('The apex (root) service clients address.'),
    backends: arr(
      'The backend services of this split.',
      obj('One backend.', { service: str('Name of a Service in the same namespace.'), weight }, ['service', 'weight']),
    ),
  };
  if (withMatches) {
    props.matches = arr(
      'HTTPRouteGroups whose matching requests are split; others go to the apex service.',
      obj(
        'Reference to an HTTPRouteGroup.',
        { apiGroup: str('API group of the referenced object.'), kind: str('Kind of the referenced object.', { enum: ['HTTPRouteGroup'] }), name: str('Name of the HTTPRouteGroup.') },
        ['kind', 'name'],
      ),
    );
  }
  return {
    properties: { spec: obj('Desired traffic split.', props, ['service', 'backends']) },
    required: ['spec'],
  };
}

// Upstream's CRD says only `type: number`, but the spec's weights are whole numbers
// and 0 means no traffic, so a negative one is never meaningful. v1alpha1 Quantities
// keep the plain int-or-string form; conversion reports negative ones (quantity.ts).
const INT_WEIGHT: Schema = { type: 'integer', minimum: 0, description: 'Relative weight, a non-negative whole number.' };

export const TRAFFIC_SPLIT: Record<string, VersionSchema> = {
  v1alpha1: spec(QUANTITY, false),
  v1alpha2: spec(INT_WEIGHT, false),
  v1alpha3: spec(INT_WEIGHT, true),
  v1alpha4: spec(INT_WEIGHT, true),
};
