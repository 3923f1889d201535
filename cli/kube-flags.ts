// --kubeconfig and --context, the same on every command that talks to a cluster,
// and the one place that turns them into a client (errors as values, never a throw).

import type { Command } from 'commander';
import { HttpKubeClient } from '../kube/client.js';
import { loadCredentials } from '../kube/credentials.js';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
}

export function addKubeFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)');
}

export async function kubeClient(f: KubeFlags): Promise<{ ok: true; client: HttpKubeClient } | { ok: false; error: string }> {
  const creds = await loadCredentials({ ...(f.kubeconfig ? { path: f.kubeconfig } : {}), ...(f.context ? { context: f.context } : {}) });
  if (!creds.ok) return { ok: false, error: `${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)` };
  try {
    return { ok: true, client: new HttpKubeClient(creds.value) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** -o for commands that print a document: text (the default), json or yaml. */
export function outputOption(value: string): 'text' | 'json' | 'yaml' {
  if (value === 'text' || value === 'json' || value === 'yaml') return value;
  throw new Error(`unknown output "${value}": one of text, json, yaml`);
}
