// The traffic level needs a mesh (kind/), so its judgement is tested on its own:
// what counts as allowed, denied, split as expected; and how pods get injected.

import { expect } from 'chai';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { INJECTION, curlArgs, inject, judgeAccess, judgeSplit, quantity } from '../../conformance/traffic.js';
import { levelsOf } from '../../conformance/types.js';
import type { KubeObject } from '../../schemas/hub.js';

describe('conformance traffic level: judgement', () => {
  it('HTTP: 2xx is allowed; 403, 503 and no answer (000) are denied; default expects the mesh to allow', () => {
    const get = { method: 'GET', path: '/' };
    expect(judgeAccess('200', { request: get, expect: 'allow' }).ok).to.equal(true);
    expect(judgeAccess('403', { request: get, expect: 'allow' }).ok).to.equal(false);
    for (const code of ['403', '503', '000', '']) expect(judgeAccess(code, { request: get, expect: 'deny' }).ok, code).to.equal(true);
    expect(judgeAccess('204', { request: get, expect: 'deny' }).ok).to.equal(false);
    expect(judgeAccess('200', { request: get, expect: 'default' }).ok).to.equal(true);
  });

  it('TCP: any HTTP answer means the connection got through', () => {
    expect(judgeAccess('404', { expect: 'allow' }).ok).to.equal(true);
    expect(judgeAccess('000', { expect: 'allow' }).ok).to.equal(false);
    expect(judgeAccess('000', { expect: 'deny' }).ok).to.equal(true);
  });

  it('splits: 0 % and 100 % exact, others within 15 points; an unsplit Service must reach both backends', () => {
    expect(judgeSplit({ 'service-b': 50 }, { 'service-b': 100, 'service-c': 0 }, 50).ok).to.equal(true);
    expect(judgeSplit({ 'service-b': 49, 'service-c': 1 }, { 'service-b': 100, 'service-c': 0 }, 50).ok).to.equal(false);
    expect(judgeSplit({ 'service-b': 40, 'service-c': 10 }, { 'service-b': 75, 'service-c': 25 }, 50).ok).to.equal(true);
    expect(judgeSplit({ 'service-b': 25, 'service-c': 25 }, { 'service-b': 75, 'service-c': 25 }, 50).ok).to.equal(false);
    expect(judgeSplit({ 'service-b': 20, 'service-c': 30 }, { 'app-svc': 100 }, 50).ok).to.equal(true);
    expect(judgeSplit({ 'service-b': 50 }, { 'app-svc': 100 }, 50).ok).to.equal(false);
    expect(judgeSplit({}, { 'service-b': 75, 'service-c': 25 }, 50).detail).to.equal('no answers of 50');
  });

  it('curl carries the method and headers of the assertion', () => {
    const c = curlArgs('http://b.ns.svc:9091/admin', { method: 'POST', headers: { 'x-debug': 'enabled' } });
    expect(c).to.contain('-X POST').and.contain("-H 'x-debug: enabled'").and.contain("'http://b.ns.svc:9091/admin'");
  });

  it('injects the mesh proxy into every scenario Deployment (annotations for linkerd and consul, a namespace label for istio)', () => {
    expect(INJECTION.istio.nsLabels).to.deep.equal({ 'istio-injection': 'enabled' });
    const ns = (l: string) => `ns-${l}`;
    for (const s of SCENARIOS) {
      for (const d of s.app(ns).filter((o) => o.kind === 'Deployment')) {
        for (const mesh of ['linkerd', 'consul'] as const) {
          const got = inject(d, mesh) as KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
          expect(got.spec.template.metadata.annotations, `${s.id} ${d.metadata.name} ${mesh}`).to.include(INJECTION[mesh].podAnnotations!);
        }
        expect(inject(d, 'istio')).to.deep.equal(d);
      }
    }
  });

  it('metrics: quantities parse; TrafficMetrics assertions are observed at the traffic level only', () => {
    expect([quantity('25'), quantity('2500m'), quantity('1k'), quantity('1.5')]).to.deep.equal([25, 2.5, 1000, 1.5]);
    expect(Number.isNaN(quantity('NaN'))).to.equal(true);
    const metrics = SCENARIOS.flatMap((s) => s.steps.flatMap((st) => st.assertions)).filter((a) => a.kind === 'metrics');
    expect(metrics.length).to.be.greaterThan(0);
    for (const a of metrics) expect(levelsOf(a)).to.deep.equal(['traffic']);
  });
});
