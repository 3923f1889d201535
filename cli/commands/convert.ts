// `smictl convert`: rewrites SMI manifests at another served version of their
// group, through the hub, exactly as the conversion webhook does. Converted
// objects as a YAML stream on stdout; problems on stderr.

import { Command } from 'commander';
import yaml from 'js-yaml';
import { convert } from '../../schemas/conversion.js';
import type { KubeObject } from '../../schemas/hub.js';
import { formatProblem } from '../../schemas/problem.js';
import { isSmiGroup, KIND_TABLE, servedKind, unservedSmiField } from '../../schemas/versions.js';
import { readManifests } from '../input.js';
import type { CliIo } from './validate.js';
import { refOf } from '../../schemas/object-ref.js';

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
    const unserved = unservedSmiField(object.apiVersion, object.kind);
    if (unserved) {
      problems.push(`${source}: ${refOf(object)}: ${unserved.path}: ${unserved.message}`);
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
    .option('-f, --filename <path>', 'file, directory or - for stdin; YAML or JSON, multi-document, List; repeatable', collect, [])
    .addHelpText(
      'after',
      `\nA directory is read recursively: its *.yaml, *.yml and *.json files, except kustomization files.\n` +
        `Converted objects go to stdout as a YAML stream, problems to stderr. Objects of other groups,\n` +
        `non-SMI objects and objects already at the target version are passed through unchanged; an object\n` +
        `that cannot be converted is left out. Converting is not validating: only problems that make an\n` +
        `object unreadable (wrong types, missing fields, weights that cannot be scaled) stop it, as in the\n` +
        `conversion webhook; use smictl validate for the rest.\nServed versions:\n${servedVersionsHelp()}\n` +
        'Exit status: 0 converted, 1 invalid input (an object not convertible or at an unserved version, or a file\n' +
        'that cannot be read or parsed), 2 usage error (no -f; --to-version missing, malformed or served for no SMI kind).',
    )
    .action((flags: { toVersion: string; filename: string[] }) => {
      process.exitCode = runConvert(flags, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    });
}
