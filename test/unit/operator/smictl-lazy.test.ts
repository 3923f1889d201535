// `smictl operator` must not load what only other subcommands need: client-node
// (~80 MiB RSS), the metrics API, the conformance suite. A resolve hook records
// every module the process loads; the command stops early on a missing kubeconfig.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../schemas/paths.js';

const SMICTL = join(REPO_ROOT, 'dist', 'cli', 'smictl.js');

function loadedModules(args: string[]): { status: number | null; stdout: string; stderr: string; urls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'smi-lazy-'));
  try {
    const out = join(dir, 'loaded.txt');
    const hook = join(dir, 'hook.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = [];
registerHooks({ resolve(s, c, next) { const r = next(s, c); urls.push(r.url); return r; } });
process.on('exit', () => writeFileSync(${JSON.stringify(out)}, urls.join('\\n')));
`,
    );
    const r = spawnSync(process.execPath, ['--import', hook, SMICTL, ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, urls: readFileSync(out, 'utf8').split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('smictl loads subcommands lazily', function () {
  // Each case starts node and smictl: seconds on a busy 2-core machine.
  this.timeout(30_000);
  it('`smictl operator` loads the controller but not client-node, the metrics API, the conformance suite or (without --webhook-port) the webhooks', () => {
    const r = loadedModules(['operator', '--kubeconfig', join(tmpdir(), 'smi-no-such-kubeconfig'), '--health-port', '0', '--metrics-port', '0']);
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stderr).to.contain('smi-no-such-kubeconfig: cannot read: ENOENT');
    expect(r.urls.some((u) => u.endsWith('/operator/manager.js'))).to.equal(true);
    const unwanted = r.urls.filter((u) => /@kubernetes\/client-node|\/operator\/metrics-api\/|\/operator\/conformance\/|\/operator\/webhooks\/|\/cli\/run\/(metrics|conformance)\.js/.test(u));
    expect(unwanted).to.deep.equal([]);
  });

  it('`smictl --help` still lists every subcommand without loading their implementations', () => {
    const r = loadedModules(['--help']);
    expect(r.status).to.equal(0);
    for (const c of ['validate', 'convert', 'translate', 'metrics', 'metrics-api', 'conformance', 'operator']) expect(r.stdout).to.match(new RegExp(`^  ${c} `, 'm'));
    expect(r.urls.filter((u) => /\/cli\/run\/|\/operator\/manager\.js|client-node/.test(u))).to.deep.equal([]);
  });
});
