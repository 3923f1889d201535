// The hostile input corpus (issue 18) against validation, admission and every adapter,
// in process. Each call's CPU time (this thread) stays under a budget set relative to
// what the reference heavy group costs in the same run, never a wall-clock constant:
//   validation of one object ≤ MAX_COMPILE_MS_PER_GROUP + 4 × the reference, cold
//   (the documented bound: the per-group budget plus its costliest regex, which is
//   far below the reference's whole-group cost);
// never an exception, every problem names object and field, and no governed
// destination is granted more after the hostile inputs than before.

import { expect } from 'chai';
import fc from 'fast-check';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { MAX_COMPILE_MS_PER_GROUP } from '../../../schemas/regex.js';
import { validateSmiObject } from '../../../schemas/validate.js';
import { reviewAdmission } from '../../../operator/webhooks/admission-review.js';
import { cpuMs, GOVERNED, governedWorld, HOSTILE_QUANTITIES, hostileGroupArb, hostileObjects, hostileRegexes, MAX_GROUP, REGEX_SHAPES, referenceGroup, routeGroupOf, split, target } from './hostile-corpus.js';
import { ACCESS_MESHES, expectNotWider } from './narrower.js';

const NS = 'shop';
const RUNS = Math.min(Number(process.env.SMI_FUZZ_RUNS ?? 30), 30);

/** Problems of an object: each names it and a field. */
function expectWellFormed(problems: ReturnType<typeof validateSmiObject>['problems'], obj: KubeObject): void {
  for (const p of problems) {
    expect(p.object, formatProblem(p)).to.equal(`${obj.kind} ${NS}/${obj.metadata.name}`);
    expect(p.path, formatProblem(p)).to.be.a('string').and.not.equal('');
  }
}

const review = (obj: KubeObject): unknown => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE', namespace: NS, object: obj } });

