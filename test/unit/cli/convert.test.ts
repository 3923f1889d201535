import { expect } from 'chai';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { V1ALPHA1_WEIGHTS_ANNOTATION } from '../../../schemas/annotations.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { smictl } from './run.js';

const rel = (p: string) => join('test', 'fixtures', 'schemas', p);
const docs = (s: string) => yaml.loadAll(s) as KubeObject[];

describe('smictl convert', function () {
  // Each test starts node processes; slow on a busy machine.
  this.timeout(30_000);
  it('converts v1alpha1 Quantity weights exactly and passes other objects through', () => {
    const r = smictl(['convert', '--to-version', 'split.smi-spec.io/v1alpha4', '-f', rel('valid/split-v1alpha1.yaml')]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    const [split, service] = docs(r.stdout);
    expect(split!.apiVersion).to.equal('split.smi-spec.io/v1alpha4');
    expect(split!.spec).to.deep.equal({ service: 'web', backends: [{ service: 'web-v1', weight: 1000 }, { service: 'web-v2', weight: 500 }] });
    expect(split!.metadata.annotations).to.deep.equal({ [V1ALPHA1_WEIGHTS_ANNOTATION]: '[1,"500m"]' });
    expect(service!.kind).to.equal('Service');
  });

  it('round-trips through stdin back to the original version', () => {
    const up = smictl(['convert', '--to-version', 'split.smi-spec.io/v1alpha2', '-f', rel('valid/split-v1alpha1.yaml')]);
    const down = smictl(['convert', '--to-version', 'split.smi-spec.io/v1alpha1', '-f', '-'], up.stdout);
    expect(down.status).to.equal(0);
    expect((docs(down.stdout)[0]!.spec as { backends: unknown }).backends).to.deep.equal([
      { service: 'web-v1', weight: 1 },
      { service: 'web-v2', weight: '500m' },
    ]);
  });

  it('exits 1 naming the object when a kind is not served at the target version', () => {
    const r = smictl(['convert', '--to-version', 'specs.smi-spec.io/v1alpha2', '-f', rel('valid/list.json')]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(
      `${rel('valid/list.json')} items[0]: UDPRoute shop/dns: apiVersion: specs.smi-spec.io/v1alpha2 is not a served SMI version of UDPRoute (see smictl convert --help)\n`,
    );
    expect(docs(r.stdout).map((d) => `${d.apiVersion} ${d.kind}`)).to.deep.equal(['specs.smi-spec.io/v1alpha2 TCPRoute']);
  });

  it('exits 2 on a missing or malformed --to-version, 0 on --help', () => {
    expect(smictl(['convert', '-f', rel('valid')]).status).to.equal(2);
    const bad = smictl(['convert', '--to-version', 'v1alpha4', '-f', rel('valid')]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include('--to-version must be <group>/<version>');
    expect(smictl(['convert', '--to-version', 'split.smi-spec.io/v9', '-f', rel('valid')]).status).to.equal(2);
    const help = smictl(['convert', '--help']);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.include('TrafficSplit    split.smi-spec.io/{v1alpha1,v1alpha2,v1alpha3,v1alpha4}');
    expect(help.stdout).to.include('Exit status: 0 converted, 1 invalid input');
    expect(help.stdout).to.include('objects already at the target version are passed through unchanged');
  });

  it('does as its help says: passes other objects through, leaves out what cannot be converted, and is not validation', () => {
    const input = [
      // Semantically invalid (no positive weight) but readable: converted.
      'apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: zero, namespace: x}\nspec: {service: web, backends: [{service: a, weight: 0}]}',
      // Wrong type: left out, named.
      'apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: bad, namespace: x}\nspec: {service: web, backends: [{service: a, weight: "x"}]}',
      // Already at the target version: unchanged, even with a typo.
      'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: same, namespace: x}\nspec: {service: web, backends: [], typo: 1}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: x}',
    ].join('\n---\n');
    const r = smictl(['convert', '--to-version', 'split.smi-spec.io/v1alpha4', '-f', '-'], input);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('<stdin>#2: TrafficSplit x/bad: spec.backends[0].weight: must be integer\n');
    expect(docs(r.stdout).map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`)).to.deep.equal([
      'split.smi-spec.io/v1alpha4 TrafficSplit zero',
      'split.smi-spec.io/v1alpha4 TrafficSplit same',
      'v1 Service web',
    ]);
  });
});
