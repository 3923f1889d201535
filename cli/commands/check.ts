// `smictl check [--pre]`: is the operator installed and working on this cluster
// (or, with --pre, can it be installed)? One line per check, each failure with its fix.

import type { Command } from 'commander';
import { MESH_NAMES } from '../../adapters/types.js';
import { addKubeFlags, outputOption } from '../kube-flags.js';
import { meshName, type CheckFlags } from '../flags.js';
import { OPERATOR_NAMESPACE } from '../check/names.js';

export function registerCheck(program: Command): void {
  addKubeFlags(
    program
      .command('check')
      .description('check that smi-operator is installed and working (CRDs, operator, leader, webhook, metrics API, the mesh, versions); --pre before installing')
      .option('--pre', 'pre-install checks: permissions, existing SMI CRDs, cert-manager, the mesh control plane')
      .option('--namespace <ns>', 'operator namespace', OPERATOR_NAMESPACE)
      .option('--mesh <mesh>', `with --pre: the mesh you will use (${MESH_NAMES.join(', ')})`, meshName)
      .option('-o, --output <format>', 'text, json or yaml', outputOption, 'text' as const),
  ).action(async (flags: CheckFlags) => {
    const { runCheck } = await import('../run/check.js');
    process.exitCode = await runCheck(flags);
  });
}
