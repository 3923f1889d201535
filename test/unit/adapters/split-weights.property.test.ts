// Issue 11 item 10, for every mesh, through the whole pipeline (snapshot -> resolve ->
// renderer): for random weight vectors, a backend with weight above 0 gets a weight above
// 0, a backend with weight 0 gets none, the emitted shares are within the mesh's step of
// the SMI shares, and the emitted weights pass the mesh's own validation rules (checked
// here independently of the adapters' code).

import { expect } from 'chai';
import fc from 'fast-check';
import { getAdapter } from '../../../adapters/index.js';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshName } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { specErrors } from './istio/crd-schema.js';
import { schemaErrors as linkerdSchemaErrors } from './linkerd/crd-schema.js';

const NS = 'shop';
const INT32_MAX = 2 ** 31 - 1;

const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] } });

function translate(mesh: MeshName, weights: readonly number[]) {
  const names = weights.map((_, i) => `b${i}`);
  const split: KubeObject = {
    apiVersion: 'split.smi-spec.io/v1alpha4',
    kind: 'TrafficSplit',
    metadata: { name: 'web', namespace: NS, uid: 'uid-web' },
    spec: { service: 'web', backends: weights.map((weight, i) => ({ service: names[i], weight })) },
  } as KubeObject;
  const { snapshot } = buildSnapshot([service('web'), ...names.map(service), split]);
  return getAdapter(mesh).translate(snapshot, DEFAULT_MESH_OPTIONS);
}

/** Backend name -> emitted weight, read from the mesh's own object. */
function emitted(mesh: MeshName, objects: KubeObject[]): Map<string, number> {
  const spec = (kind: string) => objects.find((o) => o.kind === kind)?.spec as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const out = new Map<string, number>();
  if (mesh === 'istio') for (const d of spec('VirtualService')?.http[0].route ?? []) out.set(d.destination.host.split('.')[0], d.weight);
  if (mesh === 'linkerd' || mesh === 'gamma') for (const b of spec('HTTPRoute')?.rules[0].backendRefs ?? []) out.set(b.name, b.weight);
  if (mesh === 'consul') for (const s of spec('ServiceSplitter')?.splits ?? []) out.set(s.service, s.weight);
  return out;
}

/** The mesh's own rules for the emitted weights, restated from its source (see docs/adapters/<mesh>.md). */
function validationErrors(mesh: MeshName, objects: KubeObject[], ws: number[]): string[] {
  const errs: string[] = [];
  if (mesh === 'istio') {
    // Istio: int32 weights, >= 0, an int32 total that is not 0 (validateHTTPRouteDestinations).
    if (ws.some((w) => !Number.isInteger(w) || w < 0 || w > INT32_MAX)) errs.push(`weight outside int32: ${ws}`);
    const sum = ws.reduce((a, b) => a + b, 0);
    if (sum === 0 || sum > INT32_MAX) errs.push(`total ${sum}`);
    for (const o of objects) errs.push(...specErrors(o));
  }
  if (mesh === 'linkerd' || mesh === 'gamma') {
    // Gateway API: 0..1,000,000 each, at most 16 backendRefs (the CRD schema).
    for (const o of objects) errs.push(...linkerdSchemaErrors(o));
  }
  if (mesh === 'consul') {
    // Consul: round(float32(w) * 100) summed must be 10,000 (ServiceSplitterConfigEntry.Validate);
    // consul-k8s: 0 or 0.01..100 each, and the float32 sum in list order exactly 100 (ServiceSplits.validate).
    const f = Math.fround;
    if (ws.reduce((a, w) => a + Math.round(f(f(w) * 100)), 0) !== 10_000) errs.push(`scaled sum of ${ws}`);
    let s = 0;
    for (const w of ws) s = f(s + f(w));
    if (s !== 100) errs.push(`float32 sum ${s} of ${ws}`);
    if (ws.some((w) => w !== 0 && (w < 0.01 || w > 100))) errs.push(`weight outside 0.01..100: ${ws}`);
    if (ws.some((w) => Math.abs(w * 100 - Math.round(w * 100)) > 1e-9)) errs.push(`not in 0.01 steps: ${ws}`);
  }
  return errs;
}

const weight = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 10 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 1_000_000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), weight: 2 },
);
// At most 16 backends: a Gateway API HTTPRoute rule holds no more.
const vectors = fc.array(weight, { minLength: 1, maxLength: 16 }).filter((ws) => ws.some((w) => w > 0));

describe('TrafficSplit weights on every mesh (property)', function () {
  this.timeout(120_000);

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: above 0 stays above 0, 0 stays 0, shares within the mesh's step, and the mesh's validation passes`, () => {
      fc.assert(
        fc.property(vectors, (ws) => {
          const out = translate(mesh, ws);
          const got = emitted(mesh, out.objects);
          const names = ws.map((_, i) => `b${i}`);
          const outWeights = names.map((n) => got.get(n) ?? 0);
          expect(validationErrors(mesh, out.objects, [...got.values()])).to.deep.equal([]);
          expect(got.size, 'only live backends are listed').to.equal(ws.filter((w) => w > 0).length);
          ws.forEach((w, i) => expect(outWeights[i]! > 0, `b${i}: ${w} -> ${outWeights[i]}`).to.equal(w > 0));

          // Shares as exact fractions: in_i = w_i / W, out_i = o_i / T.
          const W = ws.reduce((a, w) => a + BigInt(w), 0n);
          const units = mesh === 'consul' ? outWeights.map((o) => Math.round(o * 100)) : outWeights;
          const T = BigInt(mesh === 'consul' ? 10_000 : units.reduce((a, b) => a + b, 0));
          // Below one step of the output: the mesh cannot express it; it gets exactly one step.
          const raised = ws.map((w, i) => (w > 0 && BigInt(w) * T < W ? i : -1)).filter((i) => i >= 0);
          for (const i of raised) expect(units[i], `raised b${i}`).to.equal(1);
          const bound = BigInt(1 + raised.length);
          ws.forEach((w, i) => {
            if (raised.includes(i)) return;
            // |o_i/T - w_i/W| < bound/T  <=>  |o_i*W - w_i*T| < bound*W
            const diff = BigInt(units[i]!) * W - BigInt(w) * T;
            expect((diff < 0n ? -diff : diff) < bound * W, `b${i}: ${w} of ${W} -> ${units[i]} of ${T}`).to.equal(true);
          });
          // Where the ratios fit the mesh as they are, they are kept exactly.
          const fitsAsIs = mesh === 'istio' ? W <= BigInt(INT32_MAX) : mesh === 'linkerd' ? ws.every((w) => w <= 1_000_000) : false;
          if (fitsAsIs) ws.forEach((w, i) => expect(BigInt(units[i]!) * W, `exact b${i}`).to.equal(BigInt(w) * T));
          const notes = out.results.find((r) => r.object === 'TrafficSplit shop/web')!.messages;
          for (const i of raised) expect(notes.some((m) => m.startsWith(`spec.backends[${i}].weight:`)), `raised b${i} is reported`).to.equal(true);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('999:1 gives the canary 0.1 % on every mesh (whole percentages gave it 0 % on Istio and Consul)', () => {
    for (const mesh of MESH_NAMES) {
      const got = emitted(mesh, translate(mesh, [999, 1]).objects);
      const share = (got.get('b1') ?? 0) / [...got.values()].reduce((a, b) => a + b, 0);
      expect(share, mesh).to.be.closeTo(0.001, 1e-12);
    }
  });
});
