// `smictl completion bash|zsh|fish`: print the shell completion script.

import type { Command } from 'commander';
import { completionScript, SHELLS, type CompletionModel, type Shell } from '../completion.js';

function model(program: Command): CompletionModel {
  const flagsOf = (c: Command): string[] => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)).concat('--help');
  return {
    commands: program.commands.map((c) => ({ name: c.name(), description: c.description(), flags: flagsOf(c) })),
    flags: ['--help', '--version'],
  };
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: bash (source <(smictl completion bash)), zsh, fish')
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        process.stderr.write(`smictl completion: unknown shell "${shell}": one of ${SHELLS.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(completionScript(shell as Shell, model(program)));
    });
}
