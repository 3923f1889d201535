// `smictl dashboard`: a local web UI (topology, access, splits, objects) served on
// 127.0.0.1 with the user's own credentials. This file only declares the flags;
// dashboard/server/run.ts is imported when the command runs.

import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_MAP, DEFAULT_MESH } from '../../operator/config/mesh-config.js';
import type { DashboardFlags } from '../../dashboard/server/run.js';
import { meshName, port } from '../flags.js';

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new InvalidArgumentError('must be a whole number of seconds, 1-3600');
  return n;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve a local web UI on 127.0.0.1: topology with traffic, access policy overlay, TrafficSplit canaries, SMI object status')
    .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG, else ~/.kube/config, else in-cluster)')
    .option('--context <name>', 'kubeconfig context to use instead of current-context')
    .option('--port <port>', 'local port (0: any free port)', port, 0)
    .option('--address <addr>', 'listen address; keep it on loopback unless it runs in a pod behind kubectl port-forward', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .option('--prometheus <url>', 'query this Prometheus directly when the TrafficMetrics APIService is absent')
    .option('-n, --namespace <ns>', 'namespace to show first (the page can switch)')
    .option('--refresh <seconds>', 'seconds between live refreshes', seconds, 10)
    .option('--operator-namespace <ns>', 'namespace of the operator and its adapter ConfigMap', 'smi-system')
    .option('--config-map <name>', 'adapter ConfigMap name', DEFAULT_CONFIG_MAP)
    .addOption(new Option('--mesh <mesh>', 'mesh when the ConfigMap has none').argParser(meshName).default(DEFAULT_MESH))
    .action(async (flags: DashboardFlags) => {
      const { runDashboard } = await import('../../dashboard/server/run.js');
      process.exitCode = await runDashboard(flags);
    });
}
