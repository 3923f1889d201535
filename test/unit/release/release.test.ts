// `make release VERSION=…` on a copy of the repo's install files: the kustomize image,
// the bundle's CSV containerImage and Deployment image, and the versions smictl reports,
// all at the release; nothing is pushed. Bad input is refused before anything changes.

import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { release, setKustomizeImage } from '../../../release/release.js';

describe('make release VERSION=…', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'smi-release-'));
    for (const p of ['config', 'bundle', 'package.json', 'package-lock.json', 'bundle.Dockerfile']) cpSync(p, join(root, p), { recursive: true });
    mkdirSync(join(root, 'cli'));
    cpSync('cli/version.ts', join(root, 'cli', 'version.ts'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('points config/default, the bundle and the versions at the release image', () => {
    const r = release({ root, version: 'v1.2.3', registry: 'ghcr.io/acme' });
    expect(r).to.deep.equal({ ok: true, image: 'ghcr.io/acme/smi-operator:1.2.3' });
    const built = (yaml.loadAll(execFileSync('kubectl', ['kustomize', join(root, 'config', 'default')], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Array<{ kind: string; metadata: { name: string }; spec?: { template?: { spec?: { containers?: { image: string }[]; initContainers?: { image: string }[] } } } }>);
    const op = built.find((o) => o.kind === 'Deployment' && o.metadata.name === 'smi-operator')!;
    const images = [...(op.spec!.template!.spec!.containers ?? []), ...(op.spec!.template!.spec!.initContainers ?? [])].map((c) => c.image);
    expect(images.length).to.be.greaterThan(0);
    expect(new Set(images)).to.deep.equal(new Set(['ghcr.io/acme/smi-operator:1.2.3']));
    const csv = yaml.load(readFileSync(join(root, 'bundle', 'manifests', 'smi-operator.clusterserviceversion.yaml'), 'utf8')) as { metadata: { name: string; annotations: Record<string, string> }; spec: { version: string } };
    expect(csv.metadata.annotations.containerImage).to.equal('ghcr.io/acme/smi-operator:1.2.3');
    expect(csv.metadata.name).to.equal('smi-operator.v1.2.3');
    expect(csv.spec.version).to.equal('1.2.3');
    expect(readFileSync(join(root, 'bundle', 'manifests', 'smi-operator.clusterserviceversion.yaml'), 'utf8')).to.not.contain('image: smi-operator:');
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version).to.equal('1.2.3');
    expect(readFileSync(join(root, 'cli', 'version.ts'), 'utf8')).to.contain("CLIENT_VERSION = '1.2.3'");
  });

  it('refuses a version or registry that is not one, changing nothing', () => {
    const before = readFileSync(join(root, 'config', 'manager', 'kustomization.yaml'), 'utf8');
    expect(release({ root, version: 'latest', registry: 'ghcr.io/acme' })).to.deep.equal({ ok: false, error: 'VERSION "latest" is not a semantic version such as 1.2.3' });
    expect(release({ root, version: '1.0.0', registry: 'GHCR.io/Acme Corp' }).ok).to.equal(false);
    expect(readFileSync(join(root, 'config', 'manager', 'kustomization.yaml'), 'utf8')).to.equal(before);
  });

  it('the make target needs VERSION (exit 2, says how)', () => {
    const r = spawnSync(process.execPath, ['dist/release/release.js', '--root', root], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('make release VERSION=1.2.3');
  });

  it('setKustomizeImage adds the entry when missing', () => {
    expect(yaml.load(setKustomizeImage('resources: [a.yaml]\n', 'r/smi-operator', '2.0.0'))).to.deep.equal({ resources: ['a.yaml'], images: [{ name: 'smi-operator', newName: 'r/smi-operator', newTag: '2.0.0' }] });
  });
});
