import { expect } from 'chai';
import { workloadSelector } from '../../../../adapters/istio/selector.js';
import { destination, wl } from './model.js';

describe('istio workload selector', () => {
  it('is the set of labels every pod of the ServiceAccount shares', () => {
    const d = destination('api', [], { workloads: [wl('Deployment/api-v1', 'api', { app: 'api', version: 'v1', tier: 'be' }), wl('Deployment/api-v2', 'api', { app: 'api', version: 'v2', tier: 'be' })] });
    expect(workloadSelector(d, d.workloads)).to.deep.equal({ ok: true, matchLabels: { app: 'api', tier: 'be' } });
  });
  it('refuses when the pods share no label', () => {
    const d = destination('api', [], { workloads: [wl('Deployment/a', 'api', { app: 'a' }), wl('Deployment/b', 'api', { app: 'b' })] });
    const r = workloadSelector(d, d.workloads);
    expect(r.ok).to.equal(false);
    expect(r.ok ? '' : r.reason).to.contain('share no pod label');
  });
  it('refuses when there is no workload', () => {
    expect(workloadSelector(destination('api', [], { workloads: [] }), []).ok).to.equal(false);
  });
  it('refuses a selector that would also select another ServiceAccount\'s pods in the namespace', () => {
    const d = destination('api', [], { workloads: [wl('Deployment/api', 'api', { app: 'shop' })] });
    const other = wl('Deployment/admin', 'admin', { app: 'shop', role: 'admin' });
    const elsewhere = wl('Deployment/admin', 'admin', { app: 'shop' }, 'other-ns');
    expect(workloadSelector(d, [...d.workloads, elsewhere]).ok).to.equal(true);
    const r = workloadSelector(d, [...d.workloads, other]);
    expect(r.ok ? '' : r.reason).to.contain('Deployment/admin (ServiceAccount admin)');
  });
});
