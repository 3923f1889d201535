// `smictl migrate --to gateway-api` on the samples and on every upstream SMI example:
// no crash, a verdict for every SMI object, stable reviewable output.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { prepareMigration } from '../../../../cli/commands/migrate.js';
import { compare } from '../../../../cli/migrate/diff.js';
import { planYaml, reportLines } from '../../../../cli/migrate/output.js';
import { planMigration } from '../../../../cli/migrate/plan.js';
import { readManifests } from '../../../../cli/input.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { EXAMPLES_DIR, REPO_ROOT } from '../../schemas/paths.js';
import { smictl } from '../run.js';

const UPSTREAM = EXAMPLES_DIR;
const SMI_KINDS = new Set(['TrafficSplit', 'TrafficTarget', 'HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

function smiRefs(objects: KubeObject[]): string[] {
  return objects.filter((o) => SMI_KINDS.has(o.kind)).map((o) => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
}

describe('smictl migrate --to gateway-api', () => {
  it('converts config/samples: routes for both splits, a verdict per SMI object, access left and reported', () => {
    const input = readManifests([join(REPO_ROOT, 'config/samples')]).objects.map((o) => o.object);
    const plan = planMigration(input);
    expect(plan.report.map((r) => r.object).sort()).to.deep.equal([...new Set(smiRefs(input))].sort());
    const byRef = new Map(plan.report.map((r) => [r.object, r]));
    expect(byRef.get('TrafficSplit smi-demo/website-canary')!.verdict).to.equal('exact');
    for (const r of plan.report.filter((x) => x.object.startsWith('TrafficTarget '))) {
      expect(r.verdict).to.equal('not migrated');
      expect(r.reasons.join()).to.contain('no authorization standard');
    }
    const kinds = plan.objects.map((m) => m.object.kind);
    expect(kinds).to.include('HTTPRoute');
    for (const m of plan.objects) {
      expect(m.object.apiVersion).to.equal('gateway.networking.k8s.io/v1');
      // Handed over: no operator labels (it would prune them), no ownerReferences.
      expect(m.object.metadata.labels ?? {}).to.not.have.property('app.kubernetes.io/managed-by');
      expect(m.object.metadata.ownerReferences).to.equal(undefined);
      const parents = (m.object.spec as { parentRefs: Array<{ group: string; kind: string; port?: number }> }).parentRefs;
      expect(parents.every((p) => p.group === '' && p.kind === 'Service' && typeof p.port === 'number')).to.equal(true);
    }
    // Reviewable: a comment naming the source before each document, and stable.
    const out = planYaml(plan);
    expect(out.match(/^# migrated from TrafficSplit /gm)).to.have.lengthOf(plan.objects.length);
    expect(planYaml(planMigration([...input].reverse()))).to.equal(out);
    expect(yaml.loadAll(out).filter(Boolean)).to.have.lengthOf(plan.objects.length);
  });

  it('with --mesh linkerd, TrafficTargets become Linkerd authorization objects and are reported', () => {
    const input = readManifests([join(REPO_ROOT, 'config/samples')]).objects.map((o) => o.object);
    const plan = planMigration(input, 'linkerd');
    expect(plan.objects.some((m) => m.object.apiVersion.startsWith('policy.linkerd.io/'))).to.equal(true);
    for (const r of plan.report.filter((x) => x.object.startsWith('TrafficTarget '))) expect(r.verdict).to.not.equal('not migrated');
  });

  it('reports a pathRegex split as approximated, naming the meshes that honour RegularExpression', () => {
    const input = readManifests([join(REPO_ROOT, 'test/fixtures/adapters/split-ab-headers')]).objects.map((o) => o.object);
    const r = planMigration(input).report.find((x) => x.object.startsWith('TrafficSplit '))!;
    expect(r.verdict).to.equal('approximated');
    expect(r.reasons.join()).to.match(/implementation-specific: Istio \(RE2\) and Linkerd/);
  });

  it('converts every upstream SMI example (INDEX.txt) with a verdict per SMI object and no crash', () => {
    const index = readFileSync(join(UPSTREAM, 'INDEX.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
    expect(index.length).to.be.greaterThan(40);
    for (const file of index) {
      const input = readManifests([join(UPSTREAM, file)]);
      const objects = input.objects.map((o) => o.object);
      const plan = planMigration(objects);
      const reported = new Set(plan.report.map((r) => r.object));
      // Invalid input is named in problems; everything else has a verdict.
      for (const ref of smiRefs(objects)) expect(reported.has(ref) || plan.problems.some((p) => p.startsWith(ref)), `${file}: ${ref}`).to.equal(true);
      expect(reportLines(plan).every((l) => /: (exact|approximated|not migrated)(: |$)|: Invalid/.test(l)), `${file}: ${reportLines(plan).join('\n')}`).to.equal(true);
    }
  });

  it('rejects a usage error with exit 2 naming the flag', () => {
    let err = '';
    expect(prepareMigration({ to: 'gateway-api', filename: ['x'], mesh: 'gamma' }, { out: () => {}, err: (s) => (err += s) })).to.equal(2);
    expect(err).to.contain('--mesh must be one of istio, linkerd, consul');
  });

  it('--diff compares on spec, labels and annotations', () => {
    const desired = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'a', annotations: { k: 'v' } }, spec: { rules: [1], parentRefs: [2] } } as unknown as KubeObject;
    expect(compare(desired, undefined).action).to.equal('create');
    expect(compare(desired, { ...desired, metadata: { ...desired.metadata, resourceVersion: '9' } }).action).to.equal('unchanged');
    expect(compare(desired, { ...desired, spec: { rules: [0], parentRefs: [2] } } as unknown as KubeObject)).to.deep.include({ action: 'change', fields: ['spec.rules'] });
  });

  it('the built CLI prints YAML on stdout and the report on stderr', () => {
    const r = smictl(['migrate', '--to', 'gateway-api', '-f', 'config/samples/']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('kind: HTTPRoute');
    expect(r.stderr).to.contain('TrafficSplit smi-demo/website-canary: exact');
  });
});
