// `smictl check`, the part that runs.

import { runChecks } from '../check/checks.js';
import { formatReport, report } from '../check/report.js';
import type { CheckFlags } from '../flags.js';
import { kubeClient } from '../kube-flags.js';

/** Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 without a cluster to check. */
export async function runCheck(f: CheckFlags): Promise<number> {
  const k = await kubeClient(f);
  if (!k.ok) {
    process.stderr.write(`smictl check: ${k.error}\n`);
    return 2;
  }
  const checks = await runChecks(k.client, { namespace: f.namespace, pre: !!f.pre, ...(f.mesh ? { mesh: f.mesh } : {}) });
  const r = report(checks);
  process.stdout.write(formatReport(r, f.output));
  return r.success ? 0 : 1;
}
