import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl validate: not implemented yet\n');
      process.exit(2);
    });
}
