import { expect } from 'chai';
import type { ResolvedDestination } from '../../../../adapters/common/model.js';
import { commonLabels, destinationSelector } from '../../../../adapters/common/selector.js';
import type { WorkloadInfo } from '../../../../adapters/types.js';

const wl = (owner: string, serviceAccount: string, podLabels: Record<string, string>, namespace = 'shop'): WorkloadInfo => ({ namespace, owner, serviceAccount, podLabels });
const dest = (workloads: WorkloadInfo[], others: WorkloadInfo[] = []): ResolvedDestination => ({
  namespace: 'shop',
  serviceAccount: 'api',
  targets: [],
  workloads,
  namespaceWorkloads: [...workloads, ...others],
  services: [],
  rules: [],
});

describe('destination pod selector', () => {
  it('is the set of stable labels every pod of the ServiceAccount shares', () => {
    const d = dest([wl('Deployment/api-v1', 'api', { app: 'api', version: 'v1', tier: 'be' }), wl('Deployment/api-v2', 'api', { app: 'api', version: 'v2', tier: 'be' })]);
    expect(destinationSelector(d)).to.deep.equal({ ok: true, matchLabels: { app: 'api', tier: 'be' } });
  });
  it('leaves out per-revision and per-pod labels, which the next rollout changes', () => {
    expect(commonLabels([wl('Pod/api-x', 'api', { app: 'api', 'pod-template-hash': 'abc', 'statefulset.kubernetes.io/pod-name': 'api-0' })])).to.deep.equal({ app: 'api' });
  });
  it('refuses when there is no workload, or the pods share no label', () => {
    expect(destinationSelector(dest([]))).to.include({ ok: false, reason: 'no-workloads' });
    const r = destinationSelector(dest([wl('Deployment/a', 'api', { app: 'a' }), wl('Deployment/b', 'api', { app: 'b' })]));
    expect(r).to.include({ ok: false, reason: 'no-shared-labels' });
    expect(r.ok ? '' : r.why).to.contain('(Deployment/a, Deployment/b) share no pod label');
  });
  it('refuses a selector that also selects a pod of another ServiceAccount in the namespace, naming it', () => {
    const api = wl('Deployment/api', 'api', { app: 'shop' });
    const admin = wl('Deployment/admin', 'admin', { app: 'shop', role: 'admin' });
    const r = destinationSelector(dest([api], [wl('Deployment/zeta', 'zeta', { app: 'other' }), admin]));
    expect(r).to.deep.equal({
      ok: false,
      reason: 'selects-others',
      why: "the pod labels shared by ServiceAccount shop/api's workloads (app=shop) also select Deployment/admin (ServiceAccount admin)",
      conflicts: [admin],
    });
  });
  it('ignores other namespaces and other workloads of the same ServiceAccount', () => {
    const api = wl('Deployment/api', 'api', { app: 'shop', version: 'v1' });
    const r = destinationSelector(dest([api], [wl('Deployment/admin', 'admin', { app: 'shop', version: 'v1' }, 'ops'), wl('Deployment/admin', 'admin', { app: 'shop' })]));
    expect(r).to.deep.equal({ ok: true, matchLabels: { app: 'shop', version: 'v1' } });
  });
});
