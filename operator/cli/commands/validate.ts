// `smictl validate`: checks SMI manifests offline, with the same rules the
// admission webhook applies, plus cross-object references within the input.
// One line per problem on stdout, prefixed by the file; a summary on stderr.

import { Command } from 'commander';
import type { SmiObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../../schemas/validate.js';
import { servedKind, unservedSmiReason } from '../../../schemas/versions.js';
import { readManifests, type InputResult } from '../input.js';
import { refOf } from '../../../schemas/object-ref.js';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin?: () => string;
}

export interface ValidationReport {
  /** `<source>: <Kind ns/name>: <path>: <message>`, in input order. */
  lines: string[];
  /** SMI objects looked at (others are skipped). */
  checked: number;
  skipped: number;
}

/** Pure: every problem of the input, per object and across objects. */
export function validateInput(input: InputResult): ValidationReport {
  const lines = input.errors.map((e) => `${e.source}: ${e.message}`);
  const valid: Array<{ source: string; hub: SmiObject }> = [];
  let checked = 0;
  let skipped = 0;
  for (const { source, object } of input.objects) {
    const unserved = unservedSmiReason(object.apiVersion, object.kind);
    if (unserved) {
      checked++;
      lines.push(`${source}: ${refOf(object)}: apiVersion: ${unserved}`);
      continue;
    }
    if (!servedKind(object.apiVersion, object.kind)) {
      skipped++;
      continue;
    }
    checked++;
    const r = validateSmiObject(object);
    if (r.hub) valid.push({ source, hub: r.hub });
    lines.push(...r.problems.map((p) => `${source}: ${formatProblem(p)}`));
  }
  const hubs = valid.map((v) => v.hub);
  for (const { source, hub } of valid) {
    lines.push(...validateReferences(hub, hubs).map((p) => `${source}: ${formatProblem(p)}`));
  }
  return { lines, checked, skipped };
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Exit status: 0 all valid, 1 invalid input, 2 usage error. */
export function runValidate(files: string[], io: CliIo): number {
  if (files.length === 0) {
    io.err('smictl validate: give at least one -f FILE|DIR|- (- reads stdin)\n');
    return 2;
  }
  const report = validateInput(readManifests(files, io.stdin));
  for (const line of report.lines) io.out(`${line}\n`);
  const verdict = report.lines.length ? `${report.lines.length} problem(s)` : 'all valid';
  io.err(`smictl validate: ${report.checked} SMI object(s) checked, ${report.skipped} other object(s) skipped: ${verdict}\n`);
  return report.lines.length ? 1 : 0;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Validate SMI manifests (every served version): schema, semantic rules and references between the given objects')
    .option('-f, --filename <path>', 'file, directory (recursive) or - for stdin; YAML or JSON, multi-document, List; repeatable', collect, [])
    .addHelpText(
      'after',
      '\nPrints one line per problem: <file>: <Kind> <namespace>/<name>: <field.path>: <message>.\n' +
        'Objects that are not SMI (Services, Deployments, ...) are skipped.\n' +
        'Exit status: 0 all valid, 1 invalid input, 2 usage error.',
    )
    .action((flags: { filename: string[] }) => {
      process.exitCode = runValidate(flags.filename, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    });
}
