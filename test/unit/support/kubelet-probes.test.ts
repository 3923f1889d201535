// The fault tests' model of the kubelet's liveness decision (test/integration/faults/liveness.ts):
// probes every 250 ms, judged at the kubelet's 10 s period, in every phase.

import { expect } from 'chai';
import { kubeletFailures, type Probe } from '../../integration/faults/liveness.js';

/** Probes every 250 ms for `seconds`; `down(t)` says whether the probe at t ms failed. */
const probes = (seconds: number, down: (t: number) => boolean): Probe[] =>
  Array.from({ length: seconds * 4 }, (_, i) => ({ at: 1_000_000 + i * 250, ms: 1, ok: !down(i * 250) }));

describe('fault tests: the kubelet liveness model', () => {
  it('a 3 s stall is one failed kubelet probe at most, not a restart', () => {
    expect(kubeletFailures(probes(60, (t) => t >= 20_000 && t < 23_000)).run).to.equal(1);
  });

  it('a 21 s stall fails three probes 10 s apart in some phase: a restart', () => {
    expect(kubeletFailures(probes(60, (t) => t >= 20_000 && t < 41_000)).run).to.equal(3);
  });

  it('short stalls that fall on the kubelet\'s clock three times in a row restart it too (successes in between are not seen)', () => {
    const r = kubeletFailures(probes(60, (t) => [12_000, 22_000, 32_000].some((s) => t >= s && t < s + 500)));
    expect(r.run).to.equal(3);
    expect(r.last?.at).to.be.within(1_032_000, 1_032_500);
  });

  it('a healthy operator fails none', () => {
    expect(kubeletFailures(probes(60, () => false)).run).to.equal(0);
  });
});
