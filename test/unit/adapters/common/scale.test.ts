// resolve() runs on the operator's whole cache on every change: it must stay
// near-linear. A generous bound catches accidental quadratic scans, not jitter.

import { expect } from 'chai';
import { resolve } from '../../../../adapters/common/resolve.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';
import { snapshot, split, svc, target, tcp, workload } from './fixtures.js';

describe('resolve at scale', () => {
  it('resolves 3000 splits and 3000 targets over 12000 services and workloads quickly', function () {
    this.timeout(20_000);
    const n = 3000;
    const ns = (i: number) => `ns-${i % 50}`;
    const s = snapshot({
      services: Array.from({ length: n }, (_, i) => [svc(`app-${i}`, [80], { ns: ns(i) }), svc(`app-${i}-v1`, [80], { ns: ns(i) }), svc(`app-${i}-v2`, [80], { ns: ns(i) })]).flat(),
      workloads: Array.from({ length: n }, (_, i) => workload(`Deployment/app-${i}`, `sa-${i}`, { app: `app-${i}` }, ns(i))),
      tcpRoutes: Array.from({ length: 50 }, (_, i) => tcp('all', [], `ns-${i}`)),
      trafficSplits: Array.from({ length: n }, (_, i) => split(`s-${i}`, `app-${i}`, [[`app-${i}-v1`, 1], [`app-${i}-v2`, 2]], { ns: ns(i) })),
      trafficTargets: Array.from({ length: n }, (_, i) => target(`t-${i}`, `sa-${i}`, [{ kind: 'TCPRoute', name: 'all' }], [{ name: `sa-${(i + 1) % n}` }], { ns: ns(i) })),
    });
    const t0 = performance.now();
    const m = resolve(s, DEFAULT_MESH_OPTIONS);
    const ms = performance.now() - t0;
    expect(m.splits).to.have.length(n);
    expect(m.destinations).to.have.length(n);
    expect(m.results.filter((r) => r.status !== 'Accepted')).to.deep.equal([]);
    expect(ms).to.be.lessThan(5000);
  });
});
