// Server-side apply with fieldValidation=Strict: a field the mesh CRD's schema
// would prune is reported on the SMI object (Ready=False, ApplyFailed, naming
// the field) instead of being dropped silently, which made every reconcile see
// drift and apply again. The adapter is Istio's plus one field the
// VirtualService schema does not have, for one split only.

import { expect } from 'chai';
import { getAdapter } from '../../../adapters/index.js';
import type { MeshName, TranslationOutput } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { applyApp, condition, eventually, newNamespace, runOperator, service, TestKube, trafficSplit, VS } from './helpers.js';

const TS = 'split.smi-spec.io/v1alpha4';

function withUnknownField(mesh: MeshName) {
  const a = getAdapter(mesh);
  return {
    ...a,
    translate(s: Parameters<typeof a.translate>[0], o: Parameters<typeof a.translate>[1]): TranslationOutput {
      const out = a.translate(s, o);
      for (const obj of out.objects) {
        if (obj.kind === 'VirtualService' && obj.metadata.name === 'smi-split-pruned') (obj as unknown as { spec: Record<string, unknown> }).spec.notAVirtualServiceField = 'x';
      }
      return out;
    },
  };
}

describe('operator: strict field validation on apply (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-strict');
    await applyApp(k, ns);
    await k.apply(service(ns, 'other', { app: 'other' }));
    op = await runOperator(ns, { adapter: withUnknownField });
  });

  after(async () => {
    await op?.stop();
  });

  it('a field the CRD schema would prune fails the apply, named in the SMI status; other units carry on', async () => {
    await k.apply(trafficSplit(ns, 'pruned', 'other', [['web-v1', 1]]));
    await k.apply(trafficSplit(ns, 'fine', 'web', [['web-v1', 1], ['web-v2', 1]]));
    const ready = await eventually('pruned ApplyFailed', async () => {
      const c = condition(await k.get(TS, 'TrafficSplit', ns, 'pruned'), 'Ready');
      return c?.reason === 'ApplyFailed' ? c : undefined;
    });
    expect(ready.status).to.equal('False');
    expect(ready.message).to.contain('notAVirtualServiceField');
    expect(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-pruned'), 'nothing was written with the field dropped').to.equal(undefined);
    await eventually('fine Ready', async () => condition(await k.get(TS, 'TrafficSplit', ns, 'fine'), 'Ready')?.status === 'True');
  });
});
