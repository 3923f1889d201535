// `smictl convert`: rewrites SMI manifests at another served version of their
// group, through the hub, exactly as the conversion webhook does. Converted
// objects as a YAML stream on stdout; problems on stderr.

import { Command } from 'commander';
import yaml from 'js-yaml';
import { convert } from '../../../schemas/conversion.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { isSmiGroup, KIND_TABLE, servedKind, unservedSmiReason } from '../../../schemas/versions.js';
import { readManifests } from '../input.js';
import type { CliIo } from './validate.js';
import { refOf } from '../../../schemas/object-ref.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function servedVersionsHelp(): string {
  return KIND_TABLE.map((k) => `  ${k.kind.padEnd(15)} ${k.group}/{${k.versions.join(',')}}`).join('\n');
}

/** Exit status: 0 converted, 1 some input invalid or not convertible, 2 usage error. */
export function runConvert(flags: { toVersion: string; filename: string[] }, io: CliIo): number {
  const target = flags.toVersion;
  if (!/^[a-z0-9.-]+\/v[a-z0-9]+$/.test(target) || !isSmiGroup(target)) {
    io.err(`smictl convert: --to-version must be <group>/<version> of an SMI group, e.g. split.smi-spec.io/v1alpha4; got ${JSON.stringify(target)}\n`);
    return 2;
  }
  if (!KIND_TABLE.some((k) => servedKind(target, k.kind))) {
    io.err(`smictl convert: ${target} is not served for any SMI kind; served:\n${servedVersionsHelp()}\n`);
    return 2;
  }
  if (flags.filename.length === 0) {
    io.err('smictl convert: give at least one -f FILE|DIR|- (- reads stdin)\n');
    return 2;
  }
  const input = readManifests(flags.filename, io.stdin);
  const problems = input.errors.map((e) => `${e.source}: ${e.message}`);
  const out: KubeObject[] = [];
  const group = target.split('/')[0];
  for (const { source, object } of input.objects) {
    const unserved = unservedSmiReason(object.apiVersion, object.kind);
    if (unserved) {
      problems.push(`${source}: ${refOf(object)}: apiVersion: ${unserved}`);
      continue;
    }
    // Other groups and non-SMI objects pass through, so a whole directory converts.
    if (!servedKind(object.apiVersion, object.kind) || object.apiVersion.split('/')[0] !== group) {
      out.push(object);
      continue;
    }
    const r = convert(object, target);
    if (r.object) out.push(r.object);
    problems.push(...r.problems.map((p) => `${source}: ${formatProblem(p)}`));
  }
  io.out(out.map((o) => yaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n'));
  for (const p of problems) io.err(`${p}\n`);
  return problems.length ? 1 : 0;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('Convert SMI manifests to another served version of their API group (lossless: what a version lacks rides in annotations)')
    .requiredOption('--to-version <group/version>', 'target, e.g. split.smi-spec.io/v1alpha4')
    .option('-f, --filename <path>', 'file, directory (recursive) or - for stdin; YAML or JSON, multi-document, List; repeatable', collect, [])
    .addHelpText(
      'after',
      `\nObjects of other groups and non-SMI objects are passed through unchanged.\nServed versions:\n${servedVersionsHelp()}\n` +
        'Exit status: 0 converted, 1 invalid input, 2 usage error.',
    )
    .action((flags: { toVersion: string; filename: string[] }) => {
      process.exitCode = runConvert(flags, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    });
}
