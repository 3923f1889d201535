import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { parseMeshOptions } from '../../../../adapters/common/options.js';
import { runTranslate } from '../../../../cli/commands/translate.js';

function run(flags: Partial<Parameters<typeof runTranslate>[0]>, stdin = '') {
  let out = '';
  let err = '';
  const code = runTranslate(
    { mesh: 'istio', filename: ['-'], options: [], ...flags },
    { out: (s) => (out += s), err: (s) => (err += s), stdin: () => stdin },
  );
  return { code, out, err };
}

const split = `
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ab, namespace: shop}
spec: {service: web, backends: [{service: web-v1, weight: 1}]}
`;
const services = ['web', 'web-v1'].map((n) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${n}, namespace: shop}\nspec: {selector: {app: ${n}}, ports: [{port: 80}]}\n`).join('');

describe('smictl translate', () => {
  it('prints one result line per object on stderr and exits 0 for valid input', () => {
    const r = run({}, `${split}${services}`);
    expect(r.code).to.equal(0);
    expect(r.err).to.match(/^TrafficSplit shop\/ab: Accepted/m);
    expect(() => yaml.loadAll(r.out)).not.to.throw();
  });

  it('exits 1 and names object, status and field for a missing reference', () => {
    const r = run({}, split);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('TrafficSplit shop/ab: InvalidReference: spec.service: Service shop/web not found');
  });

  it('exits 1 for an object that fails validation, naming the field', () => {
    const r = run({}, split.replace('weight: 1', 'weight: -1'));
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^TrafficSplit shop\/ab: Invalid: spec\.backends\[0\]\.weight: /m);
  });

  it('exits 1 for unreadable input, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smictl-'));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [');
    const r = run({ filename: [dir, join(dir, 'missing.yaml')] });
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/bad\.yaml:\d+:\d+: invalid YAML/);
    expect(r.err).to.contain(`${join(dir, 'missing.yaml')}: no such file or directory`);
  });

  it('is a usage error (2) to give a bad mesh or option', () => {
    expect(run({ mesh: 'kuma' }).code).to.equal(2);
    const r = run({ options: ['accessMode=open'] });
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('accessMode: must be one of enforce, permissive');
  });

  it('exits 1 and says why for an SMI kind without an API group (apiVersion: v1alpha1, as the SMI docs write it)', () => {
    const groupless = `
apiVersion: v1alpha1
kind: HTTPRouteGroup
metadata: {name: the-routes, namespace: shop}
matches: [{name: metrics, pathRegex: /metrics, methods: [GET]}]
`;
    const r = run({}, `${groupless}---${split}${services}`);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('HTTPRouteGroup shop/the-routes: Invalid: apiVersion: apiVersion v1alpha1 has no API group; HTTPRouteGroup is served as specs.smi-spec.io/v1alpha1');
    expect(r.err).to.contain('the object is not translated');
    // The rest of the input is still translated.
    expect(r.err).to.match(/^TrafficSplit shop\/ab: Accepted/m);
  });

  it('prints the same bytes for the same input', () => {
    expect(run({}, `${services}${split}`).out).to.equal(run({}, `${services}${split}`).out);
  });
});

describe('parseMeshOptions', () => {
  it('applies pairs in order over the defaults', () => {
    const { options, errors } = parseMeshOptions(['accessMode=permissive', 'mtlsMode=disabled', 'trustDomain=example.org', 'mtlsMode=strict']);
    expect(errors).to.deep.equal([]);
    expect(options).to.deep.equal({ accessMode: 'permissive', mtlsMode: 'strict', clusterDomain: 'cluster.local', trustDomain: 'example.org' });
  });
  it('reports malformed pairs, unknown keys and bad values', () => {
    expect(parseMeshOptions(['nokey', 'colour=red', 'clusterDomain=Not_A_Domain']).errors).to.have.length(3);
  });
});
