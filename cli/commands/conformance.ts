// `smictl conformance`: the SMI conformance suite. `--level config` (any
// cluster; starts the operator in-process unless --operator external) asserts
// what the native objects mean; `--level xds` (Istio, a cluster without nodes
// such as the local control plane) runs istiod against it and asserts what the
// Envoy configuration it generates does; `--level traffic` (a cluster with the
// mesh) deploys the test app and asserts observed traffic. This file only declares
// the flags; ../run/conformance.ts is imported when the suite runs.

import { Command, Option } from 'commander';
import { MESH_NAMES } from '../../adapters/types.js';
import { meshList, seconds, type ConformanceFlags } from '../flags.js';

export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('run the SMI conformance suite (access, specs, split) against a cluster')
    .addOption(new Option('--mesh <meshes>', 'comma-separated meshes').default([...MESH_NAMES]).argParser(meshList))
    .addOption(new Option('--level <level>', 'config: native objects on any cluster; xds: Istio only, the Envoy configuration istiod generates (a cluster without nodes, e.g. the local control plane); traffic: real requests on a cluster with the mesh').choices(['config', 'xds', 'traffic']).default('config'))
    .option('--istio-oracle <path>', 'xds level: the istio-oracle binary (test/istio-oracle/build.sh; default $SMI_ISTIO_ORACLE)')
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
