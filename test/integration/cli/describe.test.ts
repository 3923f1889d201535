// `smictl describe` as a user runs it, against the operator on the shared control plane:
// the object, its conditions, its meaning, and every native object it contributes to,
// including objects shared with another SMI object (which SOURCE_LABEL alone misses).

import { expect } from 'chai';
import { sharedCluster } from '../../support/cluster.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { applyApp, condition, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget } from '../operator/helpers.js';
import type { Description } from '../../../cli/describe/summary.js';
import { runSmictl } from './smictl.js';

describe('smictl describe (shared control plane, operator running)', function () {
  this.timeout(120_000);
  let op: RunningOperator;
  let ns: string;
  let k: TestKube;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('describe');
    await applyApp(k, ns);
    op = await runOperator(ns);
    await k.apply(tcpRoute(ns, 'tcp'));
    await k.apply(trafficTarget(ns, 'web-to-api', 'api', ['web'], [{ kind: 'TCPRoute', name: 'tcp' }]));
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'tcp' }]));
    await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 90], ['web-v2', 10]]));
    for (const [kind, name] of [['TrafficTarget', 'web-to-api'], ['TrafficTarget', 'client-to-api'], ['TrafficSplit', 'canary']] as const) {
      const av = kind === 'TrafficTarget' ? 'access.smi-spec.io/v1alpha3' : 'split.smi-spec.io/v1alpha4';
      await eventually(`${name} Ready`, async () => condition(await k.get(av, kind, ns, name), 'Ready')?.status === 'True');
    }
  });
  after(async () => op?.stop());

  const kc = () => sharedCluster().kubeconfigPath;

  it('-o json: conditions, meaning, and every contributed native object, shared ones naming the other source', async () => {
    const r = await runSmictl(['describe', 'tt/web-to-api', '-n', ns, '--operator-namespace', ns, '--kubeconfig', kc(), '-o', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    const d = JSON.parse(r.stdout) as Description;
    expect(d.object).to.include({ kind: 'TrafficTarget', name: 'web-to-api', namespace: ns });
    expect(d.conditions.find((c) => c.type === 'Ready')?.status).to.equal('True');
    expect(d.means[0]).to.contain(`Allows ServiceAccount ${ns}/web to reach pods running as ServiceAccount ${ns}/api`);
    expect(d.contributesTo.length).to.be.greaterThan(0);
    // Each one really names this TrafficTarget as a source.
    for (const c of d.contributesTo) {
      const plural = c.kind === 'AuthorizationPolicy' ? 'authorizationpolicies' : c.kind === 'PeerAuthentication' ? 'peerauthentications' : undefined;
      if (!plural) continue;
      const live = await k.client.request<{ metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } }>('GET', `/apis/${c.apiVersion}/namespaces/${c.namespace}/${plural}/${c.name}`);
      expect(live.ok).to.equal(true);
      if (live.ok) expect(live.body.metadata.annotations?.['smi-operator.io/sources']).to.contain(`TrafficTarget/${ns}/web-to-api`);
    }
    const shared = d.contributesTo.filter((c) => c.sharedWith.includes(`TrafficTarget/${ns}/client-to-api`));
    expect(shared.length, JSON.stringify(d.contributesTo)).to.be.greaterThan(0);
  });

  it('text and yaml; a split in plain words', async () => {
    const r = await runSmictl(['describe', 'trafficsplit/canary', '-n', ns, '--operator-namespace', ns, '--kubeconfig', kc()]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('Requests to Service web are split: web-v1 90%, web-v2 10%.');
    expect(r.stdout).to.match(/Ready=True/);
    expect(r.stdout).to.contain(`VirtualService.networking.istio.io ${ns}/smi-split-canary`);
    const y = await runSmictl(['describe', 'ts/canary', '-n', ns, '--operator-namespace', ns, '--kubeconfig', kc(), '-o', 'yaml']);
    expect(y.stdout).to.match(/^object:\n/);
  });

  it('a missing object or a bad target: a clear error, no stack trace', async () => {
    const r = await runSmictl(['describe', 'ts/nope', '-n', ns, '--kubeconfig', kc()]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`TrafficSplit ${ns}/nope not found`);
    const bad = await runSmictl(['describe', 'widget/x', '--kubeconfig', kc()]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('expected <kind>/<name>');
    expect(r.stderr + bad.stderr).to.not.match(/\n\s+at /);
  });
});
