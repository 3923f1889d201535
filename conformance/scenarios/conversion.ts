// Older SMI versions mean the same thing: objects written at access v1alpha2,
// specs v1alpha3 and split v1alpha1 (weights as quantities) reach the operator
// converted to the hub versions by the CRD conversion webhook.

import type { KubeObject } from '../../schemas/hub.js';
import type { Scenario } from '../types.js';
import { basicApp, service } from './app.js';
import { req } from './access.js';

export const conversionScenarios: Scenario[] = [
  {
    id: 'version-conversion',
    spec: 'traffic-access',
    versions: ['access.smi-spec.io/v1alpha2', 'specs.smi-spec.io/v1alpha3', 'split.smi-spec.io/v1alpha1'],
    title: 'objects at older API versions are converted and enforced like the hub versions',
    origin: 'extension: learn-layer5 uses one version per kind',
    needsConversion: true,
    app: (ns) => [...basicApp(ns), service(ns('app'), 'app-svc', { 'smi-conformance/app': 'service-b' })],
    steps: [
      {
        title: 'HTTPRouteGroup v1alpha3, TrafficTarget v1alpha2, TrafficSplit v1alpha1 (750m / 250m)',
        apply: (ns) => [
          { apiVersion: 'specs.smi-spec.io/v1alpha3', kind: 'HTTPRouteGroup', metadata: { name: 'metrics', namespace: ns('app') }, spec: { matches: [{ name: 'scrape', pathRegex: '/metrics', methods: ['GET'] }] } } as KubeObject,
          {
            apiVersion: 'access.smi-spec.io/v1alpha2',
            kind: 'TrafficTarget',
            metadata: { name: 'a-scrapes-b', namespace: ns('app') },
            spec: {
              destination: { kind: 'ServiceAccount', name: 'service-b', namespace: ns('app') },
              rules: [{ kind: 'HTTPRouteGroup', name: 'metrics', matches: ['scrape'] }],
              sources: [{ kind: 'ServiceAccount', name: 'service-a', namespace: ns('app') }],
            },
          } as KubeObject,
          {
            apiVersion: 'split.smi-spec.io/v1alpha1',
            kind: 'TrafficSplit',
            metadata: { name: 'app-split', namespace: ns('app') },
            spec: { service: 'app-svc', backends: [{ service: 'service-b', weight: '750m' }, { service: 'service-c', weight: '250m' }] },
          } as KubeObject,
        ],
        assertions: [
          { kind: 'access', name: 'a->b GET /metrics allowed (v1alpha2 target, v1alpha3 group)', from: { sa: 'service-a' }, to: { service: 'service-b', port: 9091 }, request: req('GET', '/metrics'), expect: 'allow' },
          { kind: 'access', name: 'a->b GET /echo denied', from: { sa: 'service-a' }, to: { service: 'service-b', port: 9091 }, request: req('GET', '/echo'), expect: 'deny' },
          { kind: 'split', name: 'v1alpha1 weights 750m/250m -> b 75% / c 25%', from: { sa: 'service-a' }, service: 'app-svc', port: 9091, request: req('GET', '/'), expect: { 'service-b': 75, 'service-c': 25 } },
          { kind: 'status', name: 'the v1alpha1 TrafficSplit is Accepted', object: { kind: 'TrafficSplit', name: 'app-split' }, expectReason: 'Accepted' },
        ],
      },
    ],
  },
];
