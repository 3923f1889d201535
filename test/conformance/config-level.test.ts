// The config level of the conformance suite against the real API server, with
// the operator running in-process: 100 % for every mesh, where assertions a
// mesh cannot express are declared per mesh (and must really fail there).

import { expect } from 'chai';
import { MESH_NAMES } from '../../adapters/types.js';
import { junit, summarize, table } from '../../conformance/report.js';
import { runConfigLevel } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { sharedCluster } from '../support/cluster.js';

describe('conformance: config level on the local control plane', function () {
  this.timeout(240_000);

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: every scenario passes (declared gaps fail as declared)`, async () => {
      const results = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, mesh, timeoutMs: 30_000 });
      const report = summarize(mesh, 'config', results);
      const bad = results.filter((r) => r.outcome === 'failed' || r.outcome === 'unexpectedly-passed');
      expect(bad, table(report)).to.deep.equal([]);
      expect(report.passPercent).to.equal(100);
      // Every scenario ran, and every declared gap was observed as a gap.
      expect(new Set(results.map((r) => r.scenario))).to.have.lengthOf(SCENARIOS.length);
      const declared = SCENARIOS.flatMap((s) => (s.unsupported?.[mesh]?.assertions ?? []).map((a) => `${s.id}/${a}`)).sort();
      expect(results.filter((r) => r.outcome === 'expected-unsupported').map((r) => `${r.scenario}/${r.assertion}`).sort()).to.deep.equal(declared);
      const xml = junit([report]);
      expect(xml.match(/<testcase /g)).to.have.lengthOf(results.length);
      expect(xml).not.to.contain('<failure');
    });
  }
});
