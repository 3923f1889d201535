// The application protocol of a Service port, decided once for every mesh (Istio,
// Linkerd and Consul each map the result to their own notion). The rules are Istio's
// protocol selection (pkg/config/kube/conversion.go ConvertProtocol, pkg/config/protocol
// Parse), since they are the convention Service authors write ports for:
//   1. UDP (and SCTP) ports are not proxied by any of the meshes.
//   2. `appProtocol`, when set, replaces the port name; the Kubernetes-defined values
//      kubernetes.io/h2c|ws|wss are read first.
//   3. The name (or appProtocol) `<protocol>[-<suffix>]`: `grpc-web` is matched whole (it
//      contains a hyphen), otherwise the text before the first `-`, case-insensitively.
//   4. Nothing recognised on Istio's well-known TCP ports (SMTP 25, DNS 53, MySQL 3306,
//      MongoDB 27017) is TCP: sniffing would break those server-first protocols.
// One extension: appProtocol `h2c` (the HTTP/2 cleartext token) is HTTP/2, as the meshes'
// adapters read it before this function existed.

import type { ServicePort } from '../types.js';

export type PortProtocol =
  | 'http'
  | 'http2'
  | 'grpc'
  | 'grpc-web'
  | 'http-proxy'
  | 'https'
  | 'tls'
  | 'tcp'
  | 'mongo'
  | 'mysql'
  | 'redis'
  | 'udp'
  | 'sctp'
  /** appProtocol names a protocol none of the above is (postgresql, linkerd.io/opaque...): declared, not HTTP. */
  | 'other'
  /** Nothing declared (no appProtocol, no recognised name prefix): the mesh detects the protocol. */
  | 'unknown';

/** Protocols that carry HTTP requests (HTTP/1.1 or HTTP/2), so HTTP routes and HTTP authorization apply. */
export const HTTP_PROTOCOLS: ReadonlySet<PortProtocol> = new Set<PortProtocol>(['http', 'http2', 'grpc', 'grpc-web', 'http-proxy']);

const BY_PREFIX: Readonly<Record<string, PortProtocol>> = {
  http: 'http',
  http2: 'http2',
  http_proxy: 'http-proxy',
  grpc: 'grpc',
  https: 'https',
  tls: 'tls',
  tcp: 'tcp',
  udp: 'udp',
  mongo: 'mongo',
  mysql: 'mysql',
  redis: 'redis',
};

/** Kubernetes-defined appProtocol values (ServicePort.appProtocol API docs). */
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, PortProtocol>> = {
  'kubernetes.io/h2c': 'http2',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'https',
  h2c: 'http2',
};

const WELL_KNOWN_TCP_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

function fromText(text: string): PortProtocol | undefined {
  const lower = text.toLowerCase();
  if (lower.startsWith('grpc-web')) return 'grpc-web';
  const prefix = lower.split('-')[0] ?? '';
  return Object.hasOwn(BY_PREFIX, prefix) ? BY_PREFIX[prefix] : undefined;
}

export function portProtocol(p: ServicePort): PortProtocol {
  if (p.protocol === 'UDP') return 'udp';
  if (p.protocol === 'SCTP') return 'sctp';
  const app = p.appProtocol === '' ? undefined : p.appProtocol;
  const k8s = app === undefined ? undefined : KUBERNETES_APP_PROTOCOLS[app.toLowerCase()];
  if (k8s) return k8s;
  const found = fromText(app ?? p.name ?? '');
  if (found !== undefined) return found;
  if (WELL_KNOWN_TCP_PORTS.has(p.port)) return 'tcp';
  return app !== undefined ? 'other' : 'unknown';
}

/** How the port's protocol was declared, for messages: `appProtocol grpc`, `name grpc-api`, `port 3306`. */
export function protocolSource(p: ServicePort): string {
  if (p.protocol === 'UDP' || p.protocol === 'SCTP') return `protocol ${p.protocol}`;
  if (p.appProtocol !== undefined && p.appProtocol !== '') return `appProtocol ${p.appProtocol}`;
  if (p.name !== undefined && fromText(p.name) !== undefined) return `name ${p.name}`;
  return WELL_KNOWN_TCP_PORTS.has(p.port) ? `well-known port ${p.port}` : 'nothing';
}
