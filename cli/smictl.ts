#!/usr/bin/env node
// smictl: the command-line face of smi-operator. Each subcommand lives in
// commands/<name>.ts and registers itself on the program.

import { Command } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerConvert } from './commands/convert.js';
import { registerTranslate } from './commands/translate.js';
import { registerMigrate } from './commands/migrate.js';
import { registerMetrics } from './commands/metrics.js';
import { registerConformance } from './commands/conformance.js';
import { registerOperator } from './commands/operator.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerCheck } from './commands/check.js';
import { registerDescribe } from './commands/describe.js';
import { registerUninstall } from './commands/uninstall.js';
import { registerCompletion } from './commands/completion.js';
import { CLIENT_VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('smictl')
    .description('Service Mesh Interface tools: validate, convert, translate and migrate SMI manifests; run the operator; check, describe and uninstall it; query traffic metrics; a dashboard')
    .option('-V, --version', 'print the client version and, with a cluster (--kubeconfig/--context or the default kubeconfig), the operator version')
    .option('--kubeconfig <path>', 'with --version: kubeconfig file')
    .option('--context <name>', 'with --version: kubeconfig context')
    // Root options only before the subcommand: `smictl check --kubeconfig x` is check's flag.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride((err) => {
      // Usage errors exit 2 (help and version exit 0).
      process.exit(err.exitCode === 0 ? 0 : 2);
    })
    .action(async (flags: { version?: boolean; kubeconfig?: string; context?: string }) => {
      if (!flags.version) {
        program.help({ error: true });
        return;
      }
      process.stdout.write(`client: ${CLIENT_VERSION}\n`);
      const { connect } = await import('./kube-flags.js');
      const { serverVersion } = await import('./server-version.js');
      const { OPERATOR_NAMESPACE } = await import('./check/names.js');
      const k = await connect(flags);
      if (!k.ok) {
        process.stdout.write(`server: ${k.code === 2 ? 'no cluster' : 'unknown'} (${k.error})\n`);
        return;
      }
      const v = await serverVersion(k.client, OPERATOR_NAMESPACE);
      process.stdout.write(v.ok ? `server: ${v.version} (${v.image})\n` : `server: unknown (${v.reason})\n`);
    });
  registerValidate(program);
  registerConvert(program);
  registerTranslate(program);
  registerMigrate(program);
  registerMetrics(program);
  registerConformance(program);
  registerOperator(program);
  registerDashboard(program);
  registerCheck(program);
  registerDescribe(program);
  registerUninstall(program);
  registerCompletion(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
