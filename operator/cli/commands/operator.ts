import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerOperator(program: Command): void {
  program
    .command('operator')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl operator: not implemented yet\n');
      process.exit(2);
    });
}
