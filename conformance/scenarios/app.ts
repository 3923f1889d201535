// The test application, after learn-layer5's app-a/app-b/app-c: one Deployment
// per ServiceAccount, each pod an HTTP echo server (answers with its own name,
// so the traffic level can count who served a request) plus a curl container to
// call others from. Fix over learn-layer5: Service name = ServiceAccount name
// (service-a/b/c), which Consul requires (its identity is the service name).

import type { KubeObject } from '../../schemas/hub.js';
import type { NsMap } from '../types.js';

export const ECHO_IMAGE = 'hashicorp/http-echo:1.0';
export const CURL_IMAGE = 'curlimages/curl:8.11.1';
export const APP_PORT = 9091;
export const LABEL = 'smi-conformance/app';

export interface PortSpec {
  name: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
  appProtocol?: string;
}

export const HTTP_PORT: PortSpec = { name: 'http', port: APP_PORT, appProtocol: 'http' };

export function serviceAccount(ns: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

export function deployment(ns: string, sa: string, ports: PortSpec[] = [HTTP_PORT], extraLabels: Record<string, string> = {}): KubeObject {
  const labels = { [LABEL]: sa, ...extraLabels };
  const echo = ports
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
    .map((p) => ({
      name: `echo-${p.port}`,
      image: ECHO_IMAGE,
      args: [`-listen=:${p.port}`, `-text=${sa}`],
      ports: [{ name: p.name, containerPort: p.port }],
      securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false },
    }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: sa, namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [LABEL]: sa } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: sa,
          containers: [...echo, { name: 'client', image: CURL_IMAGE, command: ['sleep', 'infinity'], securityContext: { runAsNonRoot: true, runAsUser: 100, allowPrivilegeEscalation: false } }],
        },
      },
    },
  } as KubeObject;
}

export function service(ns: string, name: string, selector: Record<string, string>, ports: PortSpec[] = [HTTP_PORT]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: {
      selector,
      ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
    },
  } as KubeObject;
}

/** ServiceAccount + Deployment + Service named `sa`. */
export function member(ns: string, sa: string, ports: PortSpec[] = [HTTP_PORT], extraLabels: Record<string, string> = {}): KubeObject[] {
  return [serviceAccount(ns, sa), deployment(ns, sa, ports, extraLabels), service(ns, sa, { [LABEL]: sa }, ports)];
}

/** service-a, service-b, service-c in `app`. */
export function basicApp(ns: NsMap, portsOfB: PortSpec[] = [HTTP_PORT]): KubeObject[] {
  return [...member(ns('app'), 'service-a'), ...member(ns('app'), 'service-b', portsOfB), ...member(ns('app'), 'service-c')];
}

/** The split app: b and c labelled as one app behind the root Service `app-svc`. */
export function splitApp(ns: NsMap, ports: PortSpec[] = [HTTP_PORT]): KubeObject[] {
  const app = { 'smi-conformance/role': 'backend' };
  return [
    ...member(ns('app'), 'service-a'),
    ...member(ns('app'), 'service-b', ports, app),
    ...member(ns('app'), 'service-c', ports, app),
    service(ns('app'), 'app-svc', app, ports),
  ];
}

// ---- SMI object builders ----

export const ACCESS_V = 'access.smi-spec.io/v1alpha3';
export const SPECS_V = 'specs.smi-spec.io/v1alpha4';
export const SPLIT_V = 'split.smi-spec.io/v1alpha4';

export function trafficTarget(ns: string, name: string, dest: string, sources: Array<{ sa: string; ns: string }>, rules: Array<{ kind: string; name: string; matches?: string[] }>, apiVersion = ACCESS_V): KubeObject {
  return {
    apiVersion,
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns },
    spec: {
      destination: { kind: 'ServiceAccount', name: dest, namespace: ns },
      rules,
      sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s.sa, namespace: s.ns })),
    },
  } as KubeObject;
}

export function tcpRoute(ns: string, name: string, ports: number[] = []): KubeObject {
  return { apiVersion: SPECS_V, kind: 'TCPRoute', metadata: { name, namespace: ns }, spec: { matches: { ports } } } as KubeObject;
}

export function udpRoute(ns: string, name: string, ports: number[] = []): KubeObject {
  return { apiVersion: SPECS_V, kind: 'UDPRoute', metadata: { name, namespace: ns }, spec: { matches: { ports } } } as KubeObject;
}

export function httpRouteGroup(ns: string, name: string, matches: Array<{ name: string; pathRegex?: string; methods?: string[]; headers?: Record<string, string> }>, apiVersion = SPECS_V): KubeObject {
  return { apiVersion, kind: 'HTTPRouteGroup', metadata: { name, namespace: ns }, spec: { matches } } as KubeObject;
}

export function trafficSplit(ns: string, name: string, root: string, backends: Array<[string, number]>, matches?: string[]): KubeObject {
  return {
    apiVersion: SPLIT_V,
    kind: 'TrafficSplit',
    metadata: { name, namespace: ns },
    spec: {
      service: root,
      backends: backends.map(([service, weight]) => ({ service, weight })),
      ...(matches ? { matches: matches.map((m) => ({ kind: 'HTTPRouteGroup', name: m })) } : {}),
    },
  } as KubeObject;
}
