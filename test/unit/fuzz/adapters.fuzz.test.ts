// Fuzzing the translation pipeline: whole scenarios (SMI objects + Services +
// workloads) with some objects mutated or replaced by garbage go through
// buildSnapshot and every adapter. Never an exception; the output keeps the
// adapter contract (sorted, one result per SMI object, deterministic, labelled).

import { expect } from 'chai';
import fc from 'fast-check';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../adapters/index.js';
import { compareObjects } from '../../../adapters/translate.js';
import { DEFAULT_MESH_OPTIONS, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_NAMES, type MeshOptions, type Snapshot } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { objectRef } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { garbageObject, mutated, scenario } from './generators.js';

const RUNS = Number(process.env.SMI_FUZZ_RUNS ?? 300);

const options: fc.Arbitrary<MeshOptions> = fc.record({
  accessMode: fc.constantFrom('enforce', 'permissive'),
  mtlsMode: fc.constantFrom('strict', 'permissive', 'disabled'),
  clusterDomain: fc.constantFrom('cluster.local', 'example.org'),
  trustDomain: fc.constantFrom('cluster.local', 'td.example'),
});

/** A scenario where each object is kept, mutated, duplicated or dropped, plus some garbage objects. */
const perturbed: fc.Arbitrary<KubeObject[]> = scenario.chain((objs) =>
  fc
    .tuple(
      fc.tuple(...objs.map((o) => fc.oneof({ weight: 4, arbitrary: fc.constant([o]) }, { weight: 3, arbitrary: mutated(fc.constant(o)).map((m) => [m]) }, { weight: 1, arbitrary: fc.constant([o, o]) }, { weight: 1, arbitrary: fc.constant([]) }))),
      fc.array(garbageObject, { maxLength: 2 }),
    )
    .map(([kept, extra]) => [...kept.flat(), ...extra]),
);

const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const smiCount = (s: Snapshot): number => s.trafficSplits.length + s.trafficTargets.length + s.httpRouteGroups.length + s.tcpRoutes.length + s.udpRoutes.length + (s.policies?.length ?? 0);

describe('fuzz: buildSnapshot + every adapter', function () {
  this.timeout(300_000);
  let rejections: unknown[] = [];
  const onRejection = (r: unknown): void => void rejections.push(r);
  before(() => process.on('unhandledRejection', onRejection));
  after(() => process.off('unhandledRejection', onRejection));
  beforeEach(() => (rejections = []));
  afterEach(async () => {
    await new Promise((r) => setImmediate(r));
    expect(rejections, 'unhandled rejections').to.deep.equal([]);
  });

  it('buildSnapshot never throws and reports what it leaves out with a field path', () => {
    fc.assert(
      fc.property(perturbed, (objs) => {
        const { snapshot, problems } = buildSnapshot(objs);
        for (const p of problems) {
          // `<Kind> <ns>/<name>`; a garbage non-string name/namespace is rendered as String(x) (finding, see BENCHMARKS.md).
          expect(p.object.startsWith(`${objs.find((o) => p.object.startsWith(`${o.kind} `))?.kind} `), formatProblem(p)).to.equal(true);
          expect(p.object, formatProblem(p)).to.include('/');
          // The only path-less problem is the duplicate-definition note, which names the whole object.
          if (p.path === '') expect(p.message, formatProblem(p)).to.match(/defined more than once/);
        }
        const refs = new Set(objs.map((o) => objectRef({ kind: o.kind, metadata: { name: String(o.metadata?.name), namespace: o.metadata?.namespace as string | undefined } })));
        for (const h of [...snapshot.trafficSplits, ...snapshot.trafficTargets, ...snapshot.httpRouteGroups]) expect(refs.has(objectRef(h))).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: translate never throws, and keeps the adapter contract`, () => {
      const adapter = getAdapter(mesh);
      const kinds = new Set(adapter.nativeKinds.map((k) => `${k.apiVersion}|${k.kind}`));
      fc.assert(
        fc.property(perturbed, options, (objs, opts) => {
          const { snapshot } = buildSnapshot(objs);
          const out = adapter.translate(snapshot, opts);
          // Deterministic: same snapshot, same output.
          expect(adapter.translate(snapshot, opts)).to.deep.equal(out);
          // One result per SMI object in the snapshot, each with a status.
          expect(out.results.length).to.equal(smiCount(snapshot));
          expect(new Set(out.results.map((r) => r.object)).size).to.equal(out.results.length);
          for (const r of out.results) expect(r.status).to.be.oneOf(['Accepted', 'Unsupported', 'Conflict', 'InvalidReference', 'Invalid']);
          // Sorted, unique, declared kinds, labelled, JSON-serialisable.
          for (let i = 1; i < out.objects.length; i++) expect(compareObjects(out.objects[i - 1]!, out.objects[i]!), 'sorted and unique').to.be.lessThan(0);
          for (const o of out.objects) {
            expect(kinds.has(`${o.apiVersion}|${o.kind}`), `${o.apiVersion} ${o.kind} not in nativeKinds`).to.equal(true);
            expect(o.metadata.labels?.[MANAGED_BY_LABEL]).to.equal(MANAGED_BY_VALUE);
            expect(o.metadata.name).to.match(DNS_NAME);
            // Consul's wildcard service `*` is only ever a deny-all source, never a destination or an allowed source.
            if (o.kind === 'ServiceIntentions') {
              const spec = o.spec as { destination: { name: string }; sources: Array<{ name: string; action?: string }> };
              expect(spec.destination.name).to.match(DNS_NAME);
              for (const src of spec.sources) if (src.name === '*') expect(src.action).to.equal('deny');
            }
            expect(JSON.parse(JSON.stringify(o))).to.deep.equal(o);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('the unperturbed scenarios translate on every mesh (the corpus is sound)', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(...MESH_NAMES), (objs, mesh) => {
        const { snapshot } = buildSnapshot(objs);
        getAdapter(mesh).translate(snapshot, DEFAULT_MESH_OPTIONS);
      }),
      { numRuns: 60 },
    );
  });
});
