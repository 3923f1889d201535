import type { Command } from 'commander';

// Placeholder until the owning issue lands; replace the whole file.
export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('(not implemented yet)')
    .action(() => {
      process.stderr.write('smictl convert: not implemented yet\n');
      process.exit(2);
    });
}
