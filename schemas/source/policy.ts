// policy.smi-operator.io/v1alpha1: one kind per capability (see schemas/README.md).
// Durations are written as Gateway API writes them; percentages are whole numbers 0-100.
import type { PolicyKind } from '../policy-types.js';
import { arr, obj, PORT, str, type Schema, type VersionSchema } from './common.js';

/** Gateway API's Duration (GEP-2257): 1-4 groups of up to 5 digits with h, m, s or ms. */
export const DURATION_PATTERN = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';
const duration = (description: string): Schema => str(`${description} A Gateway API duration: 10s, 500ms, 1m30s.`, { pattern: DURATION_PATTERN });
const percentage = (description: string): Schema => ({ type: 'integer', minimum: 0, maximum: 100, description: `${description} Whole percent, 0-100.` });
const count = (description: string, minimum = 1): Schema => ({ type: 'integer', format: 'int32', minimum, maximum: 2147483647, description });
const NAME = str('Name of the object, in the policy\'s namespace.', { minLength: 1, maxLength: 253 });

function targetRef(kinds: string[]): Schema {
  const description = kinds.includes('Namespace')
    ? 'What the policy governs: a Service in the policy\'s namespace, or (kind Namespace, name = the policy\'s namespace) every Service in it.'
    : 'The Service the policy governs, in the policy\'s namespace.';
  return obj(description, { group: str('API group: "" (core).', { enum: [''] }), kind: str('Kind of the target.', { enum: kinds }), name: NAME }, ['kind', 'name']);
}

const MATCHES: Schema = arr(
  'Narrows the policy to requests matching these HTTPRouteGroups (ORed); absent: every request to the Service.',
  obj(
    'Reference to an HTTPRouteGroup, as in TrafficTarget rules.',
    {
      apiGroup: str('API group of the referenced object.', { enum: ['specs.smi-spec.io'] }),
      kind: str('Kind of the referenced object.', { enum: ['HTTPRouteGroup'] }),
      name: NAME,
      matches: arr('Names of matches in the group; absent: all of them.', str('A match name.')),
    },
    ['kind', 'name'],
  ),
);

function policy(description: string, body: Record<string, Schema>, required: string[], opts: { matches?: boolean; targets?: string[] } = {}): VersionSchema {
  const props: Record<string, Schema> = { targetRef: targetRef(opts.targets ?? ['Service']) };
  if (opts.matches !== false) props.matches = MATCHES;
  Object.assign(props, body);
  const spec = obj(description, props, ['targetRef', ...required]);
  return { properties: { spec }, required: ['spec'] };
}

const TIMEOUT = policy(
  'Timeouts for requests to the target Service.',
  {
    request: duration('Time from the first byte of the request to the end of the response, including retries (Gateway API timeouts.request).'),
    backendRequest: duration('Time for one attempt to the backend (Gateway API timeouts.backendRequest; per-try timeout when retried).'),
    idle: duration('Idle time after which a connection (or stream) to the Service is closed.'),
    connect: duration('Time to establish a TCP connection to the Service.'),
  },
  [],
);

const RETRY = policy(
  'Retries of failed requests to the target Service.',
  {
    attempts: count('Retries after the first attempt (0 disables retries).', 0),
    perTryTimeout: duration('Timeout of each attempt.'),
    retryOn: arr('Failures that are retried.', str('A failure class.', { enum: ['5xx', 'gateway-error', 'connect-failure', 'reset'] })),
    statusCodes: arr('HTTP status codes that are retried besides retryOn.', { type: 'integer', minimum: 400, maximum: 599 }),
    backoff: obj('Exponential back-off between attempts.', { baseInterval: duration('First back-off interval.'), maxInterval: duration('Largest back-off interval.') }),
  },
  ['attempts'],
);

const CIRCUIT_BREAKER = policy(
  'Connection limits and outlier detection for the target Service\'s endpoints.',
  {
    connectionPool: obj('Limits per client proxy (Envoy circuit breakers).', {
      maxConnections: count('Most TCP connections to the Service.'),
      maxPendingRequests: count('Most requests waiting for a connection.'),
      maxRequestsPerConnection: count('Most requests per connection (1 disables keep-alive).'),
      maxConcurrentRequests: count('Most requests in flight to the Service.'),
    }),
    outlierDetection: obj('Ejection of failing endpoints from the load-balancing pool.', {
      consecutive5xxErrors: count('Consecutive 5xx responses (or connection failures) that eject an endpoint.', 0),
      consecutiveGatewayErrors: count('Consecutive 502/503/504 responses that eject an endpoint.', 0),
      interval: duration('Time between ejection sweeps.'),
      baseEjectionTime: duration('Shortest ejection; it grows with each ejection of the same endpoint.'),
      maxEjectionPercent: percentage('Most endpoints ejected at once.'),
    }),
  },
  [],
  { matches: false },
);

const FAULT = policy(
  'Faults injected into requests to the target Service (testing resilience).',
  {
    delay: obj('A fixed delay before the request is forwarded.', { fixedDelay: duration('The delay.'), percentage: percentage('Share of requests delayed.') }, ['fixedDelay', 'percentage']),
    abort: obj('An immediate HTTP error instead of the response.', { httpStatus: { type: 'integer', minimum: 200, maximum: 599, description: 'HTTP status returned.' }, percentage: percentage('Share of requests aborted.') }, ['httpStatus', 'percentage']),
  },
  [],
);

const MIRROR = policy(
  'Copies of requests to the target Service sent to another Service (responses discarded).',
  {
    backendRef: obj('The Service receiving the copies, in the policy\'s namespace.', { kind: str('Kind: Service.', { enum: ['Service'] }), name: NAME, port: { ...PORT, description: 'Port of the mirror Service; absent: the port the request used.' } }, ['name']),
    percentage: percentage('Share of requests mirrored; absent: 100.'),
  },
  ['backendRef'],
);

const RATE_LIMIT = policy(
  'Local (per pod) rate limit of requests to the target Service.',
  {
    local: obj(
      'A token bucket in each server-side proxy.',
      {
        requests: count('Requests allowed per unit.'),
        unit: str('Time unit of `requests`.', { enum: ['second', 'minute', 'hour'] }),
        burst: count('Bucket size: requests allowed at once (default: `requests`).'),
        responseStatusCode: { type: 'integer', minimum: 400, maximum: 599, description: 'Status of rejected requests (default 429).' },
      },
      ['requests', 'unit'],
    ),
  },
  ['local'],
);

const TRACING = policy(
  'Distributed tracing of requests served by the target.',
  {
    samplingPercentage: percentage('Share of requests traced (when the caller made no sampling decision).'),
    provider: str('Tracing provider (collector) name, as the mesh configuration defines it (Istio meshConfig.extensionProviders).', { minLength: 1, maxLength: 253 }),
  },
  ['samplingPercentage'],
  { matches: false, targets: ['Service', 'Namespace'] },
);

export const POLICY_SCHEMAS: Record<PolicyKind, Record<string, VersionSchema>> = {
  TimeoutPolicy: { v1alpha1: TIMEOUT },
  RetryPolicy: { v1alpha1: RETRY },
  CircuitBreakerPolicy: { v1alpha1: CIRCUIT_BREAKER },
  FaultInjectionPolicy: { v1alpha1: FAULT },
  MirrorPolicy: { v1alpha1: MIRROR },
  RateLimitPolicy: { v1alpha1: RATE_LIMIT },
  TracingPolicy: { v1alpha1: TRACING },
};
