// `make demo`: a local control plane (etcd + kube-apiserver + GC), the operator
// in-process with the Istio adapter, the samples from config/samples applied
// (./demo-setup.ts); prints the translated objects and the SMI statuses, then
// stays up for `kubectl` until Ctrl-C. `--once` exits after showing the result
// (non-zero if a sample is not Ready) and leaves nothing running.

import yaml from 'js-yaml';
import { createLogger } from '../log/log.js';
import { OPERATOR_NS, demoHints, startDemo, table, translated, waitReady, type Demo } from './demo-setup.js';

async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const say = (s: string): boolean => process.stdout.write(`${s}\n`);
  let demo: Demo | undefined;
  const teardown = async (): Promise<void> => {
    await demo?.stop();
    demo = undefined;
  };
  try {
    demo = await startDemo({ logger: createLogger(process.env.SMI_DEMO_LOG_LEVEL ?? 'warn', { component: 'smi-operator', namespace: OPERATOR_NS }), say });
    const { client, demoNs, expected, op, cluster } = demo;
    const rows = await waitReady(client, demoNs, expected, 60_000);
    const objs = await translated(client, demoNs, 'istio');
    say(`\n# ---- translated objects (${op.config().mesh}), namespace ${demoNs} ----`);
    for (const o of objs) say(`---\n${yaml.dump(o, { lineWidth: 140, noRefs: true }).trimEnd()}`);
    say(`\n# ---- SMI statuses, namespace ${demoNs} ----\n${table(rows)}\n`);
    const notReady = rows.filter((r) => r.ready !== 'True');
    const ok = rows.length >= expected && notReady.length === 0;
    say(ok ? `all ${rows.length} SMI objects are Ready.` : `NOT READY: ${notReady.map((r) => `${r.kind}/${r.name}`).join(', ') || `${rows.length}/${expected} objects found`}`);
    if (once) {
      await teardown();
      return ok ? 0 : 1;
    }
    say(`\nThe control plane and the operator keep running. In another shell:\n\n${demoHints(cluster.kubeconfigPath, demoNs)}\n\nPress Ctrl-C to stop and clean up.`);
    await new Promise<void>((res) => {
      process.once('SIGINT', () => res());
      process.once('SIGTERM', () => res());
    });
    say('\nstopping…');
    await teardown();
    return 0;
  } catch (err) {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await teardown();
    return 1;
  }
}

process.exitCode = await main();
