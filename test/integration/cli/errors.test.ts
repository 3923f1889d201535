// Every smictl command that talks to a cluster, run as a user runs it, with each
// way the kubeconfig or the cluster can be wrong: an error that says what to do,
// a non-zero exit (--version still prints the client), never a stack trace.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../dev/controlplane/ports.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { sharedCluster } from '../../support/cluster.js';
import { SMICTL } from './smictl.js';

interface Run {
  code: number | null;
  out: string;
}

/**
 * Runs smictl in dir with only this environment; resolves when it exits or, for a command that
 * serves until stopped (the dashboard), once its output matches `until` (then stops it).
 */
function smictl(args: string[], env: NodeJS.ProcessEnv, until?: RegExp): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SMICTL, ...args], { cwd: repoRoot(), env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let done = false;
    const finish = (code: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, out });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null);
    }, 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (until?.test(out)) {
        child.kill('SIGTERM');
        finish(-1);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => finish(code));
  });
}

function kubeconfig(server: string, user: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  });
}

interface Setup {
  name: string;
  /** Flags to add and the environment (HOME is always an empty folder of the test's unless set here). */
  flags: string[];
  env: NodeJS.ProcessEnv;
  /** What the message must say besides pointing at --kubeconfig/--context. */
  says: RegExp;
}

// Every command that reads the cluster, with the arguments it needs otherwise.
const COMMANDS: Array<{ args: string[]; serves?: true }> = [
  { args: ['check'] },
  { args: ['check', '--pre'] },
  { args: ['describe', 'ts/web'] },
  { args: ['uninstall'] },
  { args: ['uninstall', '--keep-native', '--yes'] },
  { args: ['metrics', 'trafficsplits'] },
  { args: ['metrics', 'deploy', '-l', 'app=web'] },
  { args: ['migrate', '--to', 'gateway-api', '-f', 'config/samples', '--diff'] },
  { args: ['conformance', '--operator', 'external', '--mesh', 'istio'] },
  { args: ['dashboard', '--port', '0'], serves: true },
  { args: ['--version'] },
];

describe('smictl: every command with a bad kubeconfig or an unreachable cluster says what to do', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'smictl-errors-'));
  const emptyHome = join(dir, 'home-empty');
  mkdirSync(emptyHome);
  const setups: Setup[] = [];

  before(async () => {
    const file = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const dead = `https://127.0.0.1:${await freePort()}`;
    // ~/.kube/config without a current context (as `kind delete cluster` leaves it): what `smictl metrics` crashed on.
    const noContextHome = join(dir, 'home-no-context');
    mkdirSync(join(noContextHome, '.kube'), { recursive: true });
    writeFileSync(join(noContextHome, '.kube', 'config'), 'apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\ncurrent-context: ""\nusers: null\npreferences: {}\n');
    setups.push(
      { name: 'unreachable API server', flags: ['--kubeconfig', file('dead.yaml', kubeconfig(dead, { token: 'x' }))], env: {}, says: /cannot reach the Kubernetes API|can reach the Kubernetes API/i },
      { name: 'credentials the API server refuses', flags: ['--kubeconfig', file('bad-token.yaml', kubeconfig(sharedCluster().server, { token: 'not-a-token' }))], env: {}, says: /rejected the credentials|Unauthorized/ },
      { name: 'malformed kubeconfig', flags: ['--kubeconfig', file('malformed.yaml', 'clusters: [\n')], env: {}, says: /malformed\.yaml/ },
      { name: 'missing kubeconfig file', flags: ['--kubeconfig', join(dir, 'nowhere.yaml')], env: {}, says: /nowhere\.yaml/ },
      { name: 'unknown --context', flags: ['--kubeconfig', file('ok.yaml', kubeconfig(dead, { token: 'x' })), '--context', 'nope'], env: {}, says: /nope/ },
      { name: '~/.kube/config without current-context', flags: [], env: { HOME: noContextHome }, says: /current-context/ },
    );
  });

  // One `it` per setup, each running every command (a table: setup x command).
  for (const setupName of ['unreachable API server', 'credentials the API server refuses', 'malformed kubeconfig', 'missing kubeconfig file', 'unknown --context', '~/.kube/config without current-context']) {
    it(setupName, async () => {
      const s = setups.find((x) => x.name === setupName)!;
      const failures: string[] = [];
      for (const c of COMMANDS) {
        const env = { HOME: emptyHome, KUBECONFIG: '', SMI_PROMETHEUS_URL: 'http://127.0.0.1:9', ...s.env };
        const args = [...c.args, ...s.flags];
        // A command that serves is stopped once it has said what the setup needs it to say.
        const r = await smictl(args, env, c.serves ? s.says : undefined);
        const what = `smictl ${args.join(' ')}`;
        const problems: string[] = [];
        if (/\n\s+at |TypeError|ReferenceError|Unhandled/.test(r.out)) problems.push('a stack trace');
        if (!/--kubeconfig|--context|KUBECONFIG/.test(r.out)) problems.push('no --kubeconfig/--context hint');
        if (!s.says.test(r.out)) problems.push(`does not say ${s.says}`);
        if (c.args[0] === '--version') {
          if (r.code !== 0 || !/^client: /.test(r.out) || !/server: (no cluster|unknown) \(/.test(r.out)) problems.push(`--version: exit ${r.code}`);
        } else if (c.serves) {
          // A dashboard outlives an unreachable API server (its page shows the alert) but says so at once.
          if (r.code === null) problems.push('no message within 60 s');
        } else if (r.code === 0 || r.code === null) {
          problems.push(`exit ${r.code}`);
        }
        if (problems.length) failures.push(`${what}: ${problems.join(', ')}\n    ${r.out.trim().split('\n').join('\n    ')}`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }
});
