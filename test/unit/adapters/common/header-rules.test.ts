// One semantics for empty header regexes, duplicate header names and regex sizes on
// every mesh (issue 11 item 8, issue 18 items 5 and 8): the group is Invalid, whatever
// uses it is not applied, and no mesh is given an object its own validation rejects or
// a match wider than the SMI one. Through both doors: files/cache (buildSnapshot
// validates) and a snapshot that skipped validation (resolve checks again).

import { expect } from 'chai';
import { getAdapter } from '../../../../adapters/index.js';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshOptions, type Snapshot } from '../../../../adapters/types.js';
import { countCompiles, unique } from '../../schemas/compiles.js';
import { hrg, snapshot, split, svc, target, workload } from './fixtures.js';

const enforce: MeshOptions = { ...DEFAULT_MESH_OPTIONS, accessMode: 'enforce' };

/** Every `regex`/`value` string in the emitted objects that is empty. */
function emptyRegexes(objects: readonly KubeObject[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    else if (v === '' && /\.(regex|pathRegex|value)$/.test(at)) found.push(at);
  };
  objects.forEach((o) => walk(o, `${o.kind}/${o.metadata.name}`));
  return found;
}

const services = [svc('web'), svc('web-v1'), svc('web-v2'), svc('api', [8080])];
const workloads = [workload('Deployment/api', 'api', { app: 'api' })];

function scene(headers: Record<string, string>): Snapshot {
  return snapshot({
    services,
    workloads,
    httpRouteGroups: [hrg('beta', [{ name: 'cohort', headers }])],
    trafficSplits: [split('ab', 'web', [['web-v1', 1], ['web-v2', 1]], { matches: ['beta'] })],
    trafficTargets: [target('tt', 'api', [{ kind: 'HTTPRouteGroup', name: 'beta', matches: ['cohort'] }], [{ name: 'web' }])],
  });
}

const cases: Array<[string, Record<string, string>, RegExp]> = [
  ['an empty header regex', { 'x-debug': '' }, /^spec\.matches\[0\]\.headers\.x-debug: is an empty regex/],
  ['one header named twice with different case', { 'X-Cohort': 'beta', 'x-cohort': 'beta|internal-.*' }, /^spec\.matches\[0\]\.headers\.x-cohort: names the same header as X-Cohort/],
];

describe('header rules on every mesh', () => {
  for (const mesh of MESH_NAMES) {
    for (const [what, headers, message] of cases) {
      it(`${mesh}: ${what} makes the group Invalid; neither the split nor the rule is applied`, () => {
        const out = getAdapter(mesh).translate(scene(headers), enforce);
        const result = (ref: string) => out.results.find((r) => r.object === ref);
        expect(result('HTTPRouteGroup shop/beta')?.status).to.equal('Invalid');
        expect(result('HTTPRouteGroup shop/beta')?.messages.some((m) => message.test(m)), JSON.stringify(result('HTTPRouteGroup shop/beta'))).to.equal(true);
        expect(result('TrafficSplit shop/ab')?.status).to.equal('InvalidReference');
        expect(emptyRegexes(out.objects)).to.deep.equal([]);
        // Nothing carries the cohort header: the split is not applied and the rule allows nothing.
        expect(JSON.stringify(out.objects).toLowerCase()).not.to.contain('cohort');
        expect(JSON.stringify(out.objects)).not.to.contain('x-debug');
      });
    }

    it(`${mesh}: the same input from files is reported by validation and never reaches the mesh`, () => {
      const objects: KubeObject[] = [
        { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'beta', namespace: 'shop' }, spec: { matches: [{ name: 'cohort', headers: { 'x-debug': '' } }] } },
        split('ab', 'web', [['web-v1', 1]], { matches: ['beta'] }),
        ...['web', 'web-v1'].map((n): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: n, namespace: 'shop' }, spec: { selector: { app: n }, ports: [{ port: 80 }] } })),
      ];
      const { snapshot: snap, problems } = buildSnapshot(objects);
      expect(problems.map((p) => `${p.object}: ${p.path}`)).to.deep.equal(['HTTPRouteGroup shop/beta: spec.matches[0].headers.x-debug']);
      const out = getAdapter(mesh).translate(snap, enforce);
      expect(emptyRegexes(out.objects)).to.deep.equal([]);
      expect(out.results.find((r) => r.object === 'TrafficSplit shop/ab')?.status).to.equal('InvalidReference');
    });
  }
});

describe('resolve() on a snapshot that skipped validation', () => {
  it('reports a pathRegex or header regex of the wrong type instead of throwing', () => {
    const bad = hrg('bad', [{ name: 'm', pathRegex: 7 as unknown as string, headers: { 'x-a': 8 as unknown as string } }]);
    for (const mesh of MESH_NAMES) {
      const out = getAdapter(mesh).translate(snapshot({ services, httpRouteGroups: [bad], trafficSplits: [split('ab', 'web', [['web-v1', 1]], { matches: ['bad'] })] }), enforce);
      const r = out.results.find((x) => x.object === 'HTTPRouteGroup shop/bad');
      expect(r?.status).to.equal('Invalid');
      expect(r?.messages).to.include.members(['spec.matches[0].pathRegex: must be a string (a regex)', 'spec.matches[0].headers.x-a: must be a string (a regex)']);
    }
  });
});

describe('regexes are compiled once per distinct regex, not per unit', () => {
  it('eight units referencing one HTTPRouteGroup compile each of its regexes once in all (validation and resolve)', () => {
    const path = unique('/api/v[0-9]+/.*');
    const header = unique('.*Firefox.*');
    const group: KubeObject = {
      apiVersion: 'specs.smi-spec.io/v1alpha4',
      kind: 'HTTPRouteGroup',
      metadata: { name: 'routes', namespace: 'shop', uid: 'u1', resourceVersion: '7' },
      spec: { matches: [{ name: 'm', pathRegex: path, headers: { 'user-agent': header } }] },
    };
    const unit = (i: number) => target(`tt${i}`, `sa${i}`, [{ kind: 'HTTPRouteGroup', name: 'routes' }], [{ name: 'web' }]);
    buildSnapshot([{ ...group, spec: { matches: [{ name: 'm', pathRegex: '/warm-up' }] } }, unit(0)]); // compiles the schemas' own patterns once
    const compiles = countCompiles(() => {
      // What the operator does per unit: build the unit's snapshot (validating it) and translate it.
      for (let i = 0; i < 8; i++) {
        const { snapshot: snap } = buildSnapshot([group, unit(i)]);
        for (const mesh of MESH_NAMES) getAdapter(mesh).translate(snap, enforce);
      }
    });
    expect(compiles).to.equal(2);
  });
});
