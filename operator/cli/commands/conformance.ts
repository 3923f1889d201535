// `smictl conformance`: the SMI conformance suite. `--level config` (any
// cluster; starts the operator in-process unless --operator external) asserts
// what the native objects mean; `--level traffic` (a cluster with the mesh)
// deploys the test app and asserts observed traffic.

import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isMeshName } from '../../../adapters/index.js';
import { MESH_NAMES, type MeshName } from '../../../adapters/types.js';
import { loadKubeConfig } from '../../kube/client.js';
import { junit, summarize, table, type Report } from '../../conformance/report.js';
import { runConfigLevel } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { runTrafficLevel } from '../../conformance/traffic.js';

interface Flags {
  mesh: MeshName[];
  level: 'config' | 'traffic';
  kubeconfig?: string;
  operator: 'in-process' | 'external';
  operatorNamespace: string;
  scenario?: string[];
  output: 'table' | 'json' | 'junit';
  json?: string;
  junit?: string;
  timeout: number;
  list?: boolean;
  conversion?: 'serve' | 'cluster' | 'skip';
}

function meshes(v: string): MeshName[] {
  const out = v.split(',').map((s) => s.trim());
  for (const m of out) if (!isMeshName(m)) throw new InvalidArgumentError(`unknown mesh ${m} (istio, linkerd, consul)`);
  return out as MeshName[];
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('run the SMI conformance suite (access, specs, split) against a cluster')
    .addOption(new Option('--mesh <meshes>', 'comma-separated meshes').default([...MESH_NAMES]).argParser(meshes))
    .addOption(new Option('--level <level>', 'config: native objects on any cluster; traffic: real requests on a cluster with the mesh').choices(['config', 'traffic']).default('config'))
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else in-cluster)')
    .addOption(new Option('--operator <where>', 'in-process: start the operator here; external: use the deployed one').choices(['in-process', 'external']).default('in-process'))
    .option('--operator-namespace <ns>', 'namespace of the external operator and its ConfigMap', 'smi-system')
    .option('--scenario <ids...>', 'only these scenario ids')
    .addOption(new Option('-o, --output <format>', 'report on stdout').choices(['table', 'json', 'junit']).default('table'))
    .option('--json <file>', 'also write the JSON report here')
    .option('--junit <file>', 'also write a JUnit XML report here')
    .option('--timeout <seconds>', 'per step: how long the operator may take to converge', seconds, 30)
    .addOption(new Option('--conversion <how>', 'older-version scenarios: serve /convert here (local control plane), use the cluster\'s webhook, or skip them (default: serve in-process, cluster external)').choices(['serve', 'cluster', 'skip']))
    .option('--list', 'list the scenarios and exit')
    .action(async (f: Flags) => {
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
      const kubeConfig = loadKubeConfig(f.kubeconfig);
      const reports: Report[] = [];
      for (const mesh of f.mesh) {
        const common = { kubeConfig, mesh, timeoutMs: f.timeout * 1000, ...(f.scenario ? { only: f.scenario } : {}), progress: (l: string) => process.stderr.write(`${l}\n`) };
        const results = f.level === 'config' ? await runConfigLevel({ ...common, operator: f.operator, operatorNamespace: f.operatorNamespace, ...(f.conversion ? { conversion: f.conversion } : {}) }) : await runTrafficLevel({ ...common, operatorNamespace: f.operatorNamespace });
        reports.push(summarize(mesh, f.level, results));
      }
      const json = JSON.stringify(reports, null, 2);
      if (f.json) writeFileSync(f.json, `${json}\n`);
      if (f.junit) writeFileSync(f.junit, junit(reports));
      if (f.output === 'json') process.stdout.write(`${json}\n`);
      else if (f.output === 'junit') process.stdout.write(junit(reports));
      else process.stdout.write(`${reports.map(table).join('\n\n')}\n`);
      process.exit(reports.every((r) => r.failed === 0) ? 0 : 1);
    });
}
