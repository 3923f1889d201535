// `smictl conformance --operator external` over several meshes, as a user runs it: an error in
// the second mesh (here the running operator's ConfigMap selects the first one) used to escape
// as a stack trace and lose the first mesh's results. It must stop with what to do and keep them.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Report } from '../../../conformance/report.js';
import { DEFAULT_CONFIG_MAP } from '../../../operator/config/mesh-config.js';
import { sharedCluster } from '../../support/cluster.js';
import { newNamespace, TestKube } from '../operator/helpers.js';
import { runSmictl } from './smictl.js';

describe('smictl conformance --operator external: an error in the second mesh', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'smictl-conformance-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the first mesh\'s results (--json, --junit, stdout), says what to check, exits 1, no stack trace', async () => {
    const k = new TestKube();
    const opNs = await newNamespace('conformance-external');
    // The "running operator" is configured for istio only.
    await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DEFAULT_CONFIG_MAP, namespace: opNs }, data: { mesh: 'istio' } } as never);
    const json = join(dir, 'report.json');
    const xml = join(dir, 'report.xml');
    const r = await runSmictl([
      'conformance', '--kubeconfig', sharedCluster().kubeconfigPath, '--operator', 'external', '--operator-namespace', opNs,
      '--mesh', 'istio,linkerd', '--scenario', 'access-default-deny', '--timeout', '1', '--json', json, '--junit', xml,
    ]);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.contain(`smictl conformance: stopped at linkerd: the running operator's ConfigMap ${opNs}/${DEFAULT_CONFIG_MAP} selects mesh istio, not linkerd`);
    expect(r.stderr, 'what to do').to.contain(`set its \`mesh\` and run again with --mesh <that mesh>, one mesh per run; smictl check --namespace ${opNs}`);
    expect(r.stderr).to.contain('results of istio kept');
    expect(r.stderr, 'no stack trace').to.not.match(/^\s+at /m);
    const reports = JSON.parse(readFileSync(json, 'utf8')) as Report[];
    expect(reports.map((x) => x.mesh)).to.deep.equal(['istio']);
    expect(reports[0]!.results.length, 'the istio assertions ran and were recorded').to.be.greaterThan(0);
    expect(readFileSync(xml, 'utf8')).to.contain('istio');
    expect(r.stdout).to.contain('access-default-deny');
  });
});
