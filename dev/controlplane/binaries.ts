// Where the control-plane binaries are: $SMI_CONTROLPLANE_BIN, else built (or
// found in the cache) by test/controlplane/build.sh.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;

function checkDir(dir: string, source: string): string {
  const missing = BINARIES.filter((b) => !existsSync(join(dir, b)));
  if (missing.length > 0) throw new Error(`control-plane binaries missing in ${dir} (from ${source}): ${missing.join(', ')}`);
  return dir;
}

export function controlPlaneBinDir(): string {
  const fromEnv = process.env.SMI_CONTROLPLANE_BIN;
  if (fromEnv) return checkDir(fromEnv, 'SMI_CONTROLPLANE_BIN');
  const script = join(repoRoot(), 'test', 'controlplane', 'build.sh');
  let out: string;
  try {
    // stderr passes through so a cold build shows its progress.
    out = execFileSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (err) {
    throw new Error(`${script} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const dir = out.trim().split('\n').pop() ?? '';
  return checkDir(dir, script);
}

/** The istio-oracle binary (Istio's validation, analyzers and istiod): $SMI_ISTIO_ORACLE, else built by test/istio-oracle/build.sh. */
export function istioOracleBinary(): string {
  const fromEnv = process.env.SMI_ISTIO_ORACLE;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`SMI_ISTIO_ORACLE=${fromEnv}: no such file`);
    return fromEnv;
  }
  const script = join(repoRoot(), 'test', 'istio-oracle', 'build.sh');
  let out: string;
  try {
    out = execFileSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (err) {
    throw new Error(`${script} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bin = out.trim().split('\n').pop() ?? '';
  if (!existsSync(bin)) throw new Error(`${script} printed ${bin}, which does not exist`);
  return bin;
}
