// test/istio-oracle/build.sh stops at once with a message that says what is missing: Go, or a module proxy that
// serves the pinned istio.io/istio pseudo-version.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../dev/controlplane/paths.js';

const SCRIPT = join(repoRoot(), 'test', 'istio-oracle', 'build.sh');

describe('test/istio-oracle/build.sh', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'smi-oracle-build-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    // The Go module cache is read-only on disk.
    for (const d of dirs) {
      spawnSync('chmod', ['-R', 'u+w', d]);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('without Go on PATH', () => {
    const r = spawnSync(SCRIPT, { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin', SMI_CACHE: tmp() } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/no 'go' on PATH; install Go >= 1\.26/);
  });

  it('without a module proxy', () => {
    const r = spawnSync(SCRIPT, { encoding: 'utf8', timeout: 100_000, env: { ...process.env, GOPROXY: 'off', GOMODCACHE: tmp(), SMI_CACHE: tmp() } });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/could not download istio\.io\/istio@v0\.0\.0-20260827124520-eed52ebb66ad \(is the Go module proxy reachable, and does it still serve this pseudo-version\? GOPROXY=off\)/);
  });
});
