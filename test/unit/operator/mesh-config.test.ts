import { expect } from 'chai';
import { parseMeshConfig } from '../../../operator/config/mesh-config.js';

describe('parseMeshConfig', () => {
  it('defaults everything when empty (mesh from the fallback)', () => {
    const r = parseMeshConfig({}, 'linkerd');
    expect(r.ok && r.config).to.deep.equal({ mesh: 'linkerd', options: { accessMode: 'enforce', mtlsMode: 'strict', clusterDomain: 'cluster.local', trustDomain: 'cluster.local' } });
  });

  it('reads every key (values trimmed)', () => {
    const r = parseMeshConfig({ mesh: ' consul\n', accessMode: 'permissive', mtlsMode: 'disabled', clusterDomain: 'k8s.example', trustDomain: 'corp.example' });
    expect(r.ok && r.config).to.deep.equal({ mesh: 'consul', options: { accessMode: 'permissive', mtlsMode: 'disabled', clusterDomain: 'k8s.example', trustDomain: 'corp.example' } });
  });

  it('names the offending key in every error', () => {
    const r = parseMeshConfig({ mesh: 'nginx', mtlsMode: 'sometimes', clusterDomain: 'Not A Domain', colour: 'blue' });
    expect(r.ok).to.equal(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors.some((e) => e === 'data.mesh: must be one of istio, linkerd, consul, gamma, got "nginx"')).to.equal(true);
    expect(errors.some((e) => e.startsWith('data.mtlsMode:'))).to.equal(true);
    expect(errors.some((e) => e.startsWith('data.clusterDomain: must be a DNS name'))).to.equal(true);
    expect(errors.some((e) => e.startsWith('data.colour: unknown key'))).to.equal(true);
  });
});
