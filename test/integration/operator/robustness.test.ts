// Failure containment: an adapter that throws for one unit, and a writer that
// keeps fighting over a generated object (bounded re-applies).

import { expect } from 'chai';
import { getAdapter } from '../../../adapters/index.js';
import type { MeshName } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { applyApp, condition, eventually, newNamespace, runOperator, service, TestKube, trafficSplit, VS } from './helpers.js';

const TS = 'split.smi-spec.io/v1alpha4';
type Vs = { spec: { http: Array<{ route: Array<{ weight: number }> }> } };
const firstWeight = (o: unknown): number | undefined => (o as Vs | undefined)?.spec.http[0]?.route[0]?.weight;

describe('operator failure containment (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-robust');
    await applyApp(k, ns);
    await k.apply(service(ns, 'other', { app: 'other' }));
    // An adapter with a bug that only one TrafficSplit triggers.
    const buggy = (mesh: MeshName) => {
      const a = getAdapter(mesh);
      return {
        ...a,
        translate: (s: Parameters<typeof a.translate>[0], o: Parameters<typeof a.translate>[1]) => {
          if (s.trafficSplits.some((t) => t.metadata.name === 'boom')) throw new Error('kaboom');
          return a.translate(s, o);
        },
      };
    };
    op = await runOperator(ns, { adapter: buggy });
  });

  after(async () => {
    await op?.stop();
  });

  it('an adapter failure becomes a status on that unit; other units carry on', async () => {
    await k.apply(trafficSplit(ns, 'boom', 'other', [['web-v1', 1]]));
    await k.apply(trafficSplit(ns, 'fine', 'web', [['web-v1', 1], ['web-v2', 1]]));
    const boom = await eventually('boom TranslationFailed', async () => {
      const o = await k.get(TS, 'TrafficSplit', ns, 'boom');
      return condition(o, 'Ready')?.reason === 'TranslationFailed' ? o : undefined;
    });
    expect(condition(boom, 'Ready')?.message).to.contain('kaboom');
    await eventually('fine Ready', async () => condition(await k.get(TS, 'TrafficSplit', ns, 'fine'), 'Ready')?.status === 'True');
    const errors = (await op!.metrics.errors.get()).values.reduce((a, v) => a + v.value, 0);
    expect(errors).to.be.greaterThan(0);
  });

  it('re-applies a fought-over object at most 5 times a minute', async () => {
    await eventually('VirtualService smi-split-fine', async () => k.get(VS.apiVersion, VS.kind, ns, 'smi-split-fine'));
    let restored = 0;
    for (let i = 0; i < 8; i++) {
      const vs = (await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-fine')) as unknown as Vs;
      const http = JSON.parse(JSON.stringify(vs.spec.http)) as Vs['spec']['http'];
      http[0]!.route[0]!.weight = 3;
      http[0]!.route[1]!.weight = 97;
      await k.mergePatch(VS.apiVersion, VS.kind, ns, 'smi-split-fine', { spec: { http } });
      // The split is 1:1; Istio weights are relative, so the operator writes 1 and 1.
      const back = await eventually('restored', async () => firstWeight(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-fine')) === 1, 3_000).then(
        () => true,
        () => false,
      );
      if (back) restored++;
    }
    expect(restored).to.equal(5);
    expect(firstWeight(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-fine'))).to.equal(3);
  });
});
