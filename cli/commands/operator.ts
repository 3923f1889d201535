// `smictl operator`: run the controller (watches, reconcile, status), the
// probe/metrics servers, leader election and, when asked, the webhook server.
// SIGTERM/SIGINT stop it gracefully (the Lease is released). This file only
// declares the flags; ../run/operator.ts is imported when the command runs.

import { Command, InvalidArgumentError, Option } from 'commander';
import { MESH_NAMES, type MeshName } from '../../adapters/types.js';
import { DEFAULT_CONFIG_MAP, DEFAULT_MESH } from '../../operator/config/mesh-config.js';

export interface OperatorFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  watchNamespace: string;
  configMap: string;
  mesh: MeshName;
  logLevel: string;
  healthPort: number;
  metricsPort: number;
  webhookPort: number;
  webhookCertDir?: string;
  leaderElect: boolean;
  leaseName: string;
  leaseDuration: number;
  concurrency: number;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function mesh(v: string): MeshName {
  if (!(MESH_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError('must be istio, linkerd or consul');
  return v as MeshName;
}

export function registerOperator(program: Command): void {
  program
    .command('operator')
    .description('run the SMI operator: translate SMI objects into native mesh objects and report their status')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else in-cluster service account, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--namespace <ns>', "operator namespace: holds the adapter ConfigMap and the leader Lease", process.env.POD_NAMESPACE ?? 'smi-system')
    .option('--watch-namespace <ns>', 'only watch this namespace (default: all namespaces)', '')
    .option('--config-map <name>', 'adapter ConfigMap name in --namespace (data: mesh, accessMode, mtlsMode, clusterDomain, trustDomain)', DEFAULT_CONFIG_MAP)
    .addOption(new Option('--mesh <mesh>', 'mesh when the ConfigMap is absent or has no mesh key').default(DEFAULT_MESH).argParser(mesh))
    .addOption(new Option('--log-level <level>', 'log level').choices(['error', 'warn', 'info', 'debug']).default('info'))
    .option('--health-port <port>', 'port for /healthz and /readyz', port, 8081)
    .option('--metrics-port <port>', 'port for /metrics (may equal --health-port)', port, 8080)
    .option('--webhook-port <port>', 'HTTPS port for the conversion and validating webhooks (0: disabled)', port, 0)
    .option('--webhook-cert-dir <dir>', 'directory with tls.crt and tls.key for the webhook server')
    .option('--leader-elect', 'elect a leader through a coordination.k8s.io Lease; only the leader writes', false)
    .option('--lease-name <name>', 'Lease name for leader election', 'smi-operator-leader')
    .option('--lease-duration <seconds>', 'Lease duration in seconds', positive, 15)
    .option('--concurrency <n>', 'reconciles running at once', positive, 4)
    .action(async (f: OperatorFlags) => {
      // Loaded here, not at the top: `smictl validate` etc. should not load the controller.
      const { runOperator } = await import('../run/operator.js');
      await runOperator(f);
    });
}
