// `smictl describe <kind>/<name>`: one SMI object, its conditions, what it means,
// and every native object it contributes to.

import type { Command } from 'commander';
import { addKubeFlags, outputOption } from '../kube-flags.js';
import type { DescribeFlags } from '../flags.js';
import { OPERATOR_NAMESPACE } from '../check/names.js';

export function registerDescribe(program: Command): void {
  addKubeFlags(
    program
      .command('describe')
      .description('describe an SMI object: what it asks for, its conditions, and the native mesh objects it contributes to')
      .argument('<target>', 'kind/name, e.g. trafficsplit/web-split, ts/web-split, tt/api-access, httproutegroup/routes')
      .option('-n, --namespace <ns>', 'namespace of the object', 'default')
      .option('--operator-namespace <ns>', 'namespace of the operator (its ConfigMap names the mesh)', OPERATOR_NAMESPACE)
      .option('-o, --output <format>', 'text, json or yaml', outputOption, 'text' as const),
  ).action(async (target: string, flags: DescribeFlags) => {
    const { runDescribe } = await import('../run/describe.js');
    process.exitCode = await runDescribe(target, flags);
  });
}
