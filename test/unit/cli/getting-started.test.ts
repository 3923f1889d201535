// docs/getting-started.md stays true: its two manifests validate, and every mesh accepts them.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smictl } from './run.js';

describe('docs/getting-started.md', function () {
  this.timeout(60_000);
  it('its manifests validate and translate, Accepted, on istio, linkerd and consul', () => {
    const blocks = [...readFileSync('docs/getting-started.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).to.have.length(2);
    const dir = mkdtempSync(join(tmpdir(), 'smi-gs-'));
    try {
      writeFileSync(join(dir, 'shop.yaml'), blocks[0]!);
      writeFileSync(join(dir, 'smi.yaml'), blocks[1]!);
      const files = ['-f', join(dir, 'shop.yaml'), '-f', join(dir, 'smi.yaml')];
      const v = smictl(['validate', ...files]);
      expect(v.status, v.stdout + v.stderr).to.equal(0);
      for (const mesh of ['istio', 'linkerd', 'consul']) {
        const t = smictl(['translate', '--mesh', mesh, ...files]);
        expect(t.status, `${mesh}: ${t.stderr}`).to.equal(0);
        const results = t.stderr.trim().split('\n').filter((l) => /^(HTTPRouteGroup|TrafficSplit|TrafficTarget) shop\//.test(l));
        // One line per message; every line of the three objects says Accepted.
        expect(new Set(results.map((l) => l.split(':')[0])).size, mesh).to.equal(3);
        for (const l of results) expect(l, mesh).to.match(/: Accepted/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
