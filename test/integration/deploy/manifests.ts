// Helpers for the deploy tests: build config/ overlays with kubectl's kustomize
// and run kubectl against the shared control plane.

import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../schemas/hub.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

export function kustomize(dir: string): KubeObject[] {
  const text = execFileSync(KUBECTL, ['kustomize', join(repoRoot(), dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return (yaml.loadAll(text) as Array<KubeObject | null>).filter((o): o is KubeObject => o !== null);
}

export function kubectl(kubeconfig: string, args: string[], input?: string): { code: number; out: string } {
  const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20, timeout: 120_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export const find = (objs: KubeObject[], kind: string, name: string): KubeObject => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in the build`);
  return o;
};

export const toYaml = (objs: KubeObject[]): string => objs.map((o) => yaml.dump(o, { noRefs: true })).join('---\n');

/** The long flags (`--x`) a `--help` text documents. */
export function helpFlags(help: string): Set<string> {
  return new Set([...help.matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
}
