// traffic-split scenarios. learn-layer5 sent 50 requests and compared counts
// (B > C); at the config level the share each backend gets is computed exactly.

import type { KubeObject } from '../../schemas/hub.js';
import type { NsMap, Scenario, SplitAssertion } from '../types.js';
import { SPECS_V, SPLIT_V, httpRouteGroup, splitApp, trafficSplit } from './app.js';
import { req } from './access.js';

const share = (name: string, expect: Record<string, number>, request = req('GET', '/echo')): SplitAssertion => ({ kind: 'split', name, from: { sa: 'service-a' }, service: 'app-svc', port: 9091, request, expect });

const weights = (b: number, c: number) => ({
  title: `TrafficSplit app-svc: service-b ${b}, service-c ${c}`,
  apply: (ns: (l: string) => string) => [trafficSplit(ns('app'), 'app-split', 'app-svc', [['service-b', b], ['service-c', c]])],
  assertions: [share(`b ${b}% / c ${c}%`, { 'service-b': b, 'service-c': c })],
});

/**
 * The TrafficSplit Argo Rollouts writes with `trafficRouting: smi: {}` (rollout/trafficrouting/smi/smi.go):
 * split.smi-spec.io/v1alpha1, Quantity weights, canary first, then the stable Service, which is also the root.
 * Here service-b is the stable Service and service-c the canary.
 */
const argoSplit = (ns: NsMap, canary: number): KubeObject =>
  ({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name: 'rollout', namespace: ns('app') },
    spec: { service: 'service-b', backends: [{ service: 'service-c', weight: String(canary) }, { service: 'service-b', weight: String(100 - canary) }] },
  }) as KubeObject;

const stable = (name: string, expect: Record<string, number>): SplitAssertion => ({ kind: 'split', name, from: { sa: 'service-a' }, service: 'service-b', port: 9091, request: req('GET', '/echo'), expect });

