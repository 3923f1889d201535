// `smictl operator`: run the controller (watches, reconcile, status), the
// probe/metrics servers, leader election and, when asked, the webhook server.
// SIGTERM/SIGINT stop it gracefully (the Lease is released). This file only
// declares the flags; ../run/operator.ts is imported when the command runs.

import { Command, Option } from 'commander';
import { DEFAULT_CONCURRENCY, DEFAULT_CONFIG_MAP, DEFAULT_LEASE_NAME, DEFAULT_MESH } from '../../operator/config/mesh-config.js';
import { meshName, port, positive, seconds, type OperatorFlags } from '../flags.js';

export function registerOperator(program: Command): void {
  program
    .command('operator')
    .description('run the SMI operator: translate SMI objects into native mesh objects and report their status')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else in-cluster service account, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--namespace <ns>', "operator namespace: holds the adapter ConfigMap and the leader Lease", process.env.POD_NAMESPACE ?? 'smi-system')
    .option('--watch-namespace <ns>', 'only watch this namespace (default: all namespaces)', '')
    .option('--config-map <name>', 'adapter ConfigMap name in --namespace (data: mesh, accessMode, mtlsMode, clusterDomain, trustDomain)', DEFAULT_CONFIG_MAP)
    .addOption(new Option('--mesh <mesh>', 'mesh when the ConfigMap is absent or has no mesh key').default(DEFAULT_MESH).argParser(meshName))
    .addOption(new Option('--log-level <level>', 'log level').choices(['silent', 'error', 'warn', 'info', 'debug']).default('info'))
    .option('--health-port <port>', 'port for /healthz and /readyz (0: any free port; the ready line says which)', port, 8081)
    .option('--metrics-port <port>', 'port for /metrics (may equal --health-port: one server; 0: any free port)', port, 8080)
    .option('--webhook-port <port>', 'HTTPS port for the conversion and validating webhooks (0: disabled)', port, 0)
    .option('--webhook-cert-dir <dir>', 'directory with tls.crt and tls.key for the webhook server')
    .option('--leader-elect', 'elect a leader through a coordination.k8s.io Lease; only the leader writes', false)
    .option('--lease-name <name>', 'Lease name for leader election', DEFAULT_LEASE_NAME)
    .option('--lease-duration <seconds>', 'Lease duration in seconds', positive, 15)
    .option('--lease-retry <seconds>', 'how often a standby tries to take the Lease, and the leader renews it', seconds, 2)
    .option('--identity <id>', 'leader-election identity (default: <hostname>-<pid>-<random>)')
    .option('--concurrency <n>', 'reconciles running at once', positive, DEFAULT_CONCURRENCY)
    .addHelpText(
      'after',
      '\nOnce the caches are synced it prints one JSON line on stdout:\n' +
        '  {"ready":true,"pid":P,"identity":"...","healthPort":N,"metricsPort":N,"webhookPort":N}\n' +
        '(ports actually bound; webhookPort only with --webhook-port). Logs go to stderr.\n' +
        'SIGTERM/SIGINT stop it gracefully; SIGUSR2 runs a full GC when node has --expose-gc.',
    )
    .action(async (f: OperatorFlags) => {
      // Loaded here, not at the top: `smictl validate` etc. should not load the controller.
      const { runOperator } = await import('../run/operator.js');
      await runOperator(f);
    });
}
