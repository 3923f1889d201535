// Re-applying config/metrics/ (kubectl apply -f) must not turn TLS verification of
// the metrics server off again: the file sets no insecureSkipTLSVerify (nor caBundle,
// which the cert bootstrap or cert-manager inject).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

describe('config/metrics/apiservice.yaml', () => {
  it('sets neither insecureSkipTLSVerify nor caBundle', () => {
    const api = yaml.load(readFileSync('config/metrics/apiservice.yaml', 'utf8')) as { kind: string; spec: Record<string, unknown> };
    expect(api.kind).to.equal('APIService');
    expect(api.spec).to.not.have.property('insecureSkipTLSVerify');
    expect(api.spec).to.not.have.property('caBundle');
  });
});
