// How Istio decides the protocol of a Service port, which decides whether a
// VirtualService's `http`, `tcp` or `tls` routes apply to it. The protocol itself comes
// from the shared selection (adapters/common/protocol.ts, Istio's own rules); this maps
// it to the route list Istio uses. Undeclared and unrecognised ports are sniffed at
// runtime (HTTP/1.1 and HTTP/2 are detected, the rest is TCP).

import { portProtocol, type PortProtocol } from '../common/protocol.js';
import type { ServicePort } from '../types.js';

export type PortClass = 'http' | 'tcp' | 'tls' | 'sniffed' | 'unproxied';

const CLASS: Readonly<Record<PortProtocol, PortClass>> = {
  http: 'http',
  http2: 'http',
  grpc: 'http',
  'grpc-web': 'http',
  'http-proxy': 'http',
  https: 'tls',
  tls: 'tls',
  tcp: 'tcp',
  mongo: 'tcp',
  mysql: 'tcp',
  redis: 'tcp',
  udp: 'unproxied',
  sctp: 'unproxied',
  other: 'sniffed',
  unknown: 'sniffed',
};

export function classifyPort(p: ServicePort): PortClass {
  return CLASS[portProtocol(p)];
}
