import { expect } from 'chai';
import fc from 'fast-check';
import { HTTP_PROTOCOLS, portProtocol, protocolSource, type PortProtocol } from '../../../../adapters/common/protocol.js';
import { declaredProtocol } from '../../../../adapters/consul/protocol.js';
import { classifyPort } from '../../../../adapters/istio/protocol.js';
import { portKind } from '../../../../adapters/linkerd/ports.js';
import type { ServicePort } from '../../../../adapters/types.js';

describe('port protocol selection (one function for every mesh)', () => {
  const cases: Array<[ServicePort, PortProtocol]> = [
    // Port name `<protocol>[-suffix]`, case-insensitive: the SMI birds example names its port `grpc`.
    [{ port: 8080, name: 'grpc' }, 'grpc'],
    [{ port: 8080, name: 'GRPC-api' }, 'grpc'],
    [{ port: 8080, name: 'grpc-web' }, 'grpc-web'],
    [{ port: 8080, name: 'grpc-web-ui' }, 'grpc-web'],
    [{ port: 80, name: 'http-web' }, 'http'],
    [{ port: 80, name: 'http2' }, 'http2'],
    [{ port: 443, name: 'https' }, 'https'],
    [{ port: 5432, name: 'tcp-pg' }, 'tcp'],
    [{ port: 6379, name: 'redis' }, 'redis'],
    [{ port: 80, name: 'httpx' }, 'unknown'],
    [{ port: 80, name: 'web' }, 'unknown'],
    [{ port: 80 }, 'unknown'],
    // appProtocol replaces the name, the Kubernetes-defined values first.
    [{ port: 80, name: 'grpc', appProtocol: 'http' }, 'http'],
    [{ port: 80, name: 'http', appProtocol: 'kubernetes.io/h2c' }, 'http2'],
    [{ port: 80, appProtocol: 'kubernetes.io/ws' }, 'http'],
    [{ port: 443, appProtocol: 'kubernetes.io/wss' }, 'https'],
    [{ port: 80, appProtocol: 'h2c' }, 'http2'],
    [{ port: 5432, name: 'http', appProtocol: 'postgresql' }, 'other'],
    [{ port: 80, appProtocol: '', name: 'grpc' }, 'grpc'],
    // Transport first; well-known TCP ports when nothing is recognised.
    [{ port: 53, name: 'http', protocol: 'UDP' }, 'udp'],
    [{ port: 9, protocol: 'SCTP' }, 'sctp'],
    [{ port: 3306 }, 'tcp'],
    [{ port: 27017, name: 'db' }, 'tcp'],
    [{ port: 25, appProtocol: 'smtp' }, 'tcp'],
    [{ port: 3306, name: 'http' }, 'http'],
  ];
  for (const [p, want] of cases) {
    it(`${JSON.stringify(p)} -> ${want}`, () => expect(portProtocol(p)).to.equal(want));
  }

  it('says how a protocol was declared, for messages', () => {
    expect(protocolSource({ port: 80, appProtocol: 'grpc', name: 'http' })).to.equal('appProtocol grpc');
    expect(protocolSource({ port: 80, name: 'grpc-api' })).to.equal('name grpc-api');
    expect(protocolSource({ port: 3306 })).to.equal('well-known port 3306');
    expect(protocolSource({ port: 8080, name: 'web' })).to.equal('nothing');
  });

  const portArb: fc.Arbitrary<ServicePort> = fc.record(
    {
      port: fc.oneof(fc.constantFrom(25, 53, 80, 3306, 8080, 27017), fc.integer({ min: 1, max: 65535 })),
      name: fc.oneof(fc.constantFrom('grpc', 'grpc-web', 'http', 'http2', 'https', 'tcp-db', 'mysql', 'redis', 'mongo', 'tls', 'udp', 'web', 'HTTP-x'), fc.string()),
      appProtocol: fc.constantFrom('http', 'grpc', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss', 'h2c', 'postgresql', 'linkerd.io/opaque', 'tcp', ''),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
    },
    { requiredKeys: ['port'] },
  );

  it('every adapter reads a port the same way: HTTP for one mesh is HTTP for all, not-HTTP likewise (an HTTP proxy port stays opaque TCP on Consul) (property)', () => {
    fc.assert(
      fc.property(portArb, (p) => {
        const shared = portProtocol(p);
        const istio = classifyPort(p);
        const linkerd = portKind(p);
        const consul = declaredProtocol({ namespace: 'ns', name: 'svc', ports: [p] });
        if (shared === 'udp' || shared === 'sctp') {
          expect(istio).to.equal('unproxied');
          expect(linkerd).to.equal('not-proxied');
          expect(consul.kind).to.equal('not-tcp');
        } else if (HTTP_PROTOCOLS.has(shared)) {
          expect(istio).to.equal('http');
          expect(linkerd).to.equal('http');
          // Consul: an HTTP-based protocol; gRPC stays gRPC (never HTTP/1.1), HTTP/2 stays HTTP/2.
          expect(consul.kind === 'declared' && consul.protocol).to.equal(shared === 'grpc' ? 'grpc' : shared === 'http2' ? 'http2' : shared === 'http-proxy' ? 'tcp' : 'http');
        } else if (shared === 'unknown') {
          expect(istio).to.equal('sniffed');
          expect(linkerd).to.equal('http'); // Linkerd detects the protocol
          expect(consul.kind).to.equal('undeclared');
        } else {
          expect(istio).to.be.oneOf(['tcp', 'tls', 'sniffed']);
          expect(linkerd).to.equal('opaque');
          expect(consul).to.deep.include({ kind: 'declared', protocol: 'tcp' });
        }
      }),
    );
  });
});
