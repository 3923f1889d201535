// traffic-access and traffic-specs scenarios. learn-layer5's access suite assumed
// a mesh that denies by default with no policy at all; SMI (and this operator)
// deny by default only for destinations a TrafficTarget names, so every "deny"
// here is asserted on a governed destination and an ungoverned one is asserted
// to be left to the mesh default.

import type { HttpRequest, Scenario } from '../types.js';
import { HTTP_PORT, basicApp, httpRouteGroup, member, tcpRoute, trafficTarget, udpRoute, ACCESS_V, SPECS_V } from './app.js';

export const req = (method: string, path: string, headers?: Record<string, string>): HttpRequest => ({ method, path, ...(headers ? { headers } : {}) });
const GET = (path: string) => req('GET', path);
const B = { service: 'service-b', port: 9091 };
const A_SA = { sa: 'service-a' };
const C_SA = { sa: 'service-c' };
const ALL_TCP = { kind: 'TCPRoute', name: 'all-ports' };

export const accessScenarios: Scenario[] = [
  {
    id: 'access-default-deny',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'a destination named by a TrafficTarget denies every source it does not list',
    origin: 'learn-layer5 traffic-access 03 (trafficDefault), fixed: asserted on a governed destination; an ungoverned one is left to the mesh default',
    app: basicApp,
    steps: [
      {
        title: 'TrafficTarget service-c -> service-b',
        apply: (ns) => [tcpRoute(ns('app'), 'all-ports'), trafficTarget(ns('app'), 'c-to-b', 'service-b', [{ sa: 'service-c', ns: ns('app') }], [ALL_TCP])],
        assertions: [
          { kind: 'access', name: 'a->b GET /echo denied', from: A_SA, to: B, request: GET('/echo'), expect: 'deny' },
          { kind: 'access', name: 'c->b GET /echo allowed', from: C_SA, to: B, request: GET('/echo'), expect: 'allow' },
          { kind: 'access', name: 'b->a left to the mesh default', from: { sa: 'service-b' }, to: { service: 'service-a', port: 9091 }, request: GET('/echo'), expect: 'default' },
        ],
      },
    ],
  },
  {
    id: 'access-allowed-blocked',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'a TrafficTarget allows its source; deleting it blocks the source again',
    origin: 'learn-layer5 traffic-access 04-07 (trafficAllowed, trafficBlocked), fixed: TCPRoute v1alpha4 with ports: [] kept; blocked asserted while another TrafficTarget still governs the destination',
    app: basicApp,
    steps: [
      {
        title: 'TrafficTargets service-a -> service-b and service-c -> service-b',
        apply: (ns) => [
          tcpRoute(ns('app'), 'all-ports'),
          trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [ALL_TCP]),
          trafficTarget(ns('app'), 'c-to-b', 'service-b', [{ sa: 'service-c', ns: ns('app') }], [ALL_TCP]),
        ],
        assertions: [
          { kind: 'access', name: 'a->b GET /echo allowed', from: A_SA, to: B, request: GET('/echo'), expect: 'allow' },
          { kind: 'access', name: 'a->b TCP allowed', from: A_SA, to: B, expect: 'allow' },
          { kind: 'access', name: 'b->b GET /echo denied', from: { sa: 'service-b' }, to: B, request: GET('/echo'), expect: 'deny' },
        ],
      },
      {
        title: 'delete TrafficTarget a-to-b',
        remove: [{ apiVersion: ACCESS_V, kind: 'TrafficTarget', name: 'a-to-b' }],
        assertions: [
          { kind: 'access', name: 'a->b GET /echo blocked', from: A_SA, to: B, request: GET('/echo'), expect: 'deny' },
          { kind: 'access', name: 'c->b GET /echo still allowed', from: C_SA, to: B, request: GET('/echo'), expect: 'allow' },
        ],
      },
      {
        title: 'delete TrafficTarget c-to-b',
        remove: [{ apiVersion: ACCESS_V, kind: 'TrafficTarget', name: 'c-to-b' }],
        assertions: [{ kind: 'access', name: 'a->b left to the mesh default (policy pruned)', from: A_SA, to: B, request: GET('/echo'), expect: 'default' }],
      },
    ],
  },
  {
    id: 'specs-path',
    spec: 'traffic-specs',
    versions: [ACCESS_V, SPECS_V],
    title: 'an HTTPRouteGroup match restricts access to a path',
    origin: 'learn-layer5 traffic-spec 03/04 (trafficPath), fixed: matches under spec, no string destination.port, the rule names an existing match',
    app: basicApp,
    steps: [
      {
        title: 'HTTPRouteGroup /metrics (any method), TrafficTarget service-a -> service-b',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'test-match', [{ name: 'metrics', pathRegex: '/metrics', methods: ['*'] }]),
          trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'HTTPRouteGroup', name: 'test-match', matches: ['metrics'] }]),
        ],
        assertions: [
          { kind: 'access', name: 'a->b GET /metrics allowed', from: A_SA, to: B, request: GET('/metrics'), expect: 'allow' },
          { kind: 'access', name: 'a->b POST /metrics allowed', from: A_SA, to: B, request: req('POST', '/metrics'), expect: 'allow' },
          { kind: 'access', name: 'a->b GET /echo denied', from: A_SA, to: B, request: GET('/echo'), expect: 'deny' },
          { kind: 'access', name: 'c->b GET /metrics denied', from: C_SA, to: B, request: GET('/metrics'), expect: 'deny' },
        ],
      },
    ],
  },
  {
    id: 'specs-method',
    spec: 'traffic-specs',
    versions: [ACCESS_V, SPECS_V],
    title: 'an HTTPRouteGroup match restricts access to a method',
    origin: 'learn-layer5 traffic-spec 05/06 (trafficMethod), fixed: the rule referenced a match name (testMatch2) the group does not have',
    app: basicApp,
    steps: [
      {
        title: 'HTTPRouteGroup any path, GET only',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'test-match', [{ name: 'get-only', pathRegex: '.*', methods: ['GET'] }]),
          trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'HTTPRouteGroup', name: 'test-match', matches: ['get-only'] }]),
        ],
        assertions: [
          { kind: 'access', name: 'a->b GET /echo allowed', from: A_SA, to: B, request: GET('/echo'), expect: 'allow' },
          { kind: 'access', name: 'a->b POST /echo denied', from: A_SA, to: B, request: req('POST', '/echo'), expect: 'deny' },
        ],
      },
    ],
  },
  {
    id: 'specs-headers',
    spec: 'traffic-specs',
    versions: [ACCESS_V, SPECS_V],
    title: 'an HTTPRouteGroup match restricts access by header, path and method together',
    origin: "extension: learn-layer5 does not test header matches; the header regex is anchored (^...$) because SMI leaves anchoring open and the adapters read it differently",
    app: basicApp,
    steps: [
      {
        title: 'GET /admin with x-debug: enabled',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'admin', [{ name: 'debug-admin', pathRegex: '/admin', methods: ['GET'], headers: { 'x-debug': '^enabled$' } }]),
          trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'HTTPRouteGroup', name: 'admin' }]),
        ],
        assertions: [
          { kind: 'access', name: 'GET /admin with header allowed', from: A_SA, to: B, request: req('GET', '/admin', { 'x-debug': 'enabled' }), expect: 'allow' },
          { kind: 'access', name: 'GET /admin without header denied', from: A_SA, to: B, request: GET('/admin'), expect: 'deny' },
          { kind: 'access', name: 'POST /admin with header denied', from: A_SA, to: B, request: req('POST', '/admin', { 'x-debug': 'enabled' }), expect: 'deny' },
        ],
      },
    ],
  },
  {
    id: 'access-tcp-ports',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'a TCPRoute with ports allows only those ports',
    origin: 'extension: learn-layer5 only uses ports: [] (all ports)',
    app: (ns) => basicApp(ns, [HTTP_PORT, { name: 'tcp-admin', port: 9092, appProtocol: 'tcp' }]),
    steps: [
      {
        title: 'TCPRoute ports [9092], TrafficTarget service-a -> service-b',
        apply: (ns) => [tcpRoute(ns('app'), 'admin-port', [9092]), trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'TCPRoute', name: 'admin-port' }])],
        assertions: [
          { kind: 'access', name: 'a->b:9092 TCP allowed', from: A_SA, to: { service: 'service-b', port: 9092 }, expect: 'allow' },
          { kind: 'access', name: 'a->b:9091 TCP denied', from: A_SA, to: B, expect: 'deny' },
          { kind: 'access', name: 'a->b:9091 GET / denied', from: A_SA, to: B, request: GET('/'), expect: 'deny' },
        ],
      },
    ],
    unsupported: {
      consul: { assertions: ['a->b:9092 TCP allowed'], reason: 'Consul intentions authorise a source on every port of a service; the port-restricted rule is dropped (narrower), so port 9092 is denied too' },
    },
  },
  {
    id: 'access-udp',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'a UDPRoute rule allows UDP datagrams to the destination',
    origin: 'extension: learn-layer5 does not test UDPRoute',
    app: (ns) => basicApp(ns, [HTTP_PORT, { name: 'dns', port: 5353, protocol: 'UDP' }]),
    steps: [
      {
        title: 'UDPRoute ports [5353], TrafficTarget service-a -> service-b',
        apply: (ns) => [udpRoute(ns('app'), 'dns', [5353]), trafficTarget(ns('app'), 'a-to-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'UDPRoute', name: 'dns' }])],
        assertions: [
          { kind: 'access', name: 'a->b:5353 UDP allowed', from: A_SA, to: { service: 'service-b', port: 5353 }, udp: true, expect: 'allow' },
          { kind: 'access', name: 'a->b:9091 GET / denied (no widening)', from: A_SA, to: B, request: GET('/'), expect: 'deny' },
          { kind: 'status', name: 'TrafficTarget reported Unsupported', object: { kind: 'TrafficTarget', name: 'a-to-b' }, expectReason: 'Unsupported' },
        ],
      },
    ],
    unsupported: {
      istio: { assertions: ['a->b:5353 UDP allowed'], reason: 'Istio does not proxy UDP, so a UDP datagram cannot be authorized by identity' },
      linkerd: { assertions: ['a->b:5353 UDP allowed'], reason: 'the Linkerd proxy carries no UDP; datagrams bypass policy' },
      consul: { assertions: ['a->b:5353 UDP allowed'], reason: 'Consul service mesh carries no UDP' },
    },
  },
  {
    id: 'access-multiple-targets',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'two TrafficTargets for one destination: their rules are ORed per source',
    origin: 'extension: learn-layer5 uses one TrafficTarget at a time',
    app: basicApp,
    steps: [
      {
        title: 'a may GET /metrics; c may do anything',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'metrics', [{ name: 'scrape', pathRegex: '/metrics', methods: ['GET'] }]),
          tcpRoute(ns('app'), 'all-ports'),
          trafficTarget(ns('app'), 'a-scrapes-b', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'HTTPRouteGroup', name: 'metrics' }]),
          trafficTarget(ns('app'), 'c-to-b', 'service-b', [{ sa: 'service-c', ns: ns('app') }], [ALL_TCP]),
        ],
        assertions: [
          { kind: 'access', name: 'a->b GET /metrics allowed', from: A_SA, to: B, request: GET('/metrics'), expect: 'allow' },
          { kind: 'access', name: 'a->b GET /echo denied', from: A_SA, to: B, request: GET('/echo'), expect: 'deny' },
          { kind: 'access', name: 'c->b POST /echo allowed', from: C_SA, to: B, request: req('POST', '/echo'), expect: 'allow' },
          { kind: 'access', name: 'c->b GET /metrics allowed', from: C_SA, to: B, request: GET('/metrics'), expect: 'allow' },
        ],
      },
    ],
  },
  {
    id: 'access-cross-namespace',
    spec: 'traffic-access',
    versions: [ACCESS_V, SPECS_V],
    title: 'a source ServiceAccount in another namespace; the same name in the destination namespace is not that source',
    origin: 'extension: learn-layer5 runs every suite in one namespace',
    extraNamespaces: ['other'],
    app: (ns) => [...basicApp(ns), ...member(ns('other'), 'client'), ...member(ns('app'), 'client')],
    steps: [
      {
        title: 'TrafficTarget client (namespace other) -> service-b',
        apply: (ns) => [tcpRoute(ns('app'), 'all-ports'), trafficTarget(ns('app'), 'other-to-b', 'service-b', [{ sa: 'client', ns: ns('other') }], [ALL_TCP])],
        assertions: [
          { kind: 'access', name: 'other/client->b allowed', from: { sa: 'client', ns: 'other' }, to: B, request: GET('/echo'), expect: 'allow' },
          { kind: 'access', name: 'app/client->b denied', from: { sa: 'client', ns: 'app' }, to: B, request: GET('/echo'), expect: 'deny' },
          { kind: 'access', name: 'app/service-a->b denied', from: A_SA, to: B, request: GET('/echo'), expect: 'deny' },
        ],
      },
    ],
    unsupported: {
      consul: { assertions: ['app/client->b denied'], reason: 'without Consul Enterprise namespaces a source is matched by service name alone, so client in any namespace is allowed' },
    },
  },
];
