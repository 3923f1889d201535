import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl metrics: not implemented yet\n');
      process.exit(2);
    });
}
