// `make bundle` output: fresh (bundle/ and bundle.Dockerfile equal what the
// generator makes from config/ now), and valid by the checks `operator-sdk
// bundle validate` makes (BUNDLE.md §3-4), each shown to catch a broken bundle.

import { expect } from 'chai';
import { KIND_TABLE } from '../../../schemas/versions.js';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { bundleDockerfile, generateBundle, writeBundle, PACKAGE } from '../../../release/bundle.js';
import { validateBundle } from '../../../release/bundle-validate.js';
import { SMI_CRDS } from '../../../release/names.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';

const root = repoRoot();
const CSV = `manifests/${PACKAGE}.clusterserviceversion.yaml`;
type Csv = { metadata: { name: string; annotations: Record<string, string> }; spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smi-bundle-'));
  writeBundle(generateBundle({ root, version: '0.1.0', image: 'smi-operator:0.1.0' }), dir);
  return dir;
}

let base: string;
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smi-bundle-case-'));
  cpSync(base, dir, { recursive: true });
  return dir;
}
function editCsv(dir: string, fn: (c: Csv) => void): void {
  const c = yaml.load(readFileSync(join(dir, CSV), 'utf8')) as Csv;
  fn(c);
  writeFileSync(join(dir, CSV), yaml.dump(c));
}
function editAnnotations(dir: string, fn: (a: Record<string, string>) => void): void {
  const f = join(dir, 'metadata/annotations.yaml');
  const a = (yaml.load(readFileSync(f, 'utf8')) as { annotations: Record<string, string> }).annotations;
  fn(a);
  writeFileSync(f, yaml.dump({ annotations: a }));
}
const errorsOf = (dir: string) => validateBundle(dir).errors;

