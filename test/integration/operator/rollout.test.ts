// The rollout sequence Argo Rollouts and Flagger drive against a TrafficSplit, on the
// local control plane with the operator running, for every mesh:
//   create with canary weight 0 -> step the weights by UPDATE (PUT of the object read
//   back, as Flagger's SetRoutes does; Argo's merge patch also ends in an update) ->
//   promote (canary 0 again) -> delete the owner, whose ownerReference makes the
//   garbage collector delete the TrafficSplit -> the native objects are pruned.
// Between steps the test waits on the operator's observed state (status.observedGeneration
// of the written generation, Ready), then reads the native object: no sleeps.
//
// What each client writes (docs/rollout-controllers.md cites the sources):
// - Argo Rollouts, `trafficRouting: smi: {}`: split.smi-spec.io/v1alpha1, weights as
//   Quantities, backends [canary, stable], root = the stable Service (self-referential).
// - Flagger: split.smi-spec.io/v1alpha3, integer weights, backends [canary, primary],
//   root = the apex Service.
// A ConfigMap stands in for the Rollout / Canary custom resource as the controller owner.

import { expect } from 'chai';
import { serveConversion, type ServedConversion } from '../../../conformance/conversion.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { MESH_NAMES, SOURCE_LABEL, type MeshName } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster } from '../../support/cluster.js';
import { condition, eventually, newNamespace, runOperator, service, TestKube } from './helpers.js';

interface Client {
  id: string;
  apiVersion: string;
  name: string;
  root: string;
  stable: string;
  canary: string;
  services: string[];
  weight: (w: number) => number | string;
  selfReferential: boolean;
}

const CLIENTS: Client[] = [
  {
    id: 'Argo Rollouts',
    apiVersion: 'split.smi-spec.io/v1alpha1',
    name: 'rollouts-demo',
    root: 'rollouts-demo-stable',
    stable: 'rollouts-demo-stable',
    canary: 'rollouts-demo-canary',
    services: ['rollouts-demo-stable', 'rollouts-demo-canary'],
    weight: (w) => String(w), // resource.NewQuantity(w, DecimalExponent)
    selfReferential: true,
  },
  {
    id: 'Flagger',
    apiVersion: 'split.smi-spec.io/v1alpha3',
    name: 'podinfo',
    root: 'podinfo',
    stable: 'podinfo-primary',
    canary: 'podinfo-canary',
    services: ['podinfo', 'podinfo-primary', 'podinfo-canary'],
    weight: (w) => w,
    selfReferential: false,
  },
];

/** The native kind that carries a split's weights on each mesh, and how to read them as shares. */
const CARRIER: Record<MeshName, { apiVersion: string; kind: string; shares: (spec: any) => Record<string, number> }> = { // eslint-disable-line @typescript-eslint/no-explicit-any
  istio: {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    shares: (spec) => relative(spec.http[0].route.map((d: { destination: { host: string }; weight: number }) => [d.destination.host.split('.')[0], d.weight])),
  },
  linkerd: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    shares: (spec) => relative(spec.rules[0].backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])),
  },
  gamma: {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    shares: (spec) => relative(spec.rules[0].backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])),
  },
  consul: {
    apiVersion: 'consul.hashicorp.com/v1alpha1',
    kind: 'ServiceSplitter',
    shares: (spec) => Object.fromEntries(spec.splits.map((s: { service: string; weight: number }) => [s.service, s.weight])),
  },
};

