// How Istio decides the protocol of a Service port, which decides whether a
// VirtualService's `http`, `tcp` or `tls` routes apply to it. The declared protocol
// comes from the shared selection (adapters/common/protocol.ts, Istio's own rules);
// Service ports on Istio's well-known TCP ports default to TCP (adapters/common/ports.ts);
// anything else undeclared is sniffed at runtime (HTTP/1.1 and HTTP/2 are detected, the
// rest is TCP).

import { servicePortProtocol } from '../common/ports.js';
import type { ServicePort } from '../types.js';

export type PortClass = 'http' | 'tcp' | 'tls' | 'sniffed' | 'unproxied';

export function classifyPort(p: ServicePort): PortClass {
  switch (servicePortProtocol(p).protocol) {
    case 'udp':
    case 'sctp':
      return 'unproxied';
    case 'http':
    case 'http2':
    case 'grpc':
      return 'http';
    case 'tls':
      return 'tls';
    case 'tcp':
      return 'tcp';
    default:
      return 'sniffed';
  }
}
