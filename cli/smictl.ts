#!/usr/bin/env node
// smictl: the command-line face of smi-operator. Each subcommand lives in
// commands/<name>.ts and registers itself on the program.

import { Command } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerConvert } from './commands/convert.js';
import { registerTranslate } from './commands/translate.js';
import { registerMetrics } from './commands/metrics.js';
import { registerConformance } from './commands/conformance.js';
import { registerOperator } from './commands/operator.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerCheck } from './commands/check.js';
import { registerDescribe } from './commands/describe.js';
import { registerUninstall } from './commands/uninstall.js';

export function buildProgram(): Command {
  const program = new Command('smictl')
    .description('Service Mesh Interface tools: validate, convert and translate SMI manifests; run the operator; query traffic metrics; a dashboard')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((err) => {
      // Usage errors exit 2 (help and version exit 0).
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  registerValidate(program);
  registerConvert(program);
  registerTranslate(program);
  registerMetrics(program);
  registerConformance(program);
  registerOperator(program);
  registerDashboard(program);
  registerCheck(program);
  registerDescribe(program);
  registerUninstall(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
