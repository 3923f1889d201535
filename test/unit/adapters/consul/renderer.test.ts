import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { capabilities, render, renderer } from '../../../../adapters/consul/index.js';
import { PERMISSIVE_MTLS_ENFORCED_NOTE } from '../../../../adapters/consul/mtls.js';
import { meshCrdDir } from '../../../../dev/controlplane/paths.js';
import { schemaErrors } from './crd-schema.js';
import { cond, destination, find, model, NS, options, rule, spec, split, src, svc, trafficTarget } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Crd = Record<string, any>;

function consulCrds(): Crd[] {
  const dir = join(meshCrdDir(), 'consul');
  if (!existsSync(dir)) throw new Error(`consul CRDs not found at ${dir} (set SMI_MESH_CRDS)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => yaml.load(readFileSync(join(dir, f), 'utf8')) as Crd);
}

/** A model that makes the renderer emit every kind it knows. */
function richModel() {
  const web = svc('web');
  const v1 = svc('web-v1');
  const v2 = svc('web-v2');
  const tt = trafficTarget('api-access', 'api');
  const http = cond('rg/get', { pathRegex: '^/v1', methods: ['GET', 'PATCH'], headers: [{ name: 'x-canary', regex: 'y.*' }] });
  return model(
    [
      split('all', web, [[v1, 90], [v2, 10]]),
      split('ab', web, [[v2, 100]], [http]),
      split('inner', v2, [[svc('web-v2a'), 100]]),
      split('outer', svc('front'), [[web, 100]]),
    ],
    [destination('api', [tt], [svc('api')], [rule(tt, 0, [src('web')], { http: [http] }), rule(tt, 1, [src('admin')])])],
  );
}

describe('consul: renderer contract', () => {
  it('lists exactly the kinds it emits, matching the consul-k8s CRDs (group, version, plural)', () => {
    const out = render(richModel(), options({ mtlsMode: 'permissive' }));
    const emitted = [...new Set(out.objects.map((o) => `${o.apiVersion} ${o.kind}`))].sort();
    expect(renderer.nativeKinds.map((k) => `${k.apiVersion} ${k.kind}`).sort()).to.deep.equal(emitted);
    const crds = consulCrds();
    for (const k of renderer.nativeKinds) {
      const crd = crds.find((c) => c.spec.names.kind === k.kind);
      expect(crd, k.kind).to.not.equal(undefined);
      expect(`${crd?.spec.group}/${crd?.spec.versions.find((v: Crd) => v.served).name}`).to.equal(k.apiVersion);
      expect(crd?.spec.names.plural).to.equal(k.plural);
      expect(crd?.spec.scope).to.equal('Namespaced');
    }
  });

  it('emits objects the consul-k8s CRD schemas accept (no unknown fields, right types)', () => {
    const crds = consulCrds();
    const out = render(richModel(), options({ mtlsMode: 'permissive' }));
    expect(out.objects.length).to.be.greaterThan(10);
    // mutualTLSMode is only emitted when access is not enforced.
    const permissive = render(richModel(), options({ mtlsMode: 'permissive', accessMode: 'permissive' }));
    expect(JSON.stringify(permissive.objects)).to.include('"mutualTLSMode":"permissive"');
    for (const o of [...out.objects, ...permissive.objects]) {
      const crd = crds.find((c) => c.spec.names.kind === o.kind) as Crd;
      const version = crd.spec.versions.find((v: Crd) => `${crd.spec.group}/${v.name}` === o.apiVersion);
      const errors = schemaErrors({ spec: o.spec }, { type: 'object', properties: { spec: version.schema.openAPIV3Schema.properties.spec } });
      expect(errors, `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
      expect(o.metadata.name).to.match(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(o.metadata.namespace).to.equal(NS);
    }
  });

  it('is deterministic and sorts objects by apiVersion, kind, namespace, name', () => {
    const a = render(richModel(), options());
    const b = render(richModel(), options());
    expect(a).to.deep.equal(b);
    const keys = a.objects.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name].join('\u0000'));
    expect(keys).to.deep.equal([...keys].sort());
  });

  it('warns when one Consul service gets the same kind of entry from two Kubernetes namespaces', () => {
    const out = render(model([split('a', svc('web'), [[svc('web-v1'), 100]]), split('b', svc('web', { ns: 'other' }), [[svc('web-v1', { ns: 'other' }), 100]])]), options());
    expect(find(out.objects, 'ServiceSplitter', 'web', 'other')).to.not.equal(undefined);
    const objects = new Set(out.notes.filter((n) => /emitted in namespaces other, shop/.test(n.message)).map((n) => n.object));
    expect([...objects].sort()).to.deep.equal(['TrafficSplit other/b', `TrafficSplit ${NS}/a`]);
  });

  it('exports a capabilities table with one verdict per feature', () => {
    const entries = Object.entries(capabilities);
    expect(entries.length).to.be.greaterThan(10);
    for (const [feature, verdict] of entries) expect(verdict, feature).to.match(/^(exact|exact: .+|approximated: .+|unsupported: .+)$/);
  });
});

