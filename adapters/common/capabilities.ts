// The capability contract behind docs/capabilities.md: every SMI feature, and per
// mesh how the renderer expresses it. Each renderer exports
// `capabilities: CapabilityTable` from adapters/<mesh>/capabilities.ts; a unit test
// checks every feature is covered and that the doc is generated from these tables.

import type { MeshName } from '../types.js';

/** `exact`, or how it is approximated, or why it is unsupported (and what happens instead). */
export type Capability = 'exact' | `exact: ${string}` | `approximated: ${string}` | `unsupported: ${string}`;

/** Every SMI feature a renderer must take a position on, in doc order. */
export const SMI_FEATURES = [
  'TrafficSplit weights',
  'TrafficSplit backends',
  'TrafficSplit matches (A/B)',
  'TrafficSplit of TCP/UDP services',
  'HTTPRouteGroup pathRegex',
  'HTTPRouteGroup methods',
  'HTTPRouteGroup headers',
  'TrafficTarget sources',
  'TrafficTarget destination',
  'TrafficTarget HTTP rules',
  'TrafficTarget TCPRoute (all ports)',
  'TrafficTarget port restrictions',
  'TrafficTarget UDPRoute',
  'accessMode enforce (default deny)',
  'accessMode permissive',
  'mtlsMode strict',
  'mtlsMode permissive',
  'mtlsMode disabled',
] as const;

export type SmiFeature = (typeof SMI_FEATURES)[number];

/** Every field of the policy.smi-operator.io kinds (beyond SMI), in doc order. */
export const POLICY_FEATURES = [
  'TimeoutPolicy request',
  'TimeoutPolicy backendRequest',
  'TimeoutPolicy idle',
  'TimeoutPolicy connect',
  'RetryPolicy attempts',
  'RetryPolicy perTryTimeout',
  'RetryPolicy retryOn 5xx',
  'RetryPolicy retryOn gateway-error',
  'RetryPolicy retryOn connect-failure',
  'RetryPolicy retryOn reset',
  'RetryPolicy statusCodes',
  'RetryPolicy backoff.baseInterval',
  'RetryPolicy backoff.maxInterval',
  'CircuitBreakerPolicy connectionPool.maxConnections',
  'CircuitBreakerPolicy connectionPool.maxPendingRequests',
  'CircuitBreakerPolicy connectionPool.maxRequestsPerConnection',
  'CircuitBreakerPolicy connectionPool.maxConcurrentRequests',
  'CircuitBreakerPolicy outlierDetection (consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent)',
  'FaultInjectionPolicy delay (fixedDelay, percentage)',
  'FaultInjectionPolicy abort (httpStatus, percentage)',
  'MirrorPolicy backendRef (Service, port)',
  'MirrorPolicy percentage',
  'RateLimitPolicy local.requests per unit',
  'RateLimitPolicy local.burst',
  'RateLimitPolicy local.responseStatusCode',
  'TracingPolicy samplingPercentage (Service target)',
  'TracingPolicy targetRef Namespace',
  'TracingPolicy provider',
  'policy matches (narrowed to HTTPRouteGroup matches)',
  'policy and TrafficSplit on one Service',
] as const;

export type PolicyFeature = (typeof POLICY_FEATURES)[number];

export type CapabilityTable = Readonly<Record<SmiFeature | PolicyFeature, Capability>>;

