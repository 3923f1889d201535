// `smictl operator`, the part that runs: loaded by commands/operator.ts only when
// the subcommand is invoked, so other subcommands do not pay for it.

import { loadCredentials } from '../../kube/credentials.js';
import { createLogger, silentLogger } from '../../log/log.js';
import { startOperator, type RunningOperator } from '../../operator/manager.js';
import type { WebhookServer } from '../../operator/webhooks/index.js';
import type { OperatorFlags } from '../flags.js';

export async function runOperator(f: OperatorFlags): Promise<void> {
  const log = f.logLevel === 'silent' ? silentLogger() : createLogger(f.logLevel, { component: 'smi-operator', namespace: f.namespace });
  const creds = await loadCredentials({ path: f.kubeconfig, context: f.context });
  if (!creds.ok) {
    log.error('operator failed to start', { error: creds.error });
    process.exit(1);
  }
  let webhook: WebhookServer | undefined;
  let running: RunningOperator | undefined;
  if (f.webhookPort > 0) {
    if (!f.webhookCertDir) {
      process.stderr.write('smictl operator: --webhook-port needs --webhook-cert-dir (tls.crt, tls.key)\n');
      process.exit(2);
    }
    // Only with the webhook: its validators are not needed by the controller.
    const { loadCertificatesFromDir, startWebhookServer } = await import('../../operator/webhooks/index.js');
    const certs = loadCertificatesFromDir(f.webhookCertDir);
    if (!certs.ok) {
      process.stderr.write(`smictl operator: ${certs.error}\n`);
      process.exit(2);
    }
    // Its own worker: admissions never queue behind the controller's translations.
    const { Offload } = await import('../../operator/offload/offload.js');
    // Admission warnings read the operator's cache once it is up (before: no warnings).
    const references = {
      get: (kind: string, ns: string, name: string) => (running?.cache.isSynced() && running.cache.informer(kind) && (!f.watchNamespace || f.watchNamespace === ns) ? (running.cache.get(kind, ns, name) ?? null) : undefined),
    };
    webhook = await startWebhookServer({ port: f.webhookPort, cert: certs.value.cert, key: certs.value.key, offload: new Offload(), references });
    log.info('webhook server listening', { port: webhook.port });
  }
  try {
    running = await startOperator({
      kubeConfig: creds.value,
      namespace: f.namespace,
      watchNamespace: f.watchNamespace,
      configMapName: f.configMap,
      defaultMesh: f.mesh,
      concurrency: f.concurrency,
      leaderElect: f.leaderElect,
      leaseName: f.leaseName,
      leaseDurationSeconds: f.leaseDuration,
      leaseRetryMs: Math.round(f.leaseRetry * 1000),
      ...(f.identity ? { identity: f.identity } : {}),
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
  log.info('operator running', { healthPort: running.healthPort, metricsPort: running.metricsPort, mesh: running.config().mesh });
  // The machine-readable ready line (tests and benchmarks start the real command and wait for it).
  const ready = { ready: true, pid: process.pid, identity: running.identity, healthPort: running.healthPort, metricsPort: running.metricsPort, ...(webhook ? { webhookPort: webhook.port } : {}) };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // A full GC on demand (node --expose-gc), so a benchmark can tell retained memory from garbage.
  process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('shutting down');
  await running.stop();
  await webhook?.close();
  process.exit(0);
}
