// specs.smi-spec.io HTTPRouteGroup v1alpha1..4, TCPRoute v1alpha1..4, UDPRoute v1alpha4 (SPEC.md §3).
import { MAX_REGEX_BYTES } from '../regex.js';
import { MAX_MATCHES } from '../rules/http-match.js';
import { arr, HEADERS, HTTP_METHODS, obj, PORT, str, type Schema, type VersionSchema } from './common.js';

// Size limits keep the work per object bounded (the API server rejects an oversized object
// before any webhook sees it); the rules (rules/http-match.ts) say why each number, and
// check what a structural schema cannot (bytes, opaque headers, the compiled size).
function httpMatches(withHeaders: boolean): Schema {
  const props: Record<string, Schema> = {
    name: str('Name of the match, referenced by TrafficTarget rules.'),
    pathRegex: str('RE2 regex on the URI path, anchored at the start.', { maxLength: MAX_REGEX_BYTES }),
    methods: { ...arr('HTTP methods; * means all.', { type: 'string', enum: HTTP_METHODS }), maxItems: HTTP_METHODS.length },
  };
  if (withHeaders) props.headers = HEADERS;
  return { ...arr('HTTP request matches, ORed.', obj('One HTTP match; its fields are ANDed.', props, ['name'])), maxItems: MAX_MATCHES };
}

const portMatch = obj(
  'Ports to match.',
  { name: str('Name of the match.'), ports: arr('Port numbers; empty means every port of the Service.', PORT) },
  ['ports'],
);

export const HTTP_ROUTE_GROUP: Record<string, VersionSchema> = {
  // v1alpha1/2 keep matches at the top level (no spec wrapper).
  v1alpha1: { properties: { matches: httpMatches(false) }, required: ['matches'] },
  v1alpha2: { properties: { matches: httpMatches(true) }, required: ['matches'] },
  v1alpha3: { properties: { spec: obj('HTTP routes.', { matches: httpMatches(true) }, ['matches']) }, required: ['spec'] },
  v1alpha4: { properties: { spec: obj('HTTP routes.', { matches: httpMatches(true) }, ['matches']) }, required: ['spec'] },
};

const l4 = (what: string): VersionSchema => ({
  properties: { spec: obj(`${what} traffic on ports.`, { matches: portMatch }) },
  required: ['spec'],
});

export const TCP_ROUTE: Record<string, VersionSchema> = {
  // v1alpha1/2: no spec at all (raw TCP); v1alpha3: an empty spec.
  v1alpha1: { properties: {}, required: [] },
  v1alpha2: { properties: {}, required: [] },
  v1alpha3: { properties: { spec: obj('Empty in this version.', {}) }, required: [] },
  v1alpha4: l4('TCP'),
};

export const UDP_ROUTE: Record<string, VersionSchema> = { v1alpha4: l4('UDP') };