/** Rules resolve() applies for every mesh (the renderers never see what these drop). */
export const COMMON_RULES: ReadonlyArray<{ feature: string; rule: string }> = [
  { feature: 'TrafficSplit weights', rule: 'relative; kept as given (a Service listed twice gets the sum), each renderer fits them to what its mesh holds (adapters/common/weights.ts): a backend with weight above 0 never gets no traffic (below the mesh\'s smallest step it gets one step, taken from the largest backend, and is reported); weight 0 gets no traffic; all weights 0 is Invalid and nothing is rendered' },
  { feature: 'TrafficSplit backends', rule: 'root and backend Services must exist (InvalidReference); a backend lacking any root port (number and protocol) gets no traffic (InvalidReference naming spec.backends[i]); a missing backend at weight 0 is only noted (create-split-first rollout); the root Service as its own backend (Argo Rollouts\' default) means the root\'s own endpoints and is accepted with a remark' },
  { feature: 'TrafficSplit per root Service', rule: 'the oldest split (creationTimestamp, then name) wins; the others are Conflict naming the winner' },
  { feature: 'TrafficSplit matches (A/B)', rule: 'every match of every referenced HTTPRouteGroup, ORed; a missing or invalid group means the split is not applied (never widened to all requests)' },
  { feature: 'HTTPRouteGroup', rule: 'pathRegex anchored at the start only (matches a prefix of the path); header regexes match the whole header value (as OSM/Envoy); `*` or no methods = any method; header names lower-cased and sorted; Invalid (for every mesh, at admission and in resolve): a bad RE2 regex, a regex over 1024 UTF-8 bytes, an empty header regex, one header named twice in a match (case-insensitive), a header name that is not an HTTP token, more than 128 matches or 16 headers per match, regexes compiling to more than 32768 RE2 instructions per group, a duplicate match name' },
  { feature: 'TrafficTarget destination', rule: 'ServiceAccount in the TrafficTarget namespace only (another namespace is Invalid: no SMI object writes policy elsewhere); targets for one ServiceAccount merge (OR), oldest first' },
  { feature: 'TrafficTarget rules', rule: 'HTTP rules restricted to rules[].matches (all matches when omitted); TCPRoute ports (empty = all); unresolvable rules, matches and sources are dropped and reported, which only narrows what is allowed' },
  { feature: 'TrafficTarget ports', rule: 'a TCPRoute spec.matches.ports entry (and a legacy destination.port) is a port of the destination\'s pods: the container port, i.e. what a Service\'s targetPort names, never a Service port. The destination is a ServiceAccount, access is enforced where its pods receive traffic, and Services may map ports differently; a Service port number allows nothing unless the pods listen on it' },
  { feature: 'Port protocol', rule: 'one selection for every mesh (adapters/common/protocol.ts), Istio\'s: UDP and SCTP are not proxied; appProtocol when set (kubernetes.io/h2c = HTTP/2, kubernetes.io/ws = HTTP, kubernetes.io/wss = TLS), else the port name, read as `<protocol>[-suffix]` case-insensitively (http, http2, grpc, grpc-web, https, tls, tcp, mongo, mysql, redis); on Istio and Consul a Service port declaring nothing recognisable on port 25, 53, 3306 or 27017 is TCP; each mesh decides what undeclared means (Istio sniffs, Linkerd detects, Consul assumes http where SMI needs HTTP)' },
  { feature: 'TrafficTarget source and destination identities', rule: 'both resolved the same way: a ServiceAccount, its pods (workloads running as it) and the Services of its namespace selecting them; each mesh names identities its own way from these' },
  { feature: 'TrafficTarget UDPRoute', rule: 'Unsupported for every mesh: the rule is dropped, never widened into an allow; a destination left without rules stays deny-all under enforce' },
  { feature: 'TrafficTarget legacy destination.port', rule: 'kept by conversion in an annotation; restricts every rule of the target to that (pod) port' },
  { feature: 'accessMode permissive', rule: 'destinations are still resolved; each TrafficTarget carries a note; the renderer decides what (not) to emit' },
  { feature: 'Policies (policy.smi-operator.io)', rule: 'one policy per kind and target Service: the oldest wins, the others are Conflict naming it; a missing target or mirror Service (or mirror port) is InvalidReference and nothing is applied; a policy narrowed to HTTPRouteGroup matches whose group or match is missing is not applied at all (never widened to every request); each policy status names the native routes it governs' },
  { feature: 'Native object names', rule: 'distinct inputs never share an object key: a name that is not a plain DNS label of readable parts (dots, `--`, a dashed port name, over 63 characters) is cut and suffixed `--<hash of the inputs>`; a key that still collides is Conflict on the SMI objects whose object is left out' },
];

const cell = (c: Capability | undefined): string => (c === undefined ? '**missing**' : c.replace(/\|/g, '\\|'));

/** docs/capabilities.md, generated from the renderers' tables. */
export function capabilitiesDoc(tables: Readonly<Record<MeshName, Partial<Record<string, Capability>>>>): string {
  const meshes = Object.keys(tables) as MeshName[];
  const lines = [
    '# Capability matrix',
    '',
    '<!-- Generated from adapters/<mesh>/capabilities.ts and adapters/common/capabilities.ts.',
    '     Regenerate: UPDATE_GOLDEN=1 make test-unit. A unit test fails when this file is stale. -->',
    '',
    'How each SMI feature reaches each mesh: **exact**, **approximated** (how), or **unsupported** (what happens',
    'instead, always reported in the object\'s result). No feature is dropped without a result message.',
    '',
    '## Mesh-neutral rules (adapters/common/resolve.ts, same for every mesh)',
    '',
    '| feature | rule |',
    '|---|---|',
    ...COMMON_RULES.map((r) => `| ${r.feature} | ${r.rule.replace(/\|/g, '\\|')} |`),
    '',
    '## Per mesh',
    '',
    `| SMI feature | ${meshes.join(' | ')} |`,
    `|---|${meshes.map(() => '---').join('|')}|`,
    ...SMI_FEATURES.map((f) => `| ${f} | ${meshes.map((m) => cell(tables[m][f])).join(' | ')} |`),
    '',
    '## Policies beyond SMI (policy.smi-operator.io), per field and mesh',
    '',
    `| policy field | ${meshes.join(' | ')} |`,
    `|---|${meshes.map(() => '---').join('|')}|`,
    ...POLICY_FEATURES.map((f) => `| ${f} | ${meshes.map((m) => cell(tables[m][f])).join(' | ')} |`),
    '',
  ];
  // Renderers may declare finer, mesh-specific limits beyond the shared feature list.
  const known = new Set<string>([...SMI_FEATURES, ...POLICY_FEATURES]);
  for (const m of meshes) {
    const extra = Object.keys(tables[m]).filter((k) => !known.has(k)).sort();
    if (extra.length === 0) continue;
    lines.push(`## ${m}: further limits`, '', '| case | capability |', '|---|---|', ...extra.map((k) => `| ${k} | ${cell(tables[m][k])} |`), '');
  }
  return lines.join('\n');
}