describe('fuzz: hostile input corpus (issue 18)', function () {
  this.timeout(600_000);
  /** CPU ms of validating the reference heavy group, cold (every regex new to the cache). */
  let reference = 0;
  let budget = 0;

  before(() => {
    // The schema's own patterns compile once, with the validator: not part of any object's cost.
    validateSmiObject(referenceGroup(NS, 'warm-up', { matches: 1, headers: 0, bytes: 16 }));
    const r = cpuMs(() => validateSmiObject(referenceGroup(NS, 'reference')));
    expect(r.value.problems.map(formatProblem), 'the reference group is valid').to.deep.equal([]);
    reference = r.ms;
    budget = MAX_COMPILE_MS_PER_GROUP + 4 * reference;
  });

  it('every pathological shape filling a maximal group: validation and admission stay within the budget, with problems that name the field', () => {
    const costs: string[] = [];
    for (const shape of REGEX_SHAPES) {
      for (const via of ['validate', 'admission'] as const) {
        // A fresh group for each call: its regexes are not in the compile cache. Admission
        // adds only the review around validation, so a smaller group shows it.
        const g = routeGroupOf(NS, `hostile-${via}`, via === 'validate' ? MAX_GROUP : { matches: 16, headers: 16, bytes: 1024 }, shape.make);
        const r = cpuMs(() => (via === 'validate' ? validateSmiObject(g).problems.map(formatProblem) : ((reviewAdmission(review(g)).response.status?.message ?? '').split('\n').filter(Boolean) as string[])));
        costs.push(`${shape.name} ${via}: ${r.ms.toFixed(0)} ms`);
        expect(r.ms, `${shape.name} (${via}) took ${r.ms.toFixed(0)} ms of CPU; budget ${budget.toFixed(0)} ms (reference ${reference.toFixed(0)} ms)`).to.be.at.most(budget);
        for (const line of r.value) expect(line, line).to.match(/^HTTPRouteGroup shop\/hostile-\w+: (spec\.matches\[\d+\]\.\S+|spec\.matches): /);
        if (!shape.valid) expect(r.value.length, `${shape.name} is invalid`).to.be.greaterThan(0);
      }
    }
    if (process.env.SMI_TEST_VERBOSE) console.log(`reference ${reference.toFixed(0)} ms\n${costs.join('\n')}`);
  });

  it('single hostile regexes of every size (to 240 KB) and generated hostile groups: within the budget, never a throw', () => {
    for (const { name, pattern } of hostileRegexes()) {
      const g: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'one', namespace: NS }, spec: { matches: [{ name: 'm', pathRegex: pattern, headers: { 'x-a': pattern } }] } };
      const r = cpuMs(() => validateSmiObject(g));
      expect(r.ms, `${name}: ${r.ms.toFixed(0)} ms of CPU, budget ${budget.toFixed(0)} ms`).to.be.at.most(budget);
      expectWellFormed(r.value.problems, g);
    }
    fc.assert(
      fc.property(hostileGroupArb(NS), (g) => {
        const r = cpuMs(() => validateSmiObject(g));
        expect(r.ms, `${r.ms.toFixed(0)} ms of CPU, budget ${budget.toFixed(0)} ms`).to.be.at.most(budget);
        expectWellFormed(r.value.problems, g);
      }),
      { numRuns: RUNS },
    );
  });

  it('absurd quantities: rejected on the field within the budget (1e999999999 took 25 s)', () => {
    for (const q of HOSTILE_QUANTITIES) {
      const ts = split(NS, 'absurd', 'web', [['web-v1', q], ['web-v2', '1']], 'split.smi-spec.io/v1alpha1');
      const r = cpuMs(() => validateSmiObject(ts));
      expect(r.ms, `weight ${q.slice(0, 20)}: ${r.ms.toFixed(0)} ms`).to.be.at.most(budget);
      expectWellFormed(r.value.problems, ts);
      for (const p of r.value.problems) expect(p.path, formatProblem(p)).to.match(/^spec\.backends\[[01]\]\.weight$/);
    }
  });

  for (const mesh of MESH_NAMES) {
    const what = ACCESS_MESHES.includes(mesh) ? 'the governed destinations get nothing more from hostile input (look-alike pods, colliding names, pathological routes)' : 'hostile input translates (it governs no access: TrafficTargets are Unsupported)';
    it(`${mesh}: ${what}, within the budget`, () => {
      const adapter = getAdapter(mesh);
      const translate = (objs: KubeObject[]) => adapter.translate(buildSnapshot(objs).snapshot, DEFAULT_MESH_OPTIONS).objects;
      const before = translate(governedWorld(NS));
      // The hostile objects are new each time (fresh regexes), so this pays every compile.
      const hostile = hostileObjects(NS);
      const r = cpuMs(() => translate([...governedWorld(NS), ...hostile]));
      const groups = hostile.filter((o) => o.kind === 'HTTPRouteGroup').length;
      // Each pathological group at most once through the compile budget, plus linear work.
      const allowed = groups * MAX_COMPILE_MS_PER_GROUP + 4 * reference;
      expect(r.ms, `translation took ${r.ms.toFixed(0)} ms of CPU for ${groups} hostile groups; allowed ${allowed.toFixed(0)} ms`).to.be.at.most(allowed);
      if (ACCESS_MESHES.includes(mesh)) for (const g of GOVERNED) expectNotWider(mesh, before, r.value, { namespace: NS, sa: g.sa, labels: g.labels }, 'with the hostile corpus');
    });
  }

  it('a TrafficTarget of a governed destination naming an invalid hostile group adds nothing there', () => {
    const base = governedWorld(NS);
    for (const shape of REGEX_SHAPES.filter((s) => !s.valid)) {
      const g = routeGroupOf(NS, 'bad', { matches: 4, headers: 2, bytes: 1024 }, shape.make);
      const objs = [...base, g, target(NS, 'evil-to-api', 'api', ['evil'], [{ kind: 'HTTPRouteGroup', name: 'bad' }])];
      for (const mesh of ACCESS_MESHES) {
        const t = (o: KubeObject[]) => getAdapter(mesh).translate(buildSnapshot(o).snapshot, DEFAULT_MESH_OPTIONS).objects;
        expectNotWider(mesh, t(base), t(objs), { namespace: NS, sa: 'api', labels: { app: 'api' } }, shape.name);
      }
    }
  });
});