describe('consul: mtlsMode', () => {
  const tt = trafficTarget('api-access', 'api');
  const dest = () => destination('api', [tt], [svc('api')], [rule(tt, 0, [src('web')])]);

  it('strict: nothing beyond the intentions (Consul mesh traffic is always mTLS)', () => {
    const out = render(model([], [dest()]), options({ mtlsMode: 'strict' }));
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceIntentions']);
    expect(out.notes).to.deep.equal([]);
  });

  it('enforce + permissive: no mutualTLSMode permissive next to intentions (plaintext would skip them); every TrafficTarget is told', () => {
    const tt2 = trafficTarget('more', 'api');
    const d = destination('api', [tt, tt2], [svc('api')], [rule(tt, 0, [src('web')]), rule(tt2, 0, [src('ops')])]);
    const out = render(model([], [d]), options({ mtlsMode: 'permissive', accessMode: 'enforce' }));
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceIntentions']);
    for (const o of out.objects) expect(JSON.stringify(o.spec)).to.not.include('mutualTLSMode');
    expect(out.notes).to.deep.equal([
      { object: `TrafficTarget ${NS}/api-access`, message: PERMISSIVE_MTLS_ENFORCED_NOTE },
      { object: `TrafficTarget ${NS}/more`, message: PERMISSIVE_MTLS_ENFORCED_NOTE },
    ]);
  });

  it('accessMode permissive + mtlsMode permissive: ServiceDefaults mutualTLSMode permissive (no intentions to bypass), with a note', () => {
    const out = render(model([], [dest()]), options({ mtlsMode: 'permissive', accessMode: 'permissive' }));
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceDefaults']);
    expect(spec(find(out.objects, 'ServiceDefaults', 'api'))).to.deep.equal({ mutualTLSMode: 'permissive' });
    expect(out.notes.map((n) => n.message).join('\n')).to.match(/allowEnablingPermissiveMutualTLS/);
  });

  it('permissive mTLS for a destination no Service selects: nothing to configure, and it says so', () => {
    const out = render(model([], [destination('api', [tt], [], [])]), options({ mtlsMode: 'permissive', accessMode: 'permissive' }));
    expect(out.objects).to.deep.equal([]);
    expect(out.notes.map((n) => n.message).join('\n')).to.match(/mtlsMode permissive is not applied: no Service selects the pods of ServiceAccount shop\/api/);
  });

  it('permissive keeps the protocol a split needs in the same ServiceDefaults', () => {
    const api = svc('api');
    const out = render(model([split('canary', api, [[svc('api-v1'), 100]])], [destination('api', [tt], [api], [])]), options({ mtlsMode: 'permissive', accessMode: 'permissive' }));
    expect(spec(find(out.objects, 'ServiceDefaults', 'api'))).to.deep.equal({ protocol: 'http', mutualTLSMode: 'permissive' });
  });

  it('disabled: cannot be applied; no objects for it, a note on the TrafficTarget', () => {
    const out = render(model([], [dest()]), options({ mtlsMode: 'disabled' }));
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceIntentions']);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]?.message).to.match(/always uses mTLS/);
  });
});
