import { expect } from 'chai';
import yaml from 'js-yaml';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifests } from '../../../cli/input.js';
import { FIXTURES, smictl } from './run.js';

const rel = (p: string) => join('test', 'fixtures', 'schemas', p);

describe('smictl validate', function () {
  // Each test starts node processes; slow on a busy machine.
  this.timeout(30_000);
  it('exits 0 on a directory of valid manifests (recursive, YAML and JSON List), skipping non-SMI objects', () => {
    const r = smictl(['validate', '-f', rel('valid')]);
    expect(r.stdout).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stderr).to.equal('smictl validate: 5 SMI object(s) checked, 4 other object(s) skipped: all valid\n');
  });

  it('one rule set, one verdict: what translate rejects (a missing HTTPRouteGroup, a backend without the root port), validate rejects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-verdict-'));
    try {
      const svc = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec: {ports: [{port: ${port}, name: http}]}\n`;
      const sa = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: shop}\n`;
      const deploy = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec: {selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: {serviceAccountName: ${name}, containers: [{name: c, image: i}]}}}\n`;
      writeFileSync(join(dir, 'app.yaml'), [svc('web', 80), svc('web-v1', 8080), svc('web-v2', 80), sa('api'), sa('web'), deploy('api'), deploy('web')].join('---\n'));
      writeFileSync(join(dir, 'target.yaml'), 'apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: t, namespace: shop}\nspec:\n  destination: {kind: ServiceAccount, name: api}\n  sources: [{kind: ServiceAccount, name: web}]\n  rules: [{kind: HTTPRouteGroup, name: absent}]\n');
      writeFileSync(join(dir, 'split.yaml'), 'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends: [{service: web-v1, weight: 90}, {service: web-v2, weight: 10}]\n');
      for (const files of [['app.yaml', 'target.yaml'], ['app.yaml', 'split.yaml']]) {
        const args = files.flatMap((f) => ['-f', join(dir, f)]);
        const v = smictl(['validate', ...args]);
        const t = smictl(['translate', '--mesh', 'istio', ...args]);
        expect(t.status, t.stderr).to.equal(1);
        expect(v.status, `${files.join(',')}: ${v.stdout}${v.stderr}`).to.equal(t.status);
      }
      const target = smictl(['validate', '-f', join(dir, 'app.yaml'), '-f', join(dir, 'target.yaml')]);
      expect(target.stdout).to.contain('TrafficTarget shop/t: spec.rules[0].name: HTTPRouteGroup shop/absent not found');
      const split = smictl(['validate', '-f', join(dir, 'app.yaml'), '-f', join(dir, 'split.yaml')]);
      expect(split.stdout).to.contain('TrafficSplit shop/s: spec.backends[0].service: Service web-v1 has no port 80/TCP of the root Service web');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-o json and -o yaml: the verdict as one document, the same problems as the text lines', () => {
    const text = smictl(['validate', '-f', rel('invalid')]);
    const json = smictl(['validate', '-f', rel('invalid'), '-o', 'json']);
    const yml = smictl(['validate', '-f', rel('invalid'), '-o', 'yaml']);
    expect(json.status).to.equal(1);
    const doc = JSON.parse(json.stdout) as { valid: boolean; checked: number; problems: string[] };
    expect(doc.valid).to.equal(false);
    expect(doc.problems).to.deep.equal(text.stdout.trimEnd().split('\n'));
    expect(yaml.load(yml.stdout)).to.deep.equal(doc);
    const ok = smictl(['validate', '-f', rel('valid'), '-o', 'json']);
    expect(ok.status).to.equal(0);
    expect(JSON.parse(ok.stdout)).to.deep.equal({ valid: true, checked: 5, skipped: 4, problems: [] });
    expect(smictl(['validate', '-f', rel('valid'), '-o', 'xml']).status).to.equal(2);
  });

  it('exits 1 and prints every problem, prefixed by the file', () => {
    const r = smictl(['validate', '-f', rel('invalid/split.yaml'), '-f', rel('invalid/reference.yaml')]);
    expect(r.status).to.equal(1);
    expect(r.stdout.trimEnd().split('\n')).to.deep.equal([
      `${rel('invalid/split.yaml')}: TrafficSplit shop/broken: spec.backends[1].weight: must be a non-negative whole number, got -1`,
      `${rel('invalid/split.yaml')}: TrafficSplit shop/broken: spec.backends[1].service: duplicate backend web-v1 (also spec.backends[0])`,
      `${rel('invalid/split.yaml')}: TrafficSplit shop/broken: spec.backends: at least one backend needs a positive weight`,
      `${rel('invalid/reference.yaml')}#1: HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: not a valid RE2 regex: invalid or unsupported Perl syntax: \`(?=\``,
    ]);
  });

  it('checks references between the objects given', () => {
    const fixed = readFileSync(join(FIXTURES, 'invalid/reference.yaml'), 'utf8').replace('"/(?=x)"', '/metrics');
    const r = smictl(['validate', '-f', '-'], fixed);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('<stdin>#2: TrafficTarget shop/scrape: spec.rules[0].matches[0]: HTTPRouteGroup shop/routes has no match named health (it has: metrics)\n');
  });

  it('reports malformed YAML with file and line, without a stack trace', () => {
    const r = smictl(['validate', '-f', rel('invalid/malformed.yaml')]);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(new RegExp(`^${rel('invalid/malformed.yaml').replace(/\./g, '\\.')}:7:\\d+: invalid YAML: `));
    expect(r.stdout + r.stderr).to.not.match(/\n\s+at /);
  });

  it('names JSON as JSON in syntax errors', () => {
    const r = smictl(['validate', '-f', rel('invalid/broken.json')]);
    expect(r.status).to.equal(1);
    expect(r.stdout).to.match(new RegExp(`^${rel('invalid/broken.json').replace(/\./g, '\\.')}:4:\\d+: invalid JSON: `));
  });

  it('reports a missing file and an SMI object at an unserved version', () => {
    expect(smictl(['validate', '-f', 'no/such/file.yaml']).stdout).to.equal('no/such/file.yaml: no such file or directory\n');
    const r = smictl(['validate', '-f', '-'], 'apiVersion: specs.smi-spec.io/v1alpha2\nkind: UDPRoute\nmetadata: {name: u}\n');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('<stdin>: UDPRoute default/u: apiVersion: version specs.smi-spec.io/v1alpha2 of UDPRoute is not served (served: v1alpha4)\n');
  });

  describe('kustomize files', () => {
    const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nresources:\n  - split.yaml\n';
    const SPLIT = 'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: x}\nspec: {service: web, backends: [{service: v1, weight: 1}]}\n';
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'smictl-kustomize-'));
      writeFileSync(join(dir, 'kustomization.yaml'), KUSTOMIZATION);
      writeFileSync(join(dir, 'split.yaml'), SPLIT);
      mkdirSync(join(dir, 'a'));
      writeFileSync(join(dir, 'a', 'kustomization.yml'), KUSTOMIZATION);
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'b', 'Kustomization'), KUSTOMIZATION);
      // Only the exact kustomize names are skipped.
      writeFileSync(join(dir, 'b', 'my-kustomization.yaml'), KUSTOMIZATION);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('skips kustomization files found in a directory, without an error', () => {
      const r = readManifests([dir]);
      expect(r.objects.map((o) => o.source)).to.deep.equal([join(dir, 'split.yaml')]);
      expect(r.errors).to.deep.equal([{ source: join(dir, 'b', 'my-kustomization.yaml'), message: 'missing apiVersion or kind' }]);
    });
    it('still reads a kustomization file named with -f', () => {
      expect(readManifests([join(dir, 'kustomization.yaml'), join(dir, 'a', 'kustomization.yml')]).errors).to.deep.equal([
        { source: join(dir, 'kustomization.yaml'), message: 'missing apiVersion or kind' },
        { source: join(dir, 'a', 'kustomization.yml'), message: 'missing apiVersion or kind' },
      ]);
    });
    it('validates config/samples (a kustomize directory) as all valid', () => {
      const r = smictl(['validate', '-f', join('config', 'samples')]);
      expect(r.stdout).to.equal('');
      expect(r.status).to.equal(0);
      expect(r.stderr).to.match(/^smictl validate: \d+ SMI object\(s\) checked, \d+ other object\(s\) skipped: all valid\n$/);
    });
  });

  it('exits 2 on usage errors and 0 on --help', () => {
    expect(smictl(['validate']).status).to.equal(2);
    expect(smictl(['validate', '--nope']).status).to.equal(2);
    const help = smictl(['validate', '--help']);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.include('Exit status: 0 all valid, 1 invalid input (a problem in an object, or a file that cannot be read or parsed),\n2 usage error');
    expect(help.stdout).to.include('except kustomization files');
  });

  it('rejects an HTTPRouteGroup with the group-less apiVersion the SMI docs write (v1alpha1), naming the fix', () => {
    const r = smictl(['validate', '-f', '-'], 'apiVersion: v1alpha1\nkind: HTTPRouteGroup\nmetadata: {name: the-routes, namespace: x}\nmatches: [{name: metrics, pathRegex: /metrics}]\n');
    expect(r.status).to.equal(1);
    expect(r.stdout).to.include('<stdin>: HTTPRouteGroup x/the-routes: apiVersion: apiVersion v1alpha1 has no API group; HTTPRouteGroup is served as specs.smi-spec.io/v1alpha1');
  });

  it('names the object and the field at fault for the common mistakes', () => {
    const doc = (apiVersion: string, kind: string, body: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: m, namespace: x}\n${body}\n`;
    const input = [
      doc('split.smi-spec.io/v1alpha4', 'TrafficTarget', 'spec: {destination: {kind: ServiceAccount, name: a}}'),
      doc('spec.smi-spec.io/v1alpha1', 'HTTPRouteGroup', 'matches: [{name: a}]'),
      doc('v1alpha4', 'TrafficSplit', 'spec: {service: web, backends: [{service: a, weight: 1}]}'),
      doc('split.smi-spec.io/v1alpha5', 'TrafficSplit', 'spec: {service: web, backends: [{service: a, weight: 1}]}'),
      doc('split.smi-spec.io/v1alpha4', 'Trafficsplit', 'spec: {service: web, backends: [{service: a, weight: 1}]}'),
      doc('specs.smi-spec.io/v1alpha4', 'HTTPRouteGroup', 'matches: [{name: a}]'),
      doc('specs.smi-spec.io/v1alpha2', 'HTTPRouteGroup', 'spec: {matches: [{name: a}]}'),
      // Two headers in one list item are ANDed like two items (upstream's CRD allows it); a clash names the item.
      doc('specs.smi-spec.io/v1alpha4', 'HTTPRouteGroup', 'spec: {matches: [{name: a, headers: [{a: x, b: y}]}, {name: b, headers: [{a: x, b: y}, {b: z}]}]}'),
    ].join('---\n');
    const r = smictl(['validate', '-f', '-'], input);
    expect(r.status).to.equal(1);
    expect(r.stdout.trimEnd().split('\n')).to.deep.equal([
      '<stdin>#1: TrafficTarget x/m: apiVersion: kind TrafficTarget is not served in group split.smi-spec.io; it is served as access.smi-spec.io/v1alpha1, access.smi-spec.io/v1alpha2, access.smi-spec.io/v1alpha3',
      '<stdin>#2: HTTPRouteGroup x/m: apiVersion: group spec.smi-spec.io is a typo of the early SDK; use specs.smi-spec.io',
      '<stdin>#3: TrafficSplit x/m: apiVersion: apiVersion v1alpha4 has no API group; TrafficSplit is served as split.smi-spec.io/v1alpha1, split.smi-spec.io/v1alpha2, split.smi-spec.io/v1alpha3, split.smi-spec.io/v1alpha4',
      '<stdin>#4: TrafficSplit x/m: apiVersion: version split.smi-spec.io/v1alpha5 of TrafficSplit is not served (served: v1alpha1, v1alpha2, v1alpha3, v1alpha4)',
      '<stdin>#5: Trafficsplit x/m: kind: kind Trafficsplit is not served in group split.smi-spec.io; did you mean TrafficSplit?',
      '<stdin>#6: HTTPRouteGroup x/m: spec: is required',
      '<stdin>#6: HTTPRouteGroup x/m: matches: unknown field',
      '<stdin>#7: HTTPRouteGroup x/m: matches: is required',
      '<stdin>#7: HTTPRouteGroup x/m: spec: unknown field',
      '<stdin>#8: HTTPRouteGroup x/m: spec.matches[1].headers[1].b: header given twice with different regexes ("y", "z")',
    ]);
  });
});
