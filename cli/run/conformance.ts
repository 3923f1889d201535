// `smictl conformance`, the part that runs: loaded by commands/conformance.ts
// only when the suite is invoked (scenarios, runner and the in-process operator).

import { writeFileSync } from 'node:fs';
import { HttpKubeClient } from '../../kube/client.js';
import { loadCredentials } from '../../kube/credentials.js';
import { reachable } from '../kube-flags.js';
import { junit, summarize, table, type Report } from '../../conformance/report.js';
import { runConfigLevel } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { runTrafficLevel } from '../../conformance/traffic.js';
import { DEFAULT_CONFIG_MAP } from '../../operator/config/mesh-config.js';
import type { ConformanceFlags } from '../flags.js';

export async function runConformance(f: ConformanceFlags): Promise<void> {
  if (f.list) {
    process.stdout.write(SCENARIOS.map((s) => `${s.id}\t${s.spec}\t${s.title}\n\t${s.origin}\n`).join(''));
    return;
  }
  const unknown = (f.scenario ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) {
    process.stderr.write(`smictl conformance: unknown scenario ${unknown.join(', ')} (see --list)\n`);
    process.exit(2);
  }
  if (f.level === 'traffic' && f.mesh.length !== 1) {
    process.stderr.write('smictl conformance: --level traffic runs against the one mesh installed: pass --mesh istio|linkerd|consul\n');
    process.exit(2);
  }
  let xds: { binary: string; kubeconfigPath: string } | undefined;
  if (f.level === 'xds') {
    const binary = f.istioOracle ?? process.env.SMI_ISTIO_ORACLE;
    const kubeconfigPath = f.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0];
    const problem =
      f.mesh.some((m) => m !== 'istio') ? '--level xds judges Istio only (pass --mesh istio): Linkerd and Consul have no control plane that builds here' :
      !binary ? '--level xds needs the istio-oracle binary: --istio-oracle <path> or $SMI_ISTIO_ORACLE (build it with test/istio-oracle/build.sh)' :
      !kubeconfigPath ? '--level xds starts istiod, which needs a kubeconfig file: --kubeconfig <path> or $KUBECONFIG' : undefined;
    if (problem) {
      process.stderr.write(`smictl conformance: ${problem}\n`);
      process.exit(2);
    }
    xds = { binary: binary!, kubeconfigPath: kubeconfigPath! };
  }
  const creds = await loadCredentials({ path: f.kubeconfig, context: f.context });
  if (!creds.ok) {
    process.stderr.write(`smictl conformance: ${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)\n`);
    process.exit(2);
  }
  const kubeConfig = creds.value;
  const up = await reachable(new HttpKubeClient(kubeConfig), kubeConfig.getCurrentCluster()?.server ?? '');
  if (!up.ok) {
    process.stderr.write(`smictl conformance: ${up.error}\n`);
    process.exit(1);
  }
  const reports: Report[] = [];
  let aborted: string | undefined;
  for (const mesh of f.mesh) {
    const common = { kubeConfig, mesh, timeoutMs: f.timeout * 1000, ...(f.scenario ? { only: f.scenario } : {}), progress: (l: string) => process.stderr.write(`${l}\n`) };
    try {
      const results =
        f.level === 'traffic'
          ? await runTrafficLevel({ ...common, operatorNamespace: f.operatorNamespace })
          : await runConfigLevel({ ...common, operator: f.operator, operatorNamespace: f.operatorNamespace, ...(f.conversion ? { conversion: f.conversion } : {}), ...(xds ? { level: 'xds' as const, xds } : {}) });
      reports.push(summarize(mesh, f.level, results));
    } catch (e) {
      // Keep what ran so far: the reports below are still written.
      aborted = `${mesh}: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
  }
  if (aborted) {
    // The external operator serves one mesh at a time: the one its ConfigMap selects.
    const hint = f.operator === 'external'
      ? ` (the operator in ${f.operatorNamespace} translates for the mesh its ConfigMap ${f.operatorNamespace}/${DEFAULT_CONFIG_MAP} selects: set its \`mesh\` and run again with --mesh <that mesh>, one mesh per run; smictl check --namespace ${f.operatorNamespace} shows whether the operator runs)`
      : '';
    process.stderr.write(`smictl conformance: stopped at ${aborted}${hint}; results of ${reports.length ? reports.map((r) => r.mesh).join(', ') : 'no mesh'} kept\n`);
  }
  const json = JSON.stringify(reports, null, 2);
  if (f.json) writeFileSync(f.json, `${json}\n`);
  if (f.junit) writeFileSync(f.junit, junit(reports));
  if (f.output === 'json') process.stdout.write(`${json}\n`);
  else if (f.output === 'junit') process.stdout.write(junit(reports));
  else process.stdout.write(`${reports.map(table).join('\n\n')}\n`);
  process.exit(!aborted && reports.every((r) => r.failed === 0) ? 0 : 1);
}
