// `smictl migrate --to gateway-api`: SMI manifests -> standard-channel Gateway API
// (GAMMA) routes, plus with --mesh that mesh's authorization objects for TrafficTargets.
// YAML on stdout, one verdict line per SMI object on stderr (cli/migrate/).

import { Command, Option } from 'commander';
import { getAdapter } from '../../adapters/index.js';
import { MESH_NAMES, type MeshName } from '../../adapters/types.js';
import { HttpKubeClient } from '../../kube/client.js';
import { loadCredentials } from '../../kube/credentials.js';
import type { KubeObject } from '../../schemas/hub.js';
import { readManifests } from '../input.js';
import { reachable } from '../kube-flags.js';
import { changeLine, diffAgainst } from '../migrate/diff.js';
import { planYaml, reportLines } from '../migrate/output.js';
import { planMigration, type MigrationPlan } from '../migrate/plan.js';

export const ACCESS_MESHES: readonly MeshName[] = MESH_NAMES.filter((m) => m !== 'gamma');

export interface MigrateFlags {
  to: string;
  filename: string[];
  mesh?: string;
  diff?: boolean;
  kubeconfig?: string;
  context?: string;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin?: () => string;
}

/** Parses flags and input; a number is a usage exit status. */
export function prepareMigration(flags: MigrateFlags, io: Io): { plan: MigrationPlan; invalid: boolean } | number {
  if (flags.to !== 'gateway-api') {
    io.err(`smictl migrate: --to must be gateway-api, got ${JSON.stringify(flags.to)}\n`);
    return 2;
  }
  if (flags.mesh !== undefined && !(ACCESS_MESHES as readonly string[]).includes(flags.mesh)) {
    io.err(`smictl migrate: --mesh must be one of ${ACCESS_MESHES.join(', ')}, got ${JSON.stringify(flags.mesh)}\n`);
    return 2;
  }
  if (flags.filename.length === 0) {
    io.err('smictl migrate: give at least one -f FILE|DIR|- (- reads stdin)\n');
    return 2;
  }
  const input = readManifests(flags.filename, io.stdin);
  const plan = planMigration(
    input.objects.map((o) => o.object),
    flags.mesh as MeshName | undefined,
  );
  for (const e of input.errors) plan.problems.unshift(`${e.source}: ${e.message}`);
  return { plan, invalid: input.errors.length > 0 || plan.problems.length > 0 };
}

/** Exit status: 0 ok, 1 some input invalid or the cluster could not be read, 2 usage error. */
export async function runMigrate(flags: MigrateFlags, io: Io): Promise<number> {
  const prepared = prepareMigration(flags, io);
  if (typeof prepared === 'number') return prepared;
  const { plan, invalid } = prepared;
  const lines = reportLines(plan);
  if (lines.length > 0) io.err(`${lines.join('\n')}\n`);
  if (!flags.diff) {
    io.out(planYaml(plan));
    return invalid ? 1 : 0;
  }
  const creds = await loadCredentials({ ...(flags.kubeconfig ? { path: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
  if (!creds.ok) {
    io.err(`smictl migrate: --diff: ${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)\n`);
    return 1;
  }
  const plurals = new Map(MESH_NAMES.flatMap((m) => getAdapter(m).nativeKinds.map((k) => [`${k.apiVersion}|${k.kind}`, k.plural] as const)));
  const client = new HttpKubeClient(creds.value);
  const up = await reachable(client, creds.value.getCurrentCluster()?.server ?? '');
  if (!up.ok) {
    io.err(`smictl migrate: --diff: ${up.error}\n`);
    return 1;
  }
  const changes = await diffAgainst(client, plan.objects.map((m) => m.object), (o: KubeObject) => plurals.get(`${o.apiVersion}|${o.kind}`));
  io.out(changes.map((c) => `${changeLine(c)}\n`).join(''));
  return invalid || changes.some((c) => c.action === 'error') ? 1 : 0;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('migrate SMI manifests to Gateway API (GAMMA) routes, with a verdict per object: exact, approximated or not migrated')
    .addOption(new Option('--to <target>', 'migration target').choices(['gateway-api']).makeOptionMandatory())
    .option('-f, --filename <path>', 'file, directory (recursive) or - for stdin; repeatable', collect, [])
    .addOption(new Option('--mesh <mesh>', 'also migrate TrafficTargets to this mesh\'s own authorization objects').choices([...ACCESS_MESHES]))
    .option('--diff', 'instead of printing the objects, show what applying them would change in the cluster')
    .option('--kubeconfig <path>', 'kubeconfig for --diff (default $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context for --diff')
    .addHelpText(
      'after',
      [
        '',
        'Output: Gateway API HTTPRoutes/GRPCRoutes (gateway.networking.k8s.io/v1, parentRef = the root Service and port)',
        'as a YAML stream on stdout, in stable order, each headed by a comment naming its SMI source. On stderr one line',
        'per SMI object: `<Kind> <ns>/<name>: exact|approximated|not migrated[: reason]`. Give the Services too (-f):',
        'a route needs the Service ports. TrafficTargets are left and reported unless --mesh is given.',
        'Exit status: 0 ok; 1 some input is invalid or the cluster could not be read; 2 usage error.',
        '',
        'Examples:',
        '  smictl migrate --to gateway-api -f manifests/ > gateway-api.yaml 2> migration-report.txt',
        '  smictl migrate --to gateway-api --mesh linkerd -f manifests/ --diff --context prod',
      ].join('\n'),
    )
    .action(async (flags: MigrateFlags) => {
      process.exitCode = await runMigrate(flags, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    });
}
