// The operator as a child process for benchmarks and fault tests (RSS and CPU
// of its own process; kill -9). Calls the exported startOperator(); prints one
// JSON line `{"ready":true,"port":N,"pid":P}` on stdout once caches are synced,
// then runs until SIGTERM (graceful stop) or SIGKILL.
//   node dist/bench/operator-main.js --kubeconfig F --namespace NS [--leader-elect]
//     [--lease-seconds S] [--identity ID] [--concurrency C] [--log-level L]

import { parseArgs } from 'node:util';
import { loadCredentials } from '../kube/credentials.js';
import { createLogger, silentLogger } from '../log/log.js';
import { startOperator } from '../operator/manager.js';

const { values: a } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    namespace: { type: 'string' },
    'watch-namespace': { type: 'string' },
    'leader-elect': { type: 'boolean', default: false },
    'lease-seconds': { type: 'string', default: '15' },
    'lease-retry-ms': { type: 'string', default: '2000' },
    identity: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    'log-level': { type: 'string', default: 'silent' },
  },
});
if (!a.kubeconfig || !a.namespace) {
  process.stderr.write('usage: operator-main --kubeconfig FILE --namespace NS [...]\n');
  process.exit(2);
}

const level = a['log-level']!;
const creds = await loadCredentials({ path: a.kubeconfig });
if (!creds.ok) {
  process.stderr.write(`operator-main: ${creds.error}\n`);
  process.exit(1);
}
const op = await startOperator({
  kubeConfig: creds.value,
  namespace: a.namespace,
  watchNamespace: a['watch-namespace'] ?? a.namespace,
  leaderElect: a['leader-elect'],
  leaseDurationSeconds: Number(a['lease-seconds']),
  leaseRetryMs: Number(a['lease-retry-ms']),
  ...(a.identity ? { identity: a.identity } : {}),
  concurrency: Number(a.concurrency),
  healthPort: 0,
  defaultMetrics: true,
  logger: level === 'silent' ? silentLogger() : createLogger(level, { component: 'smi-operator' }),
});
process.stdout.write(`${JSON.stringify({ ready: true, port: op.healthPort, pid: process.pid, identity: op.identity })}\n`);

// SIGUSR2: full GC (child started with --expose-gc), so the benchmark can tell retained memory from garbage.
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void op.stop().then(() => process.exit(0));
});
