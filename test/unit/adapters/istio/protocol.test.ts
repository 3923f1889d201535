import { expect } from 'chai';
import { classifyPort } from '../../../../adapters/istio/protocol.js';

describe('istio protocol selection', () => {
  it('reads the port name prefix, case-insensitively', () => {
    expect(classifyPort({ port: 80, name: 'http-web' })).to.equal('http');
    expect(classifyPort({ port: 80, name: 'HTTP2' })).to.equal('http');
    expect(classifyPort({ port: 81, name: 'grpc-web-x' })).to.equal('http');
    expect(classifyPort({ port: 5432, name: 'tcp-pg' })).to.equal('tcp');
    expect(classifyPort({ port: 443, name: 'https' })).to.equal('tls');
    expect(classifyPort({ port: 6379, name: 'redis' })).to.equal('tcp');
  });
  it('prefers appProtocol, including the kubernetes.io values', () => {
    expect(classifyPort({ port: 80, name: 'tcp', appProtocol: 'http' })).to.equal('http');
    expect(classifyPort({ port: 80, name: 'web', appProtocol: 'kubernetes.io/h2c' })).to.equal('http');
    expect(classifyPort({ port: 443, appProtocol: 'kubernetes.io/wss' })).to.equal('tls');
  });
  it('never proxies UDP or SCTP', () => {
    expect(classifyPort({ port: 53, name: 'http', protocol: 'UDP' })).to.equal('unproxied');
    expect(classifyPort({ port: 9, protocol: 'SCTP' })).to.equal('unproxied');
  });
  it('defaults well-known ports to TCP and sniffs the rest', () => {
    expect(classifyPort({ port: 3306 })).to.equal('tcp');
    expect(classifyPort({ port: 3306, name: 'web' })).to.equal('tcp');
    expect(classifyPort({ port: 8080, name: 'web' })).to.equal('sniffed');
    expect(classifyPort({ port: 8080 })).to.equal('sniffed');
  });
});
