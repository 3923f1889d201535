// `smictl operator`: run the controller (watches, reconcile, status), the
// probe/metrics servers, leader election and, when asked, the webhook server.
// SIGTERM/SIGINT stop it gracefully (the Lease is released).

import { Command, InvalidArgumentError, Option } from 'commander';
import { isMeshName } from '../../../adapters/index.js';
import type { MeshName } from '../../../adapters/types.js';
import { DEFAULT_CONFIG_MAP, DEFAULT_MESH } from '../../config/mesh-config.js';
import { loadKubeConfig } from '../../kube/client.js';
import { createLogger } from '../../log.js';
import { startOperator } from '../../manager.js';
import { loadCertificatesFromDir, startWebhookServer, type WebhookServer } from '../../webhooks/index.js';

interface Flags {
  kubeconfig?: string;
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
  if (!isMeshName(v)) throw new InvalidArgumentError('must be istio, linkerd or consul');
  return v;
}

export function registerOperator(program: Command): void {
  program
    .command('operator')
    .description('run the SMI operator: translate SMI objects into native mesh objects and report their status')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else in-cluster service account)')
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
    .action(async (f: Flags) => {
      const log = createLogger(f.logLevel, { component: 'smi-operator', namespace: f.namespace });
      let webhook: WebhookServer | undefined;
      if (f.webhookPort > 0) {
        if (!f.webhookCertDir) {
          process.stderr.write('smictl operator: --webhook-port needs --webhook-cert-dir (tls.crt, tls.key)\n');
          process.exit(2);
        }
        const certs = loadCertificatesFromDir(f.webhookCertDir);
        if (!certs.ok) {
          process.stderr.write(`smictl operator: ${certs.error}\n`);
          process.exit(2);
        }
        webhook = await startWebhookServer({ port: f.webhookPort, cert: certs.value.cert, key: certs.value.key });
        log.info('webhook server listening', { port: webhook.port });
      }
      let op;
      try {
        op = await startOperator({
          kubeConfig: loadKubeConfig(f.kubeconfig),
          namespace: f.namespace,
          watchNamespace: f.watchNamespace,
          configMapName: f.configMap,
          defaultMesh: f.mesh,
          concurrency: f.concurrency,
          leaderElect: f.leaderElect,
          leaseName: f.leaseName,
          leaseDurationSeconds: f.leaseDuration,
          healthPort: f.healthPort,
          metricsPort: f.metricsPort,
          logger: log,
          defaultMetrics: true,
        });
      } catch (err) {
        log.error('operator failed to start', { error: err instanceof Error ? err.message : String(err) });
        await webhook?.close();
        process.exit(1);
      }
      const running = op;
      log.info('operator running', { healthPort: running.healthPort, metricsPort: running.metricsPort, mesh: running.config().mesh });
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      log.info('shutting down');
      await running.stop();
      await webhook?.close();
      process.exit(0);
    });
}
