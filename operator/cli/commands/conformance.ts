import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl conformance: not implemented yet\n');
      process.exit(2);
    });
}