/** Every kind a split renders to, for the prune check. */
const PRUNED: Record<MeshName, Array<{ apiVersion: string; kind: string }>> = {
  istio: [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }],
  linkerd: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }],
  gamma: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }],
  consul: [
    { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceSplitter' },
    { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults' },
    { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceResolver' },
  ],
};

function relative(pairs: Array<[string, number]>): Record<string, number> {
  const sum = pairs.reduce((a, [, w]) => a + w, 0);
  return Object.fromEntries(pairs.map(([n, w]) => [n, (w * 100) / sum]));
}

describe('operator: the rollout sequence of Argo Rollouts and Flagger (real API server, every mesh)', function () {
  this.timeout(180_000);
  let k: TestKube;
  const splitPath = (c: Client, ns: string, name?: string) => k.path(c.apiVersion, 'TrafficSplit', ns, name);
  let conversion: ServedConversion | undefined;

  before(async () => {
    k = new TestKube();
    // v1alpha1/v1alpha3 objects need the SMI CRDs' conversion webhook; serve the operator's /convert for the run.
    conversion = await serveConversion(sharedCluster().kubeConfig);
  });

  after(async () => {
    await conversion?.stop();
  });

  for (const mesh of MESH_NAMES) {
    describe(mesh, () => {
      let ns: string;
      let op: RunningOperator | undefined;

      before(async () => {
        ns = await newNamespace(`op-rollout-${mesh}`);
        for (const c of CLIENTS) for (const s of c.services) await k.apply(service(ns, s, { app: s }));
        op = await runOperator(ns, { defaultMesh: mesh });
      });

      after(async () => {
        await op?.stop();
      });

      for (const c of CLIENTS) {
        it(`${c.id}: create at canary 0, step by update, promote, delete with the owner`, async () => {
          const carrier = CARRIER[mesh];
          const source = `${SOURCE_LABEL}=trafficsplit.${c.name}`;
          const natives = (kind: string, apiVersion: string): Promise<KubeObject[]> => k.list(apiVersion, kind, ns, source);
          const shares = async (): Promise<Record<string, number>> => {
            const [o, ...more] = await natives(carrier.kind, carrier.apiVersion);
            expect(more, `one ${carrier.kind}`).to.deep.equal([]);
            return carrier.shares(o!.spec);
          };
          const backends = (canary: number) => [
            { service: c.canary, weight: c.weight(canary) },
            { service: c.stable, weight: c.weight(100 - canary) },
          ];
          /** Waits until the operator has reconciled `generation` and applied it. */
          const observed = (generation: number): Promise<KubeObject> =>
            eventually(`${c.name} observed at generation ${generation}`, async () => {
              const r = await k.client.request<KubeObject>('GET', splitPath(c, ns, c.name));
              if (!r.ok) throw new Error(r.error.message);
              const s = r.body;
              const st = (s as { status?: { observedGeneration?: number } }).status;
              if (st?.observedGeneration !== generation) return undefined;
              // Observed but not applied: keep polling, and say why if it never is.
              const [accepted, ready] = [condition(s, 'Accepted'), condition(s, 'Ready')];
              if (ready?.status !== 'True') throw new Error(`Accepted ${accepted?.reason}: ${accepted?.message}; Ready ${ready?.reason}: ${ready?.message}`);
              return s;
            });
          const expectShares = (canary: number): Record<string, number> => (canary === 0 ? { [c.stable]: 100 } : { [c.canary]: canary, [c.stable]: 100 - canary });

          // The owner (the Rollout / Canary), then the split the controller creates with canary weight 0.
          const owner = await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${c.name}-owner`, namespace: ns } } as KubeObject);
          const created = await k.client.request<KubeObject>('POST', splitPath(c, ns), {
            body: {
              apiVersion: c.apiVersion,
              kind: 'TrafficSplit',
              metadata: {
                name: c.name,
                namespace: ns,
                ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
              },
              spec: { service: c.root, backends: backends(0) },
            },
          });
          if (!created.ok) throw new Error(`create: ${created.error.status} ${created.error.message}`);
          const first = await observed(created.body.metadata.generation!);
          const accepted = condition(first, 'Accepted');
          expect(accepted?.reason).to.equal('Accepted');
          if (c.selfReferential) expect(accepted?.message).to.contain(`is the root Service ${c.root} itself`);
          expect(await shares()).to.deep.equal(expectShares(0));

          // Each step: read, change the weights, PUT the whole object back (an update, not an apply).
          for (const canary of [5, 25, 50, 75, 0]) {
            const got = await k.client.request<KubeObject>('GET', splitPath(c, ns, c.name));
            if (!got.ok) throw new Error(got.error.message);
            const next = { ...got.body, spec: { ...(got.body.spec as object), backends: backends(canary) } };
            const put = await k.client.request<KubeObject>('PUT', splitPath(c, ns, c.name), { body: next });
            if (!put.ok) throw new Error(`update to canary ${canary}: ${put.error.status} ${put.error.message}`);
            expect(put.body.metadata.generation, 'an update of the spec is a new generation').to.be.greaterThan(got.body.metadata.generation!);
            await observed(put.body.metadata.generation!);
            expect(await shares(), `canary ${canary}`).to.deep.equal(expectShares(canary));
          }

          // Delete the owner: the garbage collector deletes the split, and its native objects go with it.
          await k.delete('v1', 'ConfigMap', ns, owner.metadata.name);
          await eventually(`${c.name} collected with its owner`, async () => (await k.client.request('GET', splitPath(c, ns, c.name))).ok === false, 60_000);
          for (const { apiVersion, kind } of PRUNED[mesh]) {
            await eventually(`${kind}s of ${c.name} pruned`, async () => (await natives(kind, apiVersion)).length === 0, 60_000);
          }
        });
      }
    });
  }
});
