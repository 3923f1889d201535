// access.smi-spec.io TrafficTarget, v1alpha1..v1alpha3 (facts from SPEC.md §2).
import { arr, obj, PORT, str, type Schema, type VersionSchema } from './common.js';

function subject(description: string, withPort: boolean): Schema {
  const props: Record<string, Schema> = {
    kind: str('Kind of the subject: ServiceAccount.'),
    name: str('Name of the subject.'),
    namespace: str('Namespace of the subject.'),
  };
  if (withPort) props.port = { ...PORT, description: 'Destination port; absent means every port.' };
  return obj(description, props, ['kind', 'name']);
}

function rules(kinds: string[]): Schema {
  return arr(
    'Routes the sources may use.',
    obj(
      'A route spec reference.',
      {
        kind: str('Kind of the route spec.', { enum: kinds }),
        name: str('Name of the route spec.'),
        matches: arr('Names of matches in the referenced HTTPRouteGroup; absent means all.', { type: 'string' }),
      },
      ['kind', 'name'],
    ),
  );
}

const sources = arr('Subjects allowed to reach the destination.', subject('A source subject.', false));
const OLD_KINDS = ['HTTPRouteGroup', 'TCPRoute'];

export const TRAFFIC_TARGET: Record<string, VersionSchema> = {
  // v1alpha1 has no spec wrapper and calls the rules `specs`.
  v1alpha1: {
    properties: { destination: subject('The destination of this traffic target.', true), specs: rules(OLD_KINDS), sources },
    required: ['destination'],
  },
  v1alpha2: {
    properties: { spec: obj('Desired access.', { destination: subject('The destination of this traffic target.', true), rules: rules(OLD_KINDS), sources }, ['destination']) },
    required: ['spec'],
  },
  v1alpha3: {
    properties: {
      spec: obj(
        'Desired access.',
        { destination: subject('The destination of this traffic target.', false), rules: rules([...OLD_KINDS, 'UDPRoute']), sources },
        // Upstream also requires rules and sources here. A v1alpha1/2 object without
        // them must still convert to this (storage) version, so the rule "at least
        // one rule and one source" is semantic (validate.ts) for v1alpha3 objects.
        ['destination'],
      ),
    },
    required: ['spec'],
  },
};
