// The shared protocol selection (adapters/common/protocol.ts): transport, then appProtocol, then the port-name prefix.
import { expect } from 'chai';
import { isHttp, portProtocol } from '../../../../adapters/common/protocol.js';

describe('portProtocol: what a port declares', () => {
  it('UDP and SCTP first, whatever else is declared', () => {
    expect(portProtocol({ protocol: 'UDP', appProtocol: 'http', name: 'http' })).to.deep.equal({ protocol: 'udp', source: 'transport' });
    expect(portProtocol({ protocol: 'SCTP' })).to.deep.equal({ protocol: 'sctp', source: 'transport' });
  });

  it('appProtocol over the name, matched whole and case-insensitively; an unknown value is kept as declared', () => {
    expect(portProtocol({ appProtocol: 'kubernetes.io/h2c', name: 'tcp-x' })).to.deep.equal({ protocol: 'http2', source: 'appProtocol', declared: 'kubernetes.io/h2c' });
    expect(portProtocol({ appProtocol: 'GRPC' })).to.deep.equal({ protocol: 'grpc', source: 'appProtocol', declared: 'grpc' });
    expect(portProtocol({ appProtocol: 'linkerd.io/opaque' }).protocol).to.equal('tcp');
    expect(portProtocol({ appProtocol: 'postgresql', name: 'http' })).to.deep.equal({ source: 'appProtocol', declared: 'postgresql' });
  });

  it('the port name `<protocol>[-suffix]` as Istio reads it; other names say nothing', () => {
    expect(portProtocol({ name: 'grpc' })).to.deep.equal({ protocol: 'grpc', source: 'name', declared: 'grpc' });
    expect(portProtocol({ name: 'grpc-web-ui' }).protocol).to.equal('http');
    expect(portProtocol({ name: 'http2-api' }).protocol).to.equal('http2');
    expect(portProtocol({ name: 'mysql-main' }).protocol).to.equal('tcp');
    expect(portProtocol({ name: 'https' }).protocol).to.equal('tls');
    expect(portProtocol({ name: 'web' })).to.deep.equal({ source: 'none' });
    expect(portProtocol({})).to.deep.equal({ source: 'none' });
  });

  it('isHttp: HTTP/1, HTTP/2 and gRPC', () => {
    expect(['http', 'http2', 'grpc', 'tls', 'tcp', undefined].map((p) => isHttp(p as never))).to.deep.equal([true, true, true, false, false, false]);
  });
});
