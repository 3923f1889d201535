// The shared port protocol selection (adapters/common/protocol.ts) as Istio and Consul
// read it: the same port is HTTP, gRPC, TCP or not proxied on both, Istio's well-known
// TCP ports included (adapters/common/ports.ts servicePortProtocol).
import { expect } from 'chai';
import fc from 'fast-check';
import { servicePortProtocol } from '../../../../adapters/common/ports.js';
import { isHttp } from '../../../../adapters/common/protocol.js';
import { declaredProtocol } from '../../../../adapters/consul/protocol.js';
import { classifyPort, type PortClass } from '../../../../adapters/istio/protocol.js';
import type { ServicePort } from '../../../../adapters/types.js';

const consulOf = (p: ServicePort): string => {
  const d = declaredProtocol({ namespace: 'ns', name: 'svc', ports: [p] });
  return d.kind === 'declared' ? d.protocol : d.kind;
};

describe('port protocol selection as Istio and Consul read it', () => {
  const cases: Array<[ServicePort, PortClass, string]> = [
    // The SMI birds example names its port `grpc`: gRPC, never HTTP/1.1.
    [{ port: 8080, name: 'grpc' }, 'http', 'grpc'],
    [{ port: 8080, name: 'GRPC-api' }, 'http', 'grpc'],
    [{ port: 8080, name: 'grpc-web' }, 'http', 'http'],
    [{ port: 80, name: 'http-web' }, 'http', 'http'],
    [{ port: 80, name: 'http2' }, 'http', 'http2'],
    [{ port: 443, name: 'https' }, 'tls', 'tcp'],
    [{ port: 5432, name: 'tcp-pg' }, 'tcp', 'tcp'],
    [{ port: 6379, name: 'redis' }, 'tcp', 'tcp'],
    [{ port: 80, name: 'web' }, 'sniffed', 'undeclared'],
    [{ port: 80 }, 'sniffed', 'undeclared'],
    [{ port: 80, name: 'grpc', appProtocol: 'http' }, 'http', 'http'],
    [{ port: 80, name: 'http', appProtocol: 'kubernetes.io/h2c' }, 'http', 'http2'],
    [{ port: 80, appProtocol: 'kubernetes.io/ws' }, 'http', 'http'],
    [{ port: 443, appProtocol: 'kubernetes.io/wss' }, 'tls', 'tcp'],
    [{ port: 5432, name: 'http', appProtocol: 'postgresql' }, 'sniffed', 'tcp'],
    [{ port: 53, name: 'http', protocol: 'UDP' }, 'unproxied', 'not-tcp'],
    [{ port: 9, protocol: 'SCTP' }, 'unproxied', 'not-tcp'],
    // Istio's well-known TCP ports when nothing recognisable is declared.
    [{ port: 3306 }, 'tcp', 'tcp'],
    [{ port: 27017, name: 'db' }, 'tcp', 'tcp'],
    [{ port: 25, appProtocol: 'smtp' }, 'tcp', 'tcp'],
    [{ port: 3306, name: 'http' }, 'http', 'http'],
  ];
  for (const [p, istio, consul] of cases) {
    it(`${JSON.stringify(p)}: Istio ${istio}, Consul ${consul}`, () => {
      expect(classifyPort(p)).to.equal(istio);
      expect(consulOf(p)).to.equal(consul);
    });
  }

  const portArb: fc.Arbitrary<ServicePort> = fc.record(
    {
      port: fc.oneof(fc.constantFrom(25, 53, 80, 3306, 8080, 27017), fc.integer({ min: 1, max: 65535 })),
      name: fc.oneof(fc.constantFrom('grpc', 'grpc-web', 'http', 'http2', 'https', 'tcp-db', 'mysql', 'redis', 'mongo', 'tls', 'udp', 'web', 'HTTP-x'), fc.string()),
      appProtocol: fc.constantFrom('http', 'grpc', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss', 'h2c', 'postgresql', 'linkerd.io/opaque', 'tcp', ''),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
    },
    { requiredKeys: ['port'] },
  );

  it('a port is HTTP on Istio exactly when Consul gives it an HTTP-based protocol, and gRPC stays gRPC (property)', () => {
    fc.assert(
      fc.property(portArb, (p) => {
        const c = servicePortProtocol(p);
        const istio = classifyPort(p);
        const consul = consulOf(p);
        expect(istio === 'http', `${JSON.stringify(p)}: ${istio} / ${consul}`).to.equal(['http', 'http2', 'grpc'].includes(consul));
        expect(isHttp(c.protocol)).to.equal(istio === 'http');
        if (c.protocol === 'grpc') expect(consul).to.equal('grpc');
        if (istio === 'unproxied') expect(consul).to.equal('not-tcp');
        if (istio === 'tcp' || istio === 'tls') expect(consul).to.equal('tcp');
      }),
    );
  });
});
