// `smictl validate`: checks SMI manifests offline, with the same rules the
// admission webhook applies, plus cross-object references within the input.
// One line per problem on stdout, prefixed by the file; a summary on stderr.

import { Command } from 'commander';
import yaml from 'js-yaml';
import { outputOption } from '../kube-flags.js';
import type { SmiObject } from '../../schemas/hub.js';
import { formatProblem } from '../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../schemas/validate.js';
import { servedKind, unservedSmiField } from '../../schemas/versions.js';
import { readManifests, type InputResult } from '../input.js';
import { refOf } from '../../schemas/object-ref.js';
import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { resolve } from '../../adapters/common/resolve.js';
import { DEFAULT_MESH_OPTIONS } from '../../adapters/types.js';

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
    const unserved = unservedSmiField(object.apiVersion, object.kind);
    if (unserved) {
      checked++;
      lines.push(`${source}: ${refOf(object)}: ${unserved.path}: ${unserved.message}`);
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
  const sourceOf = new Map<string, string>();
  for (const { source, hub } of valid) {
    sourceOf.set(`${hub.kind} ${hub.metadata.namespace ?? 'default'}/${hub.metadata.name}`, source);
    lines.push(...validateReferences(hub, hubs).map((p) => `${source}: ${formatProblem(p)}`));
  }
  // The rules `translate` and the operator apply (resolve(): route groups that are not given,
  // backend ports the root Service lacks, ...): the same input gets the same verdict.
  if (problemFree(lines)) {
    const { snapshot } = buildSnapshot(input.objects.map((o) => o.object));
    for (const r of resolve(snapshot, DEFAULT_MESH_OPTIONS).results) {
      if (r.status !== 'Invalid' && r.status !== 'InvalidReference') continue;
      const source = sourceOf.get(r.object) ?? '-';
      for (const m of r.messages) lines.push(`${source}: ${r.object}: ${m}`);
    }
  }
  return { lines, checked, skipped };
}

// Only input that passes the per-object rules is resolved: resolve() assumes valid objects.
const problemFree = (lines: string[]): boolean => lines.length === 0;

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Exit status: 0 all valid, 1 invalid input, 2 usage error. -o json|yaml prints the verdict as one document on stdout. */
export function runValidate(files: string[], io: CliIo, output: 'text' | 'json' | 'yaml' = 'text'): number {
  if (files.length === 0) {
    io.err('smictl validate: give at least one -f FILE|DIR|- (- reads stdin)\n');
    return 2;
  }
  const report = validateInput(readManifests(files, io.stdin));
  const verdict = report.lines.length ? `${report.lines.length} problem(s)` : 'all valid';
  if (output === 'text') {
    for (const line of report.lines) io.out(`${line}\n`);
  } else {
    const doc = { valid: report.lines.length === 0, checked: report.checked, skipped: report.skipped, problems: report.lines };
    io.out(output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : yaml.dump(doc, { lineWidth: -1, noRefs: true }));
  }
  io.err(`smictl validate: ${report.checked} SMI object(s) checked, ${report.skipped} other object(s) skipped: ${verdict}\n`);
  return report.lines.length ? 1 : 0;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Validate SMI manifests (every served version): schema, semantic rules and references between the given objects')
    .option('-f, --filename <path>', 'file, directory or - for stdin; YAML or JSON, multi-document, List; repeatable', collect, [])
    .option('-o, --output <format>', 'text (one line per problem), json or yaml ({valid, checked, skipped, problems})', outputOption, 'text' as const)
    .addHelpText(
      'after',
      '\nA directory is read recursively: its *.yaml, *.yml and *.json files, except kustomization files\n' +
        '(kustomization.yaml, kustomization.yml, Kustomization). A file named with -f is always read.\n' +
        'Prints one line per problem on stdout: <file>: <Kind> <namespace>/<name>: <field.path>: <message>,\n' +
        'and a summary on stderr. Every problem of an object is reported, not just the first.\n' +
        'Then the rules translate and the operator apply to the objects together: references to HTTPRouteGroups,\n' +
        'TCPRoutes, Services and workloads must resolve within the given files (give the Services, ServiceAccounts\n' +
        'and Deployments too), and backends must have the root Service\'s ports: the same verdict as translate.\n' +
        'Objects that are not SMI (Services, Deployments, ...) are not validated themselves; an SMI kind at a version or\n' +
        'group that is not served is a problem (see smictl convert --help for the served versions).\n' +
        'Exit status: 0 all valid, 1 invalid input (a problem in an object, or a file that cannot be read or parsed),\n' +
        '2 usage error (no -f, or an unknown option).',
    )
    .action((flags: { filename: string[]; output: 'text' | 'json' | 'yaml' }) => {
      process.exitCode = runValidate(flags.filename, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, flags.output);
    });
}
