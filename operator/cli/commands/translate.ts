import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerTranslate(program: Command): void {
  program
    .command('translate')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl translate: not implemented yet\n');
      process.exit(2);
    });
}
