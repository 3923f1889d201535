// `smictl dashboard`, the part that runs: credentials, the server, the URL.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeshName } from '../../adapters/types.js';
import { HttpKubeClient } from '../../kube/client.js';
import { loadCredentials } from '../../kube/credentials.js';
import { apiAlert } from './alerts.js';
import { createDashboardServer } from './server.js';

export interface DashboardFlags {
  kubeconfig?: string;
  context?: string;
  port: number;
  address: string;
  open?: boolean;
  prometheus?: string;
  namespace?: string;
  refresh: number;
  operatorNamespace: string;
  configMap: string;
  mesh: MeshName;
}

/** dist/dashboard/static, beside this compiled file's folder. */
export const STATIC_DIR = fileURLToPath(new URL('../static/', import.meta.url));

/** kubectl's order: --kubeconfig, $KUBECONFIG, ~/.kube/config; in a pod, the ServiceAccount. */
function kubeconfigPath(f: DashboardFlags): string | undefined {
  if (f.kubeconfig) return f.kubeconfig;
  if (process.env.KUBECONFIG) return undefined;
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

export async function runDashboard(f: DashboardFlags): Promise<number> {
  const creds = await loadCredentials({ path: kubeconfigPath(f), ...(f.context ? { context: f.context } : {}) });
  if (!creds.ok) {
    process.stderr.write(`smictl dashboard: ${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)\n`);
    return 2;
  }
  if (!existsSync(join(STATIC_DIR, 'app.js'))) {
    process.stderr.write(`smictl dashboard: the page is not built (${STATIC_DIR}app.js missing): run make build\n`);
    return 1;
  }
  const server = creds.value.getCurrentCluster()?.server ?? '';
  const client = new HttpKubeClient(creds.value);
  // The page shows API errors as alerts and recovers when the cluster comes back; say it here too,
  // so a wrong --context is seen before the browser is opened.
  const version = await client.request('GET', '/version', { timeoutMs: 15_000 });
  if (!version.ok && (version.error.status === 0 || version.error.status === 401)) {
    const a = apiAlert(server, 'GET /version', version.error);
    process.stderr.write(`smictl dashboard: ${a.title}: ${version.error.message}. ${a.hint} The page shows this until the API server answers.\n`);
  }
  const dashboard = createDashboardServer({
    staticDir: STATIC_DIR,
    refreshSeconds: f.refresh,
    ctx: {
      client,
      credentials: creds.value,
      server,
      operatorNamespace: f.operatorNamespace,
      configMapName: f.configMap,
      defaultMesh: f.mesh,
      ...(f.prometheus ? { prometheus: f.prometheus } : {}),
    },
  });
  let port: number;
  try {
    port = await dashboard.listen(f.port, f.address);
  } catch (e) {
    process.stderr.write(`smictl dashboard: cannot listen on ${f.address}:${f.port}: ${(e as Error).message}\n`);
    return 1;
  }
  const host = f.address === '0.0.0.0' || f.address === '::' ? '127.0.0.1' : f.address.includes(':') ? `[${f.address}]` : f.address;
  const url = `http://${host}:${port}/${f.namespace ? `#namespace=${encodeURIComponent(f.namespace)}` : ''}`;
  process.stdout.write(`smi dashboard for ${server} at ${url}\n(Ctrl-C to stop)\n`);
  if (f.open) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`smictl dashboard: could not run ${opener}; open ${url} yourself\n`));
    child.unref();
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await dashboard.close();
  return 0;
}
