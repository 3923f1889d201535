// `smictl conformance`: the SMI conformance suite. `--level config` (any
// cluster; starts the operator in-process unless --operator external) asserts
// what the native objects mean; `--level traffic` (a cluster with the mesh)
// deploys the test app and asserts observed traffic. This file only declares
// the flags; ../run/conformance.ts is imported when the suite runs.

import { Command, InvalidArgumentError, Option } from 'commander';
import { MESH_NAMES, type MeshName } from '../../adapters/types.js';

export interface ConformanceFlags {
  mesh: MeshName[];
  level: 'config' | 'traffic';
  kubeconfig?: string;
  context?: string;
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
  for (const m of out) if (!(MESH_NAMES as readonly string[]).includes(m)) throw new InvalidArgumentError(`unknown mesh ${m} (istio, linkerd, consul)`);
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
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else in-cluster, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .addOption(new Option('--operator <where>', 'in-process: start the operator here; external: use the deployed one').choices(['in-process', 'external']).default('in-process'))
    .option('--operator-namespace <ns>', 'namespace of the external operator and its ConfigMap', 'smi-system')
    .option('--scenario <ids...>', 'only these scenario ids')
    .addOption(new Option('-o, --output <format>', 'report on stdout').choices(['table', 'json', 'junit']).default('table'))
    .option('--json <file>', 'also write the JSON report here')
    .option('--junit <file>', 'also write a JUnit XML report here')
    .option('--timeout <seconds>', 'per step: how long the operator may take to converge', seconds, 30)
    .addOption(new Option('--conversion <how>', 'older-version scenarios: serve /convert here (local control plane), use the cluster\'s webhook, or skip them (default: serve in-process, cluster external)').choices(['serve', 'cluster', 'skip']))
    .option('--list', 'list the scenarios and exit')
    .action(async (f: ConformanceFlags) => {
      const { runConformance } = await import('../run/conformance.js');
      await runConformance(f);
    });
}