describe('release: OLM bundle', function () {
  this.timeout(60_000);
  before(() => {
    base = fresh();
  });

  it('bundle/ and bundle.Dockerfile are fresh (regenerate with `make bundle`)', () => {
    const files = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(d.length + 1)).sort();
    expect(files(join(root, 'bundle'))).to.deep.equal(files(base));
    for (const f of files(base)) expect(readFileSync(join(root, 'bundle', f), 'utf8'), `bundle/${f} is stale: run make bundle`).to.equal(readFileSync(join(base, f), 'utf8'));
    expect(readFileSync(join(root, 'bundle.Dockerfile'), 'utf8')).to.equal(bundleDockerfile());
  });

  it('passes every check; the only warning is the APIService without an example', () => {
    const v = validateBundle(base);
    expect(v.errors).to.deep.equal([]);
    expect(v.warnings).to.deep.equal(['csv: provided API metrics.smi-spec.io/v1alpha1/TrafficMetrics has no example']);
  });

  it('the CSV: deployment install strategy, AllNamespaces only, owned CRDs with descriptions for every served version, webhooks, related image', () => {
    const c = yaml.load(readFileSync(join(base, CSV), 'utf8')) as Csv;
    expect(c.spec.install.strategy).to.equal('deployment');
    expect(c.spec.install.spec.deployments.map((d: { name: string }) => d.name)).to.deep.equal(['smi-operator', 'smi-metrics']);
    expect(c.spec.installModes.filter((m: { supported: boolean }) => m.supported).map((m: { type: string }) => m.type)).to.deep.equal(['AllNamespaces']);
    const crdVersions = SMI_CRDS.flatMap((n) => {
      const crd = yaml.load(readFileSync(join(base, 'manifests', `${n.slice(n.indexOf('.') + 1)}_${n.slice(0, n.indexOf('.'))}.yaml`), 'utf8')) as { spec: { versions: Array<{ name: string }> } };
      return crd.spec.versions.map((v) => `${n}/${v.name}`);
    });
    const owned = c.spec.customresourcedefinitions.owned as Array<{ name: string; version: string; description: string }>;
    expect(owned.map((o) => `${o.name}/${o.version}`).sort()).to.deep.equal(crdVersions.sort());
    for (const o of owned) expect(o.description, `${o.name}/${o.version}`).to.have.length.greaterThan(20);
    const hooks = c.spec.webhookdefinitions as Array<{ type: string; webhookPath: string; conversionCRDs?: string[] }>;
    expect(hooks.map((h) => `${h.type} ${h.webhookPath}`)).to.deep.equal(['ValidatingAdmissionWebhook /validate', 'ConversionWebhook /convert']);
    expect(hooks[1]!.conversionCRDs).to.deep.equal([...SMI_CRDS]);
    // Admission covers every kind served, policies included (their denials and reference warnings).
    const admitted = ((hooks[0] as unknown as { rules: Array<{ apiGroups: string[]; resources: string[] }> }).rules).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`)));
    expect(admitted.sort()).to.deep.equal([...SMI_CRDS].sort());
    expect(c.spec.relatedImages).to.deep.equal([{ name: 'smi-operator', image: 'smi-operator:0.1.0' }]);
    // OLM issues the certificates: no bootstrap init container, no bootstrap RBAC, no ServiceAccount manifests.
    const op = c.spec.install.spec.deployments[0].spec.template.spec;
    expect(op.initContainers).to.equal(undefined);
    expect(JSON.stringify(c.spec.install.spec)).to.not.contain('secrets');
    // permissions come from config/rbac: the leader-election Role's rules, the manager ClusterRole's rules.
    const roleRules = (yaml.loadAll(readFileSync(join(root, 'config/rbac/leader_election_role.yaml'), 'utf8'))[0] as { rules: unknown[] }).rules;
    expect(c.spec.install.spec.permissions[0].rules).to.deep.equal(roleRules);
    const clusterRules = (yaml.load(readFileSync(join(root, 'config/rbac/role.yaml'), 'utf8')) as { rules: unknown[] }).rules;
    expect(c.spec.install.spec.clusterPermissions[0].rules).to.deep.equal(clusterRules);
    const examples = JSON.parse(c.metadata.annotations['alm-examples']!) as Array<{ apiVersion: string; kind: string }>;
    expect(examples.map((e) => `${e.apiVersion}/${e.kind}`).sort()).to.deep.equal(owned.map((o) => `${o.name.slice(o.name.indexOf('.') + 1)}/${o.version}/${(o as unknown as { kind: string }).kind}`).sort());
  });

  it('the OperatorHub listing: an icon, the mesh choice explained, deprecated versions marked, Ready and weight descriptors on the storage versions', () => {
    const c = yaml.load(readFileSync(join(base, CSV), 'utf8')) as Csv;
    const icon = (c.spec.icon as Array<{ base64data: string; mediatype: string }>)[0]!;
    expect(icon.mediatype).to.equal('image/svg+xml');
    expect(Buffer.from(icon.base64data, 'base64').toString('utf8')).to.match(/^<svg /);
    expect(c.spec.description).to.contain('patch configmap smi-operator-config').and.contain('istio, linkerd or consul');
    const owned = c.spec.customresourcedefinitions.owned as Array<{ name: string; version: string; kind: string; displayName: string; description: string; statusDescriptors?: Array<{ path: string; 'x-descriptors'?: string[] }>; specDescriptors?: Array<{ path: string }> }>;
    for (const info of KIND_TABLE) {
      for (const o of owned.filter((x) => x.kind === info.kind)) {
        const hub = o.version === info.storageVersion;
        expect(o.displayName.includes('deprecated'), `${o.kind}/${o.version}`).to.equal(!hub);
        if (hub) expect(o.statusDescriptors?.find((d) => d.path === 'conditions')?.['x-descriptors']).to.deep.equal(['urn:alm:descriptor:io.kubernetes.conditions']);
      }
    }
    const split = owned.find((o) => o.kind === 'TrafficSplit' && !o.displayName.includes('deprecated'))!;
    expect(split.specDescriptors?.map((d) => d.path)).to.include('backends[0].weight');
  });

  it('annotations.yaml and bundle.Dockerfile labels agree', () => {
    const a = (yaml.load(readFileSync(join(base, 'metadata/annotations.yaml'), 'utf8')) as { annotations: Record<string, string> }).annotations;
    const labels = Object.fromEntries([...bundleDockerfile().matchAll(/^LABEL ([^=]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(labels).to.deep.equal(a);
    expect(bundleDockerfile()).to.match(/^FROM scratch$/m).and.match(/^COPY bundle\/manifests \/manifests\/$/m).and.match(/^COPY bundle\/metadata \/metadata\/$/m);
  });

  describe('each check catches a broken bundle', () => {
    const cases: Array<[string, (dir: string) => void, RegExp]> = [
      ['metadata found', (d) => rmSync(join(d, 'metadata/annotations.yaml')), /metadata not found/],
      ['manifests directory exists', (d) => rmSync(join(d, 'manifests'), { recursive: true }), /manifests directory .* does not exist/],
      ['mediatype matches the content', (d) => editAnnotations(d, (a) => (a['operators.operatorframework.io.bundle.mediatype.v1'] = 'plain')), /does not match the detected media type registry\+v1/],
      ['package annotation present', (d) => editAnnotations(d, (a) => delete a['operators.operatorframework.io.bundle.package.v1']), /package\.v1 is missing/],
      ['channels non-empty', (d) => editAnnotations(d, (a) => (a['operators.operatorframework.io.bundle.channels.v1'] = '')), /at least one channel/],
      ['default channel non-empty', (d) => editAnnotations(d, (a) => (a['operators.operatorframework.io.bundle.channel.default.v1'] = '')), /channel\.default\.v1 is empty/],
      ['dependency types', (d) => writeFileSync(join(d, 'metadata/dependencies.yaml'), yaml.dump({ dependencies: [{ type: 'olm.magic', value: {} }] })), /unsupported dependency type olm\.magic/],
      ['one object per file', (d) => writeFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), `${readFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), 'utf8')}---\n${yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } })}`), /holds 2 objects/],
      ['flat directory', (d) => mkdirSync(join(d, 'manifests/nested')), /sub-directory nested/],
      ['no hidden files', (d) => writeFileSync(join(d, 'manifests/.hidden.yaml'), 'a: b\n'), /hidden file/],
      ['undecodable file', (d) => writeFileSync(join(d, 'manifests/broken.yaml'), 'a: [b\n'), /cannot be decoded/],
      ['one CSV', (d) => cpSync(join(d, CSV), join(d, 'manifests/second.clusterserviceversion.yaml')), /multiple CSVs/],
      ['supported kinds', (d) => writeFileSync(join(d, 'manifests/deploy.yaml'), yaml.dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } })), /unsupported media type registry\+v1 for bundle object Deployment/],
      ['object metadata', (d) => writeFileSync(join(d, 'manifests/cm.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', labels: { ok: 'not ok!' } } })), /not a DNS-1123 subdomain/],
      ['owned CRD in bundle', (d) => rmSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml')), /owned CRD udproutes\.specs\.smi-spec\.io v1alpha4 UDPRoute not found in bundle/],
      ['bundle CRD owned', (d) => editCsv(d, (c) => (c.spec.customresourcedefinitions.owned = c.spec.customresourcedefinitions.owned.filter((o: { kind: string }) => o.kind !== 'UDPRoute'))), /UDPRoute is present in bundle but not defined in CSV/],
      ['duplicate CRD', (d) => cpSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), join(d, 'manifests/copy_udproutes.yaml')), /duplicate CRD udproutes/],
      ['CRD API version', (d) => writeFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), readFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), 'utf8').replace('apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v2')), /unsupported CRD version/],
      ['CRD definition', (d) => writeFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), readFileSync(join(d, 'manifests/specs.smi-spec.io_udproutes.yaml'), 'utf8').replace('storage: true', 'storage: false')), /exactly one version must be the storage version/],
      ['CSV name', (d) => editCsv(d, (c) => (c.metadata.name = `Smi_Operator.${'v'.repeat(70)}`)), /must be a DNS-1123 subdomain and a label value/],
      ['replaces name', (d) => editCsv(d, (c) => (c.spec.replaces = 'Not Valid')), /spec\.replaces/],
      ['alm-examples JSON', (d) => editCsv(d, (c) => (c.metadata.annotations['alm-examples'] = '[{')), /alm-examples is not valid JSON/],
      ['alm-examples provided APIs', (d) => editCsv(d, (c) => (c.metadata.annotations['alm-examples'] = JSON.stringify([{ apiVersion: 'example.com/v1', kind: 'Widget' }]))), /example must have a provided API/],
      ['install modes present', (d) => editCsv(d, (c) => (c.spec.installModes = [])), /install modes not found/],
      ['a supported install mode', (d) => editCsv(d, (c) => c.spec.installModes.forEach((m: { supported: boolean }) => (m.supported = false))), /no supported install mode/],
      ['conversion webhooks: AllNamespaces only', (d) => editCsv(d, (c) => (c.spec.installModes[0].supported = true)), /only supported install mode/],
      ['install mode types', (d) => editCsv(d, (c) => c.spec.installModes.push({ type: 'EveryNamespace', supported: false })), /EveryNamespace is not valid/],
      ['minKubeVersion semver', (d) => editCsv(d, (c) => (c.spec.minKubeVersion = '1.25')), /minKubeVersion "1\.25" is not semver/],
      ['required displayName', (d) => editCsv(d, (c) => delete c.spec.displayName), /required field missing: spec\.displayName/],
      ['required install strategy', (d) => editCsv(d, (c) => delete c.spec.install.strategy), /required field missing: spec\.install\.strategy/],
      ['required deployments', (d) => editCsv(d, (c) => delete c.spec.install.spec.deployments), /required field missing: spec\.install\.spec\.deployments/],
      ['olm annotation case', (d) => editCsv(d, (c) => (c.metadata.annotations['OLM.targetNamespaces'] = '')), /must be spelled olm\.targetNamespaces/],
      ['ServiceAccount not shipped', (d) => writeFileSync(join(d, 'manifests/sa.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'smi-operator' } })), /ServiceAccount smi-operator is the serviceAccountName/],
      ['size limit', (d) => writeFileSync(join(d, 'manifests/big.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: randomBytes(900_000).toString('base64') } })), /exceeds 1048576/],
    ];
    for (const [what, breakIt, message] of cases) {
      it(what, () => {
        const dir = copy();
        expect(errorsOf(dir), 'the copy is valid before breaking it').to.deep.equal([]);
        breakIt(dir);
        expect(errorsOf(dir).join('\n')).to.match(message);
      });
    }

    it('a missing minKubeVersion is a warning, not an error', () => {
      const dir = copy();
      editCsv(dir, (c) => delete c.spec.minKubeVersion);
      const v = validateBundle(dir);
      expect(v.errors).to.deep.equal([]);
      expect(v.warnings).to.include('csv: spec.minKubeVersion is not set');
    });

    it('a CRD version owned under another version of the same kind is not an error', () => {
      const dir = copy();
      editCsv(dir, (c) => {
        c.spec.customresourcedefinitions.owned = c.spec.customresourcedefinitions.owned.filter((o: { kind: string; version: string }) => !(o.kind === 'TrafficSplit' && o.version === 'v1alpha1'));
        const ex = JSON.parse(c.metadata.annotations['alm-examples']!) as Array<{ apiVersion: string }>;
        c.metadata.annotations['alm-examples'] = JSON.stringify(ex.filter((e) => e.apiVersion !== 'split.smi-spec.io/v1alpha1'));
      });
      expect(errorsOf(dir)).to.deep.equal([]);
    });
  });
});
