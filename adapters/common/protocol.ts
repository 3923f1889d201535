// The one protocol selection every renderer starts from (issue 11 item 7): what a port
// declares about the protocol it carries. As Istio selects it (docs "Protocol Selection"):
// the transport first (UDP/SCTP), then `appProtocol`, then the port name
// `<protocol>[-<suffix>]`. Each mesh then decides what an undeclared or unknown protocol
// means for it (Istio sniffs, Linkerd detects, Consul assumes) — this module only reads.

export type PortProtocol = 'http' | 'http2' | 'grpc' | 'tls' | 'tcp' | 'udp' | 'sctp';

export interface ProtocolChoice {
  /** Undefined when nothing recognisable is declared. */
  protocol?: PortProtocol;
  /** Where the answer came from. `none`: neither appProtocol nor a name says anything. */
  source: 'transport' | 'appProtocol' | 'name' | 'none';
  /** The declared word (lower case) when it came from appProtocol or the name, even if unrecognised. */
  declared?: string;
}

/** A port as Services and containers declare it. */
export interface DeclaredPort {
  name?: string;
  appProtocol?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Istio's protocol names, the Kubernetes-standard appProtocols and Linkerd's opaque ones. */
const WORDS: Readonly<Record<string, PortProtocol>> = {
  http: 'http',
  http_proxy: 'http',
  'grpc-web': 'http', // gRPC-Web is carried over HTTP/1.1 or HTTP/2 like plain HTTP
  'kubernetes.io/ws': 'http',
  http2: 'http2',
  h2c: 'http2',
  'kubernetes.io/h2c': 'http2',
  grpc: 'grpc',
  https: 'tls',
  tls: 'tls',
  'kubernetes.io/wss': 'tls',
  tcp: 'tcp',
  mongo: 'tcp',
  mysql: 'tcp',
  redis: 'tcp',
  'linkerd.io/opaque': 'tcp',
  'linkerd.io/tcp': 'tcp',
  udp: 'udp',
};

/** The word a port name declares: `http-web` -> `http`, `grpc-web-ui` -> `grpc-web`. */
function nameWord(name: string): string {
  const lower = name.toLowerCase();
  return lower.startsWith('grpc-web') ? 'grpc-web' : (lower.split('-')[0] ?? '');
}

export function portProtocol(p: DeclaredPort): ProtocolChoice {
  if (p.protocol === 'UDP') return { protocol: 'udp', source: 'transport' };
  if (p.protocol === 'SCTP') return { protocol: 'sctp', source: 'transport' };
  if (p.appProtocol !== undefined && p.appProtocol !== '') {
    const declared = p.appProtocol.toLowerCase();
    const protocol = Object.hasOwn(WORDS, declared) ? WORDS[declared] : undefined;
    return protocol ? { protocol, source: 'appProtocol', declared } : { source: 'appProtocol', declared };
  }
  if (p.name !== undefined && p.name !== '') {
    const declared = nameWord(p.name);
    const protocol = Object.hasOwn(WORDS, declared) ? WORDS[declared] : undefined;
    if (protocol) return { protocol, source: 'name', declared };
  }
  return { source: 'none' };
}

/** HTTP-based: the mesh can read requests (routes, HTTP authorization). */
export const isHttp = (p: PortProtocol | undefined): boolean => p === 'http' || p === 'http2' || p === 'grpc';
