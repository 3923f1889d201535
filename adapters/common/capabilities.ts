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

/** What holds on every mesh, in user terms (docs/capabilities.md, "Rules for every mesh"). */
export const COMMON_RULES: ReadonlyArray<{ feature: string; rule: string }> = [
  { feature: 'TrafficSplit weights', rule: 'Weights are relative and kept as you wrote them (a Service listed twice gets the sum). Each mesh has its own granularity (table below). A backend with a weight above 0 always gets traffic: if its share is below the mesh\'s smallest step it gets one step, taken from the largest backend, and the status says so. Weight 0 gets no traffic. All weights 0 is Invalid and nothing is applied.' },
  { feature: 'TrafficSplit backends', rule: 'The root Service and every backend Service must exist (otherwise InvalidReference). A backend that lacks one of the root Service\'s ports (same number and protocol) gets no traffic and the status names it (spec.backends[i]); the rest of the split is applied among the usable backends, the status says exactly how (e.g. "applied without web-v2: 100 % to web-v1") and Ready is False with reason PartiallyApplied. A missing backend with weight 0 is only noted, so a split can be created before its canary. The root Service may be its own backend (Argo Rollouts does this): it means the root Service\'s own pods.' },
  { feature: 'TrafficSplit per root Service', rule: 'One split per root Service takes effect: the oldest (creation time, then name). The others report Conflict naming it.' },
  { feature: 'TrafficSplit matches (A/B)', rule: 'The split applies to requests that match any match of any HTTPRouteGroup it names. If a named group is missing or invalid the split is not applied at all: it never widens to every request.' },
  { feature: 'HTTPRouteGroup', rule: 'pathRegex matches from the start of the path (matching a prefix of the path is enough); a header regex must match the whole header value (as in OSM and Envoy); `*` or no methods means any method; header names are case-insensitive. Invalid on every mesh, refused by the admission webhook and reported in status: a regex that is not valid RE2, a regex over 1024 bytes (UTF-8), an empty header regex, the same header twice in one match (in any case), a header name that is not a valid HTTP header name, more than 128 matches or more than 16 headers in one match, regexes too complex in total (over 32768 RE2 instructions per group), two matches with the same name.' },
  { feature: 'TrafficTarget destination', rule: 'The destination ServiceAccount must be in the TrafficTarget\'s own namespace (otherwise Invalid: no SMI object writes policy into another namespace). TrafficTargets for the same ServiceAccount add up: what any of them allows is allowed.' },
  { feature: 'TrafficTarget rules', rule: 'An HTTPRouteGroup rule allows only the matches it lists (all the group\'s matches when it lists none); a TCPRoute rule allows its ports (every port when it lists none). A rule, match or source that cannot be found is left out and reported, which only ever allows less.' },
  { feature: 'TrafficTarget ports', rule: 'Ports in a TCPRoute (and the older destination.port) are ports of the destination\'s pods: the container port a Service\'s targetPort points at, never the Service\'s own port. Access is enforced where the destination\'s pods receive traffic, and Services may map ports differently, so a Service port number allows nothing unless the pods listen on that number.' },
  { feature: 'Port protocol', rule: 'Every mesh reads a Service port\'s protocol the same way (Istio\'s convention): appProtocol when set (kubernetes.io/h2c is HTTP/2, kubernetes.io/ws is HTTP, kubernetes.io/wss is TLS), otherwise the port name as `<protocol>[-suffix]`, in any case (http, http2, grpc, grpc-web, https, tls, tcp, mongo, mysql, redis). UDP and SCTP ports are not proxied. On Istio and Consul an undeclared port 25, 53, 3306 or 27017 is TCP. Other undeclared ports are left to the mesh: Istio sniffs the protocol, Linkerd detects it, Consul assumes HTTP where an SMI feature needs HTTP. Name your ports (`http-…`, `grpc-…`) or set appProtocol to be sure.' },
  { feature: 'TrafficTarget source and destination identities', rule: 'Sources and destination are ServiceAccounts: the pods running as each, and the Services of its namespace that select those pods. Each mesh names these identities its own way (table below).' },
  { feature: 'TrafficTarget UDPRoute', rule: 'Unsupported on every mesh: a UDPRoute rule allows nothing (it is never widened into an allow); a destination left without rules denies everything under accessMode enforce.' },
  { feature: 'TrafficTarget legacy destination.port', rule: 'The destination.port of older TrafficTarget versions survives conversion to the current version and limits every rule of that TrafficTarget to that pod port.' },
  { feature: 'accessMode permissive', rule: 'TrafficTargets are still checked, and each reports that traffic its rules do not allow is not denied; what each mesh emits is in the table below.' },
  { feature: 'Policies (policy.smi-operator.io)', rule: 'For each policy kind one policy per target Service takes effect: the oldest; the others report Conflict naming it. A missing target Service, mirror Service or mirror port is InvalidReference and nothing is applied. A policy narrowed to HTTPRouteGroup matches whose group or match is missing is not applied at all (never widened to every request). Each policy\'s status names the routes it governs.' },
  { feature: 'Native object names', rule: 'Generated objects are named after their SMI objects. A name that would not be a readable DNS label (dots, `--`, a dashed port name, over 63 characters) is shortened and suffixed `--<hash>`, so two different SMI objects never write the same object; where two still would, both report Conflict and that object is not written.' },
];

const cell = (c: Capability | undefined): string => (c === undefined ? '**missing**' : c.replace(/\|/g, '\\|'));

/** docs/capabilities.md, generated from the renderers' tables. */
export function capabilitiesDoc(tables: Readonly<Record<MeshName, Partial<Record<string, Capability>>>>): string {
  const meshes = Object.keys(tables) as MeshName[];
  const lines = [
    '# What each mesh does with SMI',
    '',
    '<!-- Generated from adapters/<mesh>/capabilities.ts and adapters/common/capabilities.ts.',
    '     Regenerate: make generate. A unit test fails when this file is stale. -->',
    '',
    'smi-operator turns each SMI object into the objects of the mesh you chose (the `mesh` key of the ConfigMap',
    '`smi-system/smi-operator-config`; the columns below are its values). Meshes differ, so for every feature this',
    'page says what you get:',
    '',
    '- **exact**: the mesh enforces what the SMI object says.',
    '- **approximated**: the mesh enforces something close, and the cell says how it differs. For access control',
    '  an approximation is always narrower: it may deny traffic the TrafficTarget allows, never allow traffic it denies.',
    '- **unsupported**: the mesh cannot express it, and the cell says what happens instead.',
    '',
    'Nothing is left out silently: an object that is approximated or partly unsupported says so in its status.',
    '`kubectl get trafficsplits.split.smi-spec.io` shows READY and REASON; `smictl describe <kind>/<name>` prints',
    'the conditions and every mesh object the SMI object contributes to.',
    '',
    '## Rules for every mesh',
    '',
    '| feature | rule |',
    '|---|---|',
    ...COMMON_RULES.map((r) => `| ${r.feature} | ${r.rule.replace(/\|/g, '\\|')} |`),
    '',
    '## SMI features, per mesh',
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
