// `make demo`: a local control plane (etcd + kube-apiserver + GC), the operator
// in-process with the Istio adapter (`--mesh` for another), the samples from
// config/samples applied (./demo-setup.ts); prints the translated objects and the
// SMI and policy statuses, then stays up for `kubectl` until Ctrl-C. `--once` exits
// after showing the result (non-zero unless every sample is Ready, or Unsupported
// exactly where the pure adapter says the mesh cannot express it) and leaves
// nothing running.

import yaml from 'js-yaml';
import { createLogger } from '../log/log.js';
import { meshNameProblem, type MeshName } from '../adapters/types.js';
import { OPERATOR_NS, demoHints, settledRow, startDemo, table, translated, unsupportedOffline, waitReady, type Demo } from './demo-setup.js';

async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const meshArg = process.argv[process.argv.indexOf('--mesh') + 1];
  const mesh = (process.argv.includes('--mesh') ? meshArg : 'istio') as MeshName;
  const problem = meshNameProblem(mesh);
  if (problem) {
    process.stderr.write(`demo: --mesh ${problem}\n`);
    return 2;
  }
  const say = (s: string): boolean => process.stdout.write(`${s}\n`);
  let demo: Demo | undefined;
  const teardown = async (): Promise<void> => {
    await demo?.stop();
    demo = undefined;
  };
  try {
    demo = await startDemo({ logger: createLogger(process.env.SMI_DEMO_LOG_LEVEL ?? 'warn', { component: 'smi-operator', namespace: OPERATOR_NS }), say, mesh });
    const { client, demoNs, expected, op, cluster, docs } = demo;
    const unsupported = unsupportedOffline(docs, mesh);
    const rows = await waitReady(client, demoNs, expected, 60_000, unsupported);
    const objs = await translated(client, demoNs, mesh);
    say(`\n# ---- translated objects (${op.config().mesh}), namespace ${demoNs} ----`);
    for (const o of objs) say(`---\n${yaml.dump(o, { lineWidth: 140, noRefs: true }).trimEnd()}`);
    say(`\n# ---- SMI and policy statuses, namespace ${demoNs} ----\n${table(rows)}\n`);
    const expectedUnsupported = rows.filter((r) => r.ready !== 'True' && settledRow(r, unsupported));
    const notReady = rows.filter((r) => !settledRow(r, unsupported));
    const ok = rows.length >= expected && notReady.length === 0;
    if (expectedUnsupported.length > 0) {
      say(`reported Unsupported on ${mesh}, as \`smictl translate --mesh ${mesh}\` says (docs/capabilities.md): ${expectedUnsupported.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
    }
    say(ok ? `all other ${rows.length - expectedUnsupported.length} SMI and policy objects are Ready.` : `NOT READY: ${notReady.map((r) => `${r.kind}/${r.name}`).join(', ') || `${rows.length}/${expected} objects found`}`);
    if (once) {
      await teardown();
      return ok ? 0 : 1;
    }
    say(`\nThe control plane and the operator keep running. In another shell:\n\n${demoHints(cluster.kubeconfigPath, demoNs, mesh)}\n\nPress Ctrl-C to stop and clean up.`);
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
