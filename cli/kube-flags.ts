// --kubeconfig and --context, the same on every command that talks to a cluster,
// and the one place that turns them into a client (errors as values, never a throw).

import { InvalidArgumentError, type Command } from 'commander';
import { HttpKubeClient, type KubeClient } from '../kube/client.js';
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

export async function kubeClient(f: KubeFlags): Promise<{ ok: true; client: HttpKubeClient; server: string } | { ok: false; error: string }> {
  const creds = await loadCredentials({ ...(f.kubeconfig ? { path: f.kubeconfig } : {}), ...(f.context ? { context: f.context } : {}) });
  if (!creds.ok) return { ok: false, error: `${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)` };
  try {
    return { ok: true, client: new HttpKubeClient(creds.value), server: creds.value.getCurrentCluster()?.server ?? '' };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** What to do when the API server does not answer (every command says the same). */
export const UNREACHABLE_FIX = 'check that the cluster is up and that --kubeconfig / --context point at it (kubectl cluster-info)';

/**
 * Does the API server answer with these credentials? One GET /version, so a command fails
 * up front with what to do instead of once per request (or, worse, reading "nothing found").
 */
export async function reachable(client: KubeClient, server: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const r = await client.request('GET', '/version', { timeoutMs: 15_000 });
  if (r.ok) return { ok: true };
  if (r.error.status === 0) return { ok: false, error: `cannot reach the Kubernetes API at ${server || '(no server in the kubeconfig)'}: ${r.error.message.replace(/^GET \/version: /, '')}; ${UNREACHABLE_FIX}` };
  if (r.error.status === 401) return { ok: false, error: `the Kubernetes API at ${server} rejected the credentials (401 Unauthorized): log in again, or pick another --context` };
  return { ok: true }; // it answered: the command's own requests report anything else
}

/** kubeClient + reachable: exit status 2 when there is no usable kubeconfig, 1 when the cluster does not answer. */
export async function connect(f: KubeFlags): Promise<{ ok: true; client: HttpKubeClient; server: string } | { ok: false; error: string; code: 1 | 2 }> {
  const k = await kubeClient(f);
  if (!k.ok) return { ...k, code: 2 };
  const r = await reachable(k.client, k.server);
  return r.ok ? k : { ok: false, error: r.error, code: 1 };
}

/** -o for commands that print a document: text (the default), json or yaml. */
export function outputOption(value: string): 'text' | 'json' | 'yaml' {
  if (value === 'text' || value === 'json' || value === 'yaml') return value;
  // commander turns this into a usage error (exit 2), naming the option.
  throw new InvalidArgumentError(`unknown output "${value}": one of text, json, yaml`);
}
