// The interpreters must be able to fail: translate each scenario offline with
// the pure adapters, check the verdicts agree with the expectations, then break
// the native objects (drop a policy, change a weight) and check a verdict flips.

import { expect } from 'chai';
import { getAdapter } from '../../adapters/index.js';
import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshName } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { appModel, observe, outcomeOf } from '../../conformance/evaluate.js';
import type { World } from '../../conformance/interpret/index.js';
import { junit, summarize } from '../../conformance/report.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { levelsOf, type AssertionResult, type NsMap, type Scenario } from '../../conformance/types.js';

const ns: NsMap = (l) => `ns-${l}`;

/** Objects present after each step (apply adds/replaces, remove deletes). */
function stepStates(s: Scenario): Array<{ objects: KubeObject[]; step: Scenario['steps'][number] }> {
  const key = (o: { kind: string; name: string; ns?: string }) => `${o.kind}/${o.ns}/${o.name}`;
  const live = new Map<string, KubeObject>();
  for (const o of s.app(ns)) live.set(key({ kind: o.kind, name: o.metadata.name, ns: o.metadata.namespace }), o);
  return s.steps.map((step) => {
    for (const o of step.apply?.(ns) ?? []) live.set(key({ kind: o.kind, name: o.metadata.name, ns: o.metadata.namespace }), o);
    for (const r of step.remove ?? []) live.delete(key({ kind: r.kind, name: r.name, ns: ns(r.ns ?? 'app') }));
    return { objects: [...live.values()], step };
  });
}

function worldFor(mesh: MeshName, objects: KubeObject[]): World {
  const { snapshot } = buildSnapshot(objects);
  const out = getAdapter(mesh).translate(snapshot, DEFAULT_MESH_OPTIONS);
  return { natives: out.objects, ...appModel(objects), trustDomain: 'cluster.local', clusterDomain: 'cluster.local' };
}

describe('conformance interpreters (offline, pure adapters)', () => {
  for (const mesh of MESH_NAMES) {
    it(`${mesh}: offline verdicts match every non-status expectation`, () => {
      for (const s of SCENARIOS) {
        for (const { objects, step } of stepStates(s)) {
          const world = worldFor(mesh, objects);
          for (const a of step.assertions.filter((x) => x.kind !== 'status' && levelsOf(x).includes('config'))) {
            const o = observe(mesh, world, a, ns);
            const { outcome } = outcomeOf(s, mesh, a, o.ok);
            expect(['passed', 'expected-unsupported'], `${s.id} / ${step.title} / ${a.name}: ${o.detail}`).to.include(outcome);
          }
        }
      }
    });

    it(`${mesh}: removing the access policy objects turns an allow into something else`, () => {
      const s = SCENARIOS.find((x) => x.id === 'access-default-deny')!;
      const [{ objects, step }] = stepStates(s) as [{ objects: KubeObject[]; step: Scenario['steps'][number] }];
      const world = worldFor(mesh, objects);
      const allow = step.assertions.find((a) => a.name === 'c->b GET /echo allowed')!;
      if (s.unsupported?.[mesh]?.assertions.includes(allow.name)) {
        // A mesh without authorization (gamma): the declared gap is real.
        expect(observe(mesh, world, allow, ns).ok).to.equal(false);
        return;
      }
      expect(observe(mesh, world, allow, ns).ok).to.equal(true);
      const policyKinds = ['AuthorizationPolicy', 'ServiceIntentions', 'MeshTLSAuthentication'];
      const broken = { ...world, natives: world.natives.filter((o) => !policyKinds.includes(o.kind)) };
      expect(observe(mesh, broken, allow, ns).ok).to.equal(false);
    });

    it(`${mesh}: changing a split weight is caught`, () => {
      const s = SCENARIOS.find((x) => x.id === 'split-relative-weights')!;
      const [{ objects, step }] = stepStates(s) as [{ objects: KubeObject[]; step: Scenario['steps'][number] }];
      const a = step.assertions[0]!;
      const good = worldFor(mesh, objects);
      expect(observe(mesh, good, a, ns).ok).to.equal(true);
      const skewed = objects.map((o) => (o.kind === 'TrafficSplit' ? { ...o, spec: { ...(o.spec as object), backends: [{ service: 'service-b', weight: 1 }, { service: 'service-c', weight: 1 }] } } : o));
      expect(observe(mesh, worldFor(mesh, skewed), a, ns).ok).to.equal(false);
    });

    it(`${mesh}: a 0.1 % canary that gets nothing is caught, not rounded away`, () => {
      const s = SCENARIOS.find((x) => x.id === 'split-canary-precision')!;
      const [{ objects, step }] = stepStates(s) as [{ objects: KubeObject[]; step: Scenario['steps'][number] }];
      const a = step.assertions[0]!;
      expect(observe(mesh, worldFor(mesh, objects), a, ns).ok).to.equal(true);
      const starved = objects.map((o) => (o.kind === 'TrafficSplit' ? { ...o, spec: { ...(o.spec as object), backends: [{ service: 'service-b', weight: 999 }, { service: 'service-c', weight: 0 }] } } : o));
      expect(observe(mesh, worldFor(mesh, starved), a, ns).ok).to.equal(false);
    });

    it(`${mesh}: an empty world (operator did nothing) fails every allow/deny/split expectation that needs policy`, () => {
      const s = SCENARIOS.find((x) => x.id === 'specs-path')!;
      const [{ objects, step }] = stepStates(s) as [{ objects: KubeObject[]; step: Scenario['steps'][number] }];
      const empty: World = { ...worldFor(mesh, objects), natives: [] };
      const denies = step.assertions.filter((a) => a.kind === 'access' && a.expect === 'deny');
      expect(denies.length).to.be.greaterThan(0);
      for (const a of denies) expect(observe(mesh, empty, a, ns).ok, a.name).to.equal(false);
    });
  }

  it('a declared gap that passes is reported, not hidden', () => {
    const s = SCENARIOS.find((x) => x.id === 'access-tcp-ports')!;
    const a = s.steps[0]!.assertions[0]!;
    expect(outcomeOf(s, 'consul', a, true).outcome).to.equal('unexpectedly-passed');
    expect(outcomeOf(s, 'consul', a, false).outcome).to.equal('expected-unsupported');
    expect(outcomeOf(s, 'istio', a, false).outcome).to.equal('failed');
  });

  it('reports: pass %, Meshery-style capability per spec, JUnit', () => {
    const r = (outcome: AssertionResult['outcome'], spec: AssertionResult['spec'] = 'traffic-access'): AssertionResult => ({ scenario: 's', spec, versions: ['v'], step: 'st', assertion: `a-${Math.random()}`, outcome, detail: 'd', durationMs: 1 });
    const rep = summarize('istio', 'config', [r('passed'), r('passed'), r('expected-unsupported'), r('failed', 'traffic-split'), r('passed', 'traffic-split'), r('passed', 'traffic-specs')]);
    expect(rep.passPercent).to.equal(80);
    expect(Object.fromEntries(rep.specs.map((s) => [s.spec, s.capability]))).to.deep.equal({ 'traffic-access': 'PARTIAL', 'traffic-split': 'PARTIAL', 'traffic-specs': 'FULL' });
    const none = summarize('istio', 'config', [r('failed'), r('failed'), r('passed')]);
    expect(none.specs[0]!.capability).to.equal('NONE');
    const xml = junit([rep]);
    expect(xml).to.match(/<testsuite name="istio.config" tests="6" failures="1" skipped="1">/);
    expect(xml.match(/<failure /g)).to.have.lengthOf(1);
  });
});