export const splitScenarios: Scenario[] = [
  {
    id: 'split-weights',
    spec: 'traffic-split',
    versions: [SPLIT_V],
    title: 'weights 100/0, 0/100, 75/25, 25/75 send exactly those shares; deleting the split restores the Service',
    origin: 'learn-layer5 traffic-split 03-11, fixed: exact shares instead of "B > C" after fixed 5 s sleeps',
    app: (ns) => splitApp(ns),
    steps: [
      { title: 'no TrafficSplit', assertions: [share('the root Service serves unsplit', { 'app-svc': 100 })] },
      weights(100, 0),
      weights(0, 100),
      weights(75, 25),
      weights(25, 75),
      { title: 'delete the TrafficSplit', remove: [{ apiVersion: SPLIT_V, kind: 'TrafficSplit', name: 'app-split' }], assertions: [share('the root Service serves unsplit again', { 'app-svc': 100 })] },
    ],
  },
  {
    id: 'split-relative-weights',
    spec: 'traffic-split',
    versions: [SPLIT_V],
    title: 'weights are relative: 1/3 means 25/75',
    origin: 'extension',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'TrafficSplit weights 1 and 3',
        apply: (ns) => [trafficSplit(ns('app'), 'app-split', 'app-svc', [['service-b', 1], ['service-c', 3]])],
        assertions: [share('b 25% / c 75%', { 'service-b': 25, 'service-c': 75 })],
      },
    ],
  },
  {
    id: 'split-canary-precision',
    spec: 'traffic-split',
    versions: [SPLIT_V],
    title: 'weights 999/1 give the canary 0.1 %, not 0 %',
    origin: 'extension: issue 11 item 10 (whole percentages sent a 999:1 canary nothing on Istio and Consul)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'TrafficSplit weights 999 and 1',
        apply: (ns) => [trafficSplit(ns('app'), 'app-split', 'app-svc', [['service-b', 999], ['service-c', 1]])],
        assertions: [share('b 99.9% / c 0.1%', { 'service-b': 99.9, 'service-c': 0.1 })],
      },
    ],
  },
  {
    id: 'split-self-reference',
    spec: 'traffic-split',
    versions: ['split.smi-spec.io/v1alpha1'],
    needsConversion: true,
    title: 'Argo Rollouts\' default split: the stable Service is the root and a backend; its share goes to its own endpoints',
    origin: 'extension: issue 11 item 12 (argoproj/argo-rollouts rollout/trafficrouting/smi, trafficRouting: smi: {})',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'Argo creates the split with canary weight 0',
        apply: (ns) => [argoSplit(ns, 0)],
        assertions: [
          stable('stable 100% / canary 0%', { 'service-b': 100 }),
          { kind: 'status', name: 'the self-referential TrafficSplit is Accepted', object: { kind: 'TrafficSplit', name: 'rollout' }, expectReason: 'Accepted' },
        ],
      },
      { title: 'canary step 20', apply: (ns) => [argoSplit(ns, 20)], assertions: [stable('stable 80% / canary 20%', { 'service-b': 80, 'service-c': 20 })] },
      { title: 'canary step 50', apply: (ns) => [argoSplit(ns, 50)], assertions: [stable('stable 50% / canary 50%', { 'service-b': 50, 'service-c': 50 })] },
      { title: 'promoted: canary back to 0', apply: (ns) => [argoSplit(ns, 0)], assertions: [stable('stable 100% again', { 'service-b': 100 })] },
      {
        title: 'delete the TrafficSplit',
        remove: [{ apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit', name: 'rollout' }],
        assertions: [stable('the stable Service serves unsplit', { 'service-b': 100 })],
      },
    ],
  },
  {
    id: 'split-headers',
    spec: 'traffic-split',
    versions: [SPLIT_V, SPECS_V],
    title: 'a TrafficSplit with HTTPRouteGroup matches splits matching requests only',
    origin: 'extension: learn-layer5 does not test split matches (A/B)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'requests with x-canary: true, or GET /beta..., go to service-c',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'canary', [
            { name: 'canary-header', headers: { 'x-canary': '^true$' } },
            { name: 'beta-path', pathRegex: '/beta', methods: ['GET'] },
          ]),
          trafficSplit(ns('app'), 'app-ab', 'app-svc', [['service-b', 0], ['service-c', 100]], ['canary']),
        ],
        assertions: [
          share('x-canary: true -> service-c', { 'service-c': 100 }, req('GET', '/echo', { 'x-canary': 'true' })),
          share('GET /beta/x -> service-c', { 'service-c': 100 }, req('GET', '/beta/x')),
          share('POST /beta/x -> root Service', { 'app-svc': 100 }, req('POST', '/beta/x')),
          share('x-canary: false -> root Service', { 'app-svc': 100 }, req('GET', '/echo', { 'x-canary': 'false' })),
          share('no header -> root Service', { 'app-svc': 100 }),
        ],
      },
    ],
  },
  {
    id: 'split-tcp',
    spec: 'traffic-split',
    versions: [SPLIT_V],
    title: 'a TrafficSplit of a TCP Service splits connections',
    origin: 'extension: learn-layer5 only splits HTTP',
    app: (ns) => splitApp(ns, [{ name: 'tcp-data', port: 9092, appProtocol: 'tcp' }]),
    steps: [
      {
        title: 'TrafficSplit app-svc 50/50',
        apply: (ns) => [trafficSplit(ns('app'), 'app-split', 'app-svc', [['service-b', 50], ['service-c', 50]])],
        assertions: [{ kind: 'split', name: 'TCP :9092 b 50% / c 50%', from: { sa: 'service-a' }, service: 'app-svc', port: 9092, expect: { 'service-b': 50, 'service-c': 50 } }],
      },
    ],
    unsupported: {
      linkerd: { assertions: ['TCP :9092 b 50% / c 50%'], reason: 'Linkerd 2.20 reads TCPRoute only as gateway.networking.k8s.io/v1alpha2, which Gateway API v1.6 no longer serves; non-HTTP ports are not split' },
      consul: { assertions: ['TCP :9092 b 50% / c 50%'], reason: 'Consul splitters work only for http, http2 and grpc services' },
      gamma: { assertions: ['TCP :9092 b 50% / c 50%'], reason: 'TCPRoute is not in the Gateway API standard channel; non-HTTP ports are not split' },
    },
  },
  {
    id: 'metrics-split',
    spec: 'traffic-metrics',
    versions: [SPLIT_V, 'metrics.smi-spec.io/v1alpha1'],
    title: 'TrafficMetrics report the traffic a split sent to each backend',
    origin: 'extension: learn-layer5 does not test TrafficMetrics; observed at the traffic level only (needs the mesh\'s Prometheus)',
    app: (ns) => splitApp(ns),
    steps: [
      weights(50, 50),
      {
        title: 'TrafficMetrics for the backends',
        assertions: [
          { kind: 'metrics', name: 'service-b reports successful requests', resource: { plural: 'deployments', name: 'service-b' }, window: '5m', minSuccess: 1 },
          { kind: 'metrics', name: 'service-c reports successful requests', resource: { plural: 'deployments', name: 'service-c' }, window: '5m', minSuccess: 1 },
        ],
      },
    ],
  },
];
