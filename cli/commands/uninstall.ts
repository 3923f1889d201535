// `smictl uninstall [--keep-native] --yes`: remove smi-operator from a cluster.

import type { Command } from 'commander';
import { addKubeFlags } from '../kube-flags.js';
import type { UninstallFlags } from '../flags.js';
import { OPERATOR_NAMESPACE } from '../check/names.js';

export function registerUninstall(program: Command): void {
  addKubeFlags(
    program
      .command('uninstall')
      .description('remove smi-operator (operator, webhook, metrics API, RBAC, SMI CRDs and every SMI object); warns that generated policies go too unless --keep-native')
      .option('--namespace <ns>', 'operator namespace', OPERATOR_NAMESPACE)
      .option('--keep-native', 'first detach the generated native objects (owner references, smi-operator labels) so the mesh keeps enforcing them')
      .option('--yes', 'do it (without: print the warning and what would be removed, change nothing)'),
  ).action(async (flags: UninstallFlags) => {
    const { runUninstall } = await import('../run/uninstall.js');
    process.exitCode = await runUninstall(flags);
  });
}
