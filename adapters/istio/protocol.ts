// How Istio decides the protocol of a Service port, which decides whether a
// VirtualService's `http`, `tcp` or `tls` routes apply to it. Follows Istio's
// protocol selection: appProtocol over the port name `<protocol>[-<suffix>]`,
// UDP is never proxied, a few well-known ports default to TCP, and anything
// else is sniffed at runtime (HTTP/1.1 and HTTP/2 are detected, the rest is TCP).

import type { ServicePort } from '../types.js';

export type PortClass = 'http' | 'tcp' | 'tls' | 'sniffed' | 'unproxied';

const BY_NAME: Record<string, PortClass> = {
  http: 'http',
  http2: 'http',
  http_proxy: 'http',
  grpc: 'http',
  'grpc-web': 'http',
  https: 'tls',
  tls: 'tls',
  tcp: 'tcp',
  mongo: 'tcp',
  mysql: 'tcp',
  redis: 'tcp',
  udp: 'unproxied',
};

/** Kubernetes-standard appProtocol values Istio maps specially. */
const K8S_APP_PROTOCOLS: Record<string, PortClass> = {
  'kubernetes.io/h2c': 'http',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'tls',
};

/** SMTP, DNS, MySQL, MongoDB: TCP when the name says nothing (Istio's well-known ports). */
const WELL_KNOWN_TCP = new Set([25, 53, 3306, 27017]);

export function classifyPort(p: ServicePort): PortClass {
  if (p.protocol === 'UDP' || p.protocol === 'SCTP') return 'unproxied';
  const hint = p.appProtocol ?? p.name ?? '';
  const special = p.appProtocol === undefined ? undefined : K8S_APP_PROTOCOLS[p.appProtocol];
  if (special) return special;
  const lower = hint.toLowerCase();
  const prefix = lower.startsWith('grpc-web') ? 'grpc-web' : lower.split('-')[0] ?? '';
  const known = Object.hasOwn(BY_NAME, prefix) ? BY_NAME[prefix] : undefined;
  if (known) return known;
  return WELL_KNOWN_TCP.has(p.port) ? 'tcp' : 'sniffed';
}
