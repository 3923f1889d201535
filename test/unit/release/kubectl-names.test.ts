// kubectl resolves a bare resource name to one group when several define it:
// `authorizationpolicies` is Linkerd's (not Istio's), `tcproutes` Gateway API's
// (not SMI's), `httproutes` Gateway API's (not Linkerd's). Every kubectl command
// the project prints or documents (README, docs, kind/, the demo's and the CLI's
// hints) names custom resources fully qualified: `<plural>.<group>`.

import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectCrds } from '../../../dev/controlplane/crds.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { demoHints } from '../../../dev/demo-setup.js';

/** Every name kubectl accepts for a CRD's resource (plural, singular, kind, short names) -> the groups that use it. */
function crdNames(): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const { crd } of collectCrds()) {
    const n = crd.spec.names;
    for (const name of [n.plural, n.singular, n.kind, ...(n.shortNames ?? [])]) {
      if (!name) continue;
      const key = name.toLowerCase();
      names.set(key, (names.get(key) ?? new Set()).add(crd.spec.group));
    }
  }
  return names;
}

// Flags whose value is the next word (`-n shop`), so it is not read as a resource.
const VALUE_FLAGS = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '--type', '-p', '--patch', '--context', '--kubeconfig', '-f', '--filename', '-k', '--kustomize', '-c', '--container', '--for', '--timeout', '--field-manager', '--field-selector']);
// Verbs whose first argument is a resource type (or type/name).
const TYPE_VERBS = new Set(['get', 'describe', 'delete', 'patch', 'edit', 'explain', 'wait', 'label', 'annotate', 'scale']);

/** The resource types a kubectl command line (the text after `kubectl`) names. */
export function resourceTypes(cmd: string): string[] {
  const words = cmd.split(/\s*(?:\||&&|;|#|`|\))/)[0]!.trim().split(/\s+/).filter(Boolean);
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      if (!w.includes('=') && VALUE_FLAGS.has(w)) i++;
      continue;
    }
    positional.push(w);
  }
  let [verb, ...args] = positional;
  if (verb === 'rollout') [verb, ...args] = args.slice(1).length ? ['get', ...args.slice(1)] : [];
  if (!verb || !TYPE_VERBS.has(verb)) return [];
  const types: string[] = [];
  for (const a of args) {
    if (a.includes('/')) types.push(a.split('/')[0]!);
    else if (types.length === 0) types.push(...a.split(','));
  }
  return types.map((t) => t.replace(/^['"]|['"]$/g, '')).filter((t) => /^[a-z][a-z0-9.-]*$/i.test(t));
}

/** Lines of the files under dir (recursively) with the given extensions. */
function files(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p, exts));
    else if (exts.some((x) => e.endsWith(x))) out.push(p);
  }
  return out;
}

interface Hint {
  where: string;
  command: string;
}

/** Every `kubectl …` command in the user-facing text and in the strings the CLI and the demo print. */
function hints(): Hint[] {
  const root = repoRoot();
  const sources = [
    join(root, 'README.md'),
    ...files(join(root, 'docs'), ['.md']),
    ...files(join(root, 'kind'), ['.md', '.sh']),
    ...['cli', 'dev', 'dashboard/server', 'operator', 'release', 'conformance'].flatMap((d) => files(join(root, d), ['.ts'])),
  ];
  const out: Hint[] = [];
  for (const file of sources) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      // Template expressions are not resource names (they become e.g. `deployments`).
      // A printed string may hold several lines (\n in the source).
      const text = line.replace(/\$\{[^}]*\}/g, 'X').replaceAll('\\n', '\n');
      for (const m of text.matchAll(/\bkubectl\s+([^\n]*)/g)) out.push({ where: `${relative(root, file)}:${i + 1}`, command: m[1]! });
    });
  }
  // What the demo prints is built from the adapter's kinds: check the printed text itself.
  for (const m of demoHints('/tmp/kubeconfig', 'smi-demo').matchAll(/\bkubectl\s+([^\n]*)/g)) out.push({ where: 'make demo (demoHints)', command: m[1]! });
  return out;
}

describe('kubectl hints name custom resources fully qualified', () => {
  const names = crdNames();

  it('knows the ambiguous names (the mesh CRDs are there)', () => {
    expect([...(names.get('authorizationpolicies') ?? [])].sort()).to.deep.equal(['policy.linkerd.io', 'security.istio.io']);
    expect([...(names.get('tcproutes') ?? [])].sort()).to.deep.equal(['gateway.networking.k8s.io', 'specs.smi-spec.io']);
    expect([...(names.get('httproutes') ?? [])].sort()).to.include.members(['gateway.networking.k8s.io', 'policy.linkerd.io']);
  });

  it('reads resource types from kubectl commands', () => {
    expect(resourceTypes('get trafficsplits,traffictargets.access.smi-spec.io -n shop')).to.deep.equal(['trafficsplits', 'traffictargets.access.smi-spec.io']);
    expect(resourceTypes('-n shop patch ts/web --type merge -p \'{"data":{"mesh":"x"}}\'')).to.deep.equal(['ts']);
    expect(resourceTypes('-n smi-system patch configmap smi-operator-config --type merge -p \'{"data":{"mesh":"linkerd"}}\'')).to.deep.equal(['configmap']);
    expect(resourceTypes('get authorizationpolicies -A -o json | jq .')).to.deep.equal(['authorizationpolicies']);
    expect(resourceTypes('-n smi-system rollout status deployment/smi-operator')).to.deep.equal(['deployment']);
    expect(resourceTypes('wait --for=condition=Established crd/x.y')).to.deep.equal(['crd']);
    expect(resourceTypes('apply --server-side -k config/default')).to.deep.equal([]);
    expect(resourceTypes('exec deploy/client -- curl x')).to.deep.equal([]);
  });

  it('finds the hints to check', () => {
    const h = hints();
    expect(h.some((x) => x.where.startsWith('README.md'))).to.equal(true);
    expect(h.filter((x) => x.where === 'make demo (demoHints)').map((x) => resourceTypes(x.command))).to.deep.include(['trafficsplits.split.smi-spec.io', 'traffictargets.access.smi-spec.io', 'virtualservices.networking.istio.io', 'authorizationpolicies.security.istio.io', 'peerauthentications.security.istio.io', 'destinationrules.networking.istio.io', 'telemetries.telemetry.istio.io']);
    expect(h.some((x) => x.where.startsWith('cli/check/'))).to.equal(true);
  });

  it('no hint names a custom resource without its group', () => {
    const bare = hints().flatMap((h) => resourceTypes(h.command).filter((t) => names.has(t.toLowerCase())).map((t) => `${h.where}: ${t} (${[...names.get(t.toLowerCase())!].map((g) => `${t}.${g}`).join(' or ')}) in: kubectl ${h.command.trim()}`));
    expect(bare, bare.join('\n')).to.deep.equal([]);
  });
});
