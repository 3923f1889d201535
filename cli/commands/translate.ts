// `smictl translate`: SMI manifests -> one mesh's native objects, offline. The
// same pipeline the operator runs (buildSnapshot -> adapter), so the output is
// what the operator would apply. Objects on stdout, results on stderr.

import { Command, Option } from 'commander';
import { getAdapter } from '../../adapters/index.js';
import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { ACCESS_MODES, MTLS_MODES, parseMeshOptions, MESH_OPTION_KEYS } from '../../adapters/common/options.js';
import { problemLine, resultLines, toYamlStream } from '../../adapters/common/report.js';
import { MESH_NAMES, isMeshName, meshNameProblem } from '../../adapters/types.js';
import { readManifests } from '../input.js';

interface TranslateFlags {
  mesh: string;
  filename: string[];
  options: string[];
  accessMode?: string;
  mtlsMode?: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Exit status: 0 ok, 1 some input invalid, 2 usage error. */
export function runTranslate(flags: TranslateFlags, io: { out: (s: string) => void; err: (s: string) => void; stdin?: () => string }): number {
  if (!isMeshName(flags.mesh)) {
    io.err(`smictl translate: --mesh ${meshNameProblem(flags.mesh)}\n`);
    return 2;
  }
  const pairs = [...flags.options];
  if (flags.accessMode !== undefined) pairs.push(`accessMode=${flags.accessMode}`);
  if (flags.mtlsMode !== undefined) pairs.push(`mtlsMode=${flags.mtlsMode}`);
  const { options, errors: optionErrors } = parseMeshOptions(pairs);
  if (optionErrors.length > 0) {
    for (const e of optionErrors) io.err(`smictl translate: --options ${e}\n`);
    return 2;
  }
  const files = flags.filename.length > 0 ? flags.filename : [];
  if (files.length === 0) {
    io.err('smictl translate: give at least one -f FILE|DIR|- (- reads stdin)\n');
    return 2;
  }
  const input = readManifests(files, io.stdin);
  const { snapshot, problems } = buildSnapshot(input.objects.map((o) => o.object));
  const output = getAdapter(flags.mesh).translate(snapshot, options);

  io.out(toYamlStream(output.objects));
  const lines = [
    ...input.errors.map((e) => `${e.source}: ${e.message}`),
    ...problems.map(problemLine),
    ...output.results.flatMap(resultLines),
  ];
  if (lines.length > 0) io.err(`${lines.join('\n')}\n`);
  const invalid = input.errors.length > 0 || problems.length > 0 || output.results.some((r) => r.status === 'Invalid' || r.status === 'InvalidReference');
  return invalid ? 1 : 0;
}

export function registerTranslate(program: Command): void {
  program
    .command('translate')
    .description('translate SMI manifests (any served version) into a mesh\'s native objects, as the operator would')
    .addOption(new Option('--mesh <mesh>', 'target mesh').choices([...MESH_NAMES]).makeOptionMandatory())
    .option('-f, --filename <path>', 'file, directory (recursive) or - for stdin; repeatable', collect, [])
    .option('--options <key=value>', `mesh option (${MESH_OPTION_KEYS.join(', ')}); repeatable`, collect, [])
    .addOption(new Option('--access-mode <mode>', 'enforce: default deny for TrafficTarget destinations; permissive: report only').choices(ACCESS_MODES))
    .addOption(new Option('--mtls-mode <mode>', 'mTLS mode requested for governed destinations').choices(MTLS_MODES))
    .addHelpText(
      'after',
      [
        '',
        'Output: the native objects as a YAML stream on stdout, sorted by apiVersion, kind, namespace, name.',
        'On stderr, one line per SMI object result: `<Kind> <ns>/<name>: <Status>: <message>`;',
        'status is Accepted, Unsupported, Conflict, InvalidReference or Invalid.',
        'Objects without a namespace are taken to be in `default`.',
        'Exit status: 0 ok; 1 some input is invalid (unreadable, fails validation, Invalid or InvalidReference); 2 usage error.',
        '',
        'Example:',
        '  smictl translate --mesh istio -f manifests/ --access-mode permissive --options trustDomain=example.org',
      ].join('\n'),
    )
    .action((flags: TranslateFlags) => {
      const code = runTranslate(flags, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
      process.exitCode = code;
    });
}
