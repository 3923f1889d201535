// The xds level of the conformance suite: operator -> API server -> istiod -> Envoy configuration -> evaluator, for
// every scenario, with the config level's assertions. And the oracle can fail: an adapter whose AuthorizationPolicy
// names principals in another trust domain than istiod's makes the allow assertions fail here.

import { expect } from 'chai';
import { getAdapter } from '../../adapters/index.js';
import type { MeshAdapter, MeshName } from '../../adapters/types.js';
import { summarize, table } from '../../conformance/report.js';
import { runConfigLevel } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { levelsOf } from '../../conformance/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { istioOracleBinary } from '../../dev/controlplane/binaries.js';
import { sharedCluster } from '../support/cluster.js';

const xdsOptions = () => ({ binary: istioOracleBinary(), kubeconfigPath: sharedCluster().kubeconfigPath });

/** The Istio adapter with every AuthorizationPolicy principal moved to trust domain `evil.local`. */
function wrongTrustDomain(mesh: MeshName): MeshAdapter {
  const real = getAdapter(mesh);
  if (mesh !== 'istio') return real;
  return {
    ...real,
    translate(snapshot, options) {
      const out = real.translate(snapshot, options);
      const objects = out.objects.map((o): KubeObject => (o.kind === 'AuthorizationPolicy' ? (JSON.parse(JSON.stringify(o).replace(/"cluster\.local\/ns\//g, '"evil.local/ns/')) as KubeObject) : o));
      return { ...out, objects };
    },
  };
}

/**
 * The Istio adapter as it was before the xds level judged policies (gateway-error ejection alone left Envoy's default
 * 5xx ejection on), with every route timeout of 5s written as 6s.
 */
function looserPolicies(mesh: MeshName): MeshAdapter {
  const real = getAdapter(mesh);
  if (mesh !== 'istio') return real;
  return {
    ...real,
    translate(snapshot, options) {
      const out = real.translate(snapshot, options);
      const objects = out.objects.map((o): KubeObject => {
        if (o.kind === 'VirtualService') return JSON.parse(JSON.stringify(o).replace(/"timeout":"5s"/g, '"timeout":"6s"')) as KubeObject;
        if (o.kind !== 'DestinationRule') return o;
        const c = structuredClone(o) as KubeObject & { spec: { trafficPolicy?: { outlierDetection?: { consecutive5xxErrors?: number } } } };
        if (c.spec.trafficPolicy?.outlierDetection?.consecutive5xxErrors === 0) delete c.spec.trafficPolicy.outlierDetection.consecutive5xxErrors;
        return c;
      });
      return { ...out, objects };
    },
  };
}

describe('conformance: xds level (istiod + Envoy configuration) on the local control plane', function () {
  this.timeout(600_000);

  it('istio: every scenario passes at the xds level (declared gaps fail as declared), with the config level\'s verdicts', async () => {
    const results = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, mesh: 'istio', timeoutMs: 30_000, level: 'xds', xds: xdsOptions() });
    const report = summarize('istio', 'xds', results);
    const bad = results.filter((r) => r.outcome === 'failed' || r.outcome === 'unexpectedly-passed');
    expect(bad, table(report)).to.deep.equal([]);
    // Every scenario with an assertion the xds level judges reports (policy scenarios included).
    const atXds = (s: (typeof SCENARIOS)[number]) => new Set(s.steps.flatMap((st) => st.assertions.filter((x) => levelsOf(x).includes('xds')).map((x) => x.name)));
    const judged = SCENARIOS.filter((s) => atXds(s).size > 0).map((s) => s.id).sort();
    expect([...new Set(results.map((r) => r.scenario))].sort()).to.deep.equal(judged);
    const declared = SCENARIOS.flatMap((s) => (s.unsupported?.istio?.assertions ?? []).filter((a) => atXds(s).has(a)).map((a) => `${s.id}/${a}`)).sort();
    expect(results.filter((r) => r.outcome === 'expected-unsupported').map((r) => `${r.scenario}/${r.assertion}`).sort()).to.deep.equal(declared);
    // The interpreter must say what Envoy does, also where the assertion fails as declared: the same verdict or
    // shares (the text before the first parenthesis) at both levels. Where they differ, the xds level is right.
    const config = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, mesh: 'istio', timeoutMs: 30_000 });
    const said = (r: { detail: string }) => r.detail.split(' (')[0]!.split(';')[0]!.trim();
    const byKey = new Map(config.map((r) => [`${r.scenario}/${r.step}/${r.assertion}`, said(r)]));
    const differ = results.filter((r) => byKey.get(`${r.scenario}/${r.step}/${r.assertion}`) !== said(r)).map((r) => `${r.scenario}/${r.assertion}: xds ${said(r)}, config ${byKey.get(`${r.scenario}/${r.step}/${r.assertion}`)}`);
    expect(differ).to.deep.equal([]);
  });

  it('fails when the route timeout or the ejection Envoy gets differs from the policy', async () => {
    const results = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, mesh: 'istio', timeoutMs: 30_000, level: 'xds', xds: xdsOptions(), only: ['policy-timeout-retry', 'policy-circuit-breaker-limits'], adapter: looserPolicies });
    const failed = results.filter((r) => r.outcome === 'failed').map((r) => `${r.scenario}/${r.assertion}`);
    expect(failed).to.include.members(['policy-timeout-retry/request timeout 5s', 'policy-circuit-breaker-limits/only gateway errors eject']);
    expect(results.find((r) => r.assertion === 'only gateway errors eject')!.detail).to.match(/ejectConsecutive5xx: 5.*; expected ejectConsecutive5xx undefined/);
    expect(results.find((r) => r.assertion === 'request timeout 5s')!.detail).to.match(/timeoutMs: 6000.*; expected timeoutMs 5000/);
  });

  it('fails when the adapter writes principals in the wrong trust domain', async () => {
    const results = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, mesh: 'istio', timeoutMs: 30_000, level: 'xds', xds: xdsOptions(), only: ['access-allowed-blocked', 'specs-path'], adapter: wrongTrustDomain });
    const failed = results.filter((r) => r.outcome === 'failed').map((r) => `${r.scenario}/${r.assertion}`);
    expect(failed).to.include.members(['access-allowed-blocked/a->b GET /echo allowed', 'specs-path/a->b GET /metrics allowed']);
    const detail = results.find((r) => r.assertion === 'a->b GET /metrics allowed')!.detail;
    expect(detail).to.match(/deny .*envoy\.filters\.http\.rbac \(ALLOW\) no policy matches/);
    // The denials still hold: a wrong principal never admits anyone.
    expect(results.filter((r) => /denied|blocked/.test(r.assertion)).every((r) => r.outcome === 'passed')).to.equal(true);
  });
});
