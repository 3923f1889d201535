// `make release VERSION=x.y.z [REGISTRY=ghcr.io/<org>]`: points every install path at the
// released image: the kustomize image of config/manager (config/default and
// config/certmanager build on it), the OLM bundle (CSV containerImage and the
// Deployment), and the version smictl reports (package.json, cli/version.ts), so
// `smictl check` sees no skew. Pushing is the release workflow's job, not this one's.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { bundleDockerfile, generateBundle, writeBundle } from './bundle.js';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

interface Kustomization { images?: { name: string; newName?: string; newTag?: string }[]; [k: string]: unknown }

/** config/manager/kustomization.yaml with the `smi-operator` image set (as `kustomize edit set image`). */
export function setKustomizeImage(text: string, newName: string, newTag: string): string {
  const k = yaml.load(text) as Kustomization;
  const images = (k.images ??= []);
  const entry = images.find((i) => i.name === 'smi-operator');
  if (entry) Object.assign(entry, { newName, newTag });
  else images.push({ name: 'smi-operator', newName, newTag });
  return yaml.dump(k, { lineWidth: 140, noRefs: true });
}

export function setPackageVersion(text: string, version: string): string {
  const p = JSON.parse(text) as { version: string; packages?: Record<string, { version?: string }> };
  p.version = version;
  if (p.packages?.['']) p.packages[''].version = version;
  return `${JSON.stringify(p, null, 2)}\n`;
}

export function versionModule(version: string): string {
  return `// The smictl / operator release version. A unit test keeps it equal to package.json's.\nexport const CLIENT_VERSION = '${version}';\n`;
}

export interface ReleaseOptions { root: string; version: string; registry: string }

export type ReleaseResult = { ok: true; image: string } | { ok: false; error: string };

export function release(o: ReleaseOptions): ReleaseResult {
  const version = o.version.replace(/^v/, '');
  if (!SEMVER.test(version)) return { ok: false, error: `VERSION "${o.version}" is not a semantic version such as 1.2.3` };
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/.test(o.registry)) return { ok: false, error: `REGISTRY "${o.registry}" is not a registry path such as ghcr.io/<org>` };
  const name = `${o.registry}/smi-operator`;
  const image = `${name}:${version}`;
  const kust = join(o.root, 'config', 'manager', 'kustomization.yaml');
  writeFileSync(kust, setKustomizeImage(readFileSync(kust, 'utf8'), name, version));
  for (const f of ['package.json', 'package-lock.json']) {
    const p = join(o.root, f);
    writeFileSync(p, setPackageVersion(readFileSync(p, 'utf8'), version));
  }
  writeFileSync(join(o.root, 'cli', 'version.ts'), versionModule(version));
  writeBundle(generateBundle({ root: o.root, version, image }), join(o.root, 'bundle'));
  writeFileSync(join(o.root, 'bundle.Dockerfile'), bundleDockerfile());
  return { ok: true, image };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const flag = (n: string): string | undefined => {
    const i = args.indexOf(n);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const root = flag('--root') ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const version = flag('--version');
  if (!version) {
    process.stderr.write('release: VERSION is required: make release VERSION=1.2.3 [REGISTRY=ghcr.io/<org>]\n');
    process.exit(2);
  }
  const r = release({ root, version, registry: flag('--registry') ?? 'ghcr.io/smi-operator' });
  if (!r.ok) {
    process.stderr.write(`release: ${r.error}\n`);
    process.exit(2);
  }
  process.stdout.write(`release: ${r.image} in config/manager, bundle/ and bundle.Dockerfile; package.json and cli/version.ts at ${version}. Commit, tag v${version} and push the tag: .github/workflows/release.yml builds and pushes the images.\n`);
}
