import { expect } from 'chai';
import fc from 'fast-check';
import {
  convert,
  DESTINATION_PORT_ANNOTATION,
  fromHub,
  HUB_FIELDS_ANNOTATION,
  isSmiObject,
  toHub,
  V1ALPHA1_WEIGHTS_ANNOTATION,
} from '../../../schemas/conversion.js';
import type { KubeObject, TrafficSplit, TrafficTarget } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { apiVersionsOf, KIND_TABLE } from '../../../schemas/versions.js';
import { validObject } from './arbitraries.js';

const RUNS = { numRuns: 150 };

function hubOf(obj: KubeObject) {
  const r = toHub(obj);
  expect(r.problems.map(formatProblem)).to.deep.equal([]);
  return r.hub!;
}

describe('conversion', () => {
  describe('round trips (property-based)', () => {
    for (const info of KIND_TABLE) {
      for (const version of info.versions) {
        const apiVersion = `${info.group}/${version}`;
        it(`${info.kind} ${version} -> hub -> ${version} is the identity`, () => {
          fc.assert(
            fc.property(validObject(info.kind, version), (obj) => {
              const hub = hubOf(obj);
              expect(hub.apiVersion).to.equal(`${info.group}/${info.storageVersion}`);
              expect(fromHub(hub, apiVersion).object).to.deep.equal(obj);
            }),
            RUNS,
          );
        });
        it(`${info.kind} hub -> ${version} -> hub is the identity`, () => {
          fc.assert(
            fc.property(validObject(info.kind, info.storageVersion), (hubObj) => {
              const hub = hubOf(hubObj);
              const down = fromHub(hub, apiVersion).object!;
              expect(down.apiVersion).to.equal(apiVersion);
              expect(hubOf(down)).to.deep.equal(hub);
            }),
            RUNS,
          );
        });
      }
      if (info.versions.length > 1) {
        it(`${info.kind}: any version -> any version -> back is the identity`, () => {
          const versions = apiVersionsOf(info.kind);
          fc.assert(
            fc.property(
              fc.constantFrom(...info.versions).chain((v) => validObject(info.kind, v)),
              fc.constantFrom(...versions),
              (obj, via) => {
                const there = convert(obj, via);
                expect(there.problems).to.deep.equal([]);
                expect(convert(there.object!, obj.apiVersion).object).to.deep.equal(obj);
              },
            ),
            RUNS,
          );
        });
      }
    }
  });

  describe('TrafficSplit v1alpha1 quantities', () => {
    const v1 = (weights: unknown[]): KubeObject => ({
      apiVersion: 'split.smi-spec.io/v1alpha1',
      kind: 'TrafficSplit',
      metadata: { name: 'q', namespace: 'shop' },
      spec: { service: 'web', backends: weights.map((weight, i) => ({ service: `web-${i}`, weight })) },
    });
    const weightsOf = (obj: KubeObject) => (hubOf(obj) as TrafficSplit).spec.backends.map((b) => b.weight);

    it('scales every weight to the smallest unit used, so 1 = 1000m', () => {
      expect(weightsOf(v1([1, '500m']))).to.deep.equal([1000, 500]);
      expect(weightsOf(v1(['1', '1000m']))).to.deep.equal([1000, 1000]);
      expect(weightsOf(v1(['10m', '100m', '1500m']))).to.deep.equal([10, 100, 1500]);
      expect(weightsOf(v1(['1k', 1]))).to.deep.equal([1000, 1]);
      expect(weightsOf(v1(['1Ki', 24]))).to.deep.equal([1024, 24]);
    });
    it('keeps fractional weights exact by going to a finer unit', () => {
      expect(weightsOf(v1(['1.5', 2]))).to.deep.equal([15, 20]);
      expect(weightsOf(v1(['0.5m', '1m']))).to.deep.equal([5, 10]);
      expect(weightsOf(v1(['1e2', 1]))).to.deep.equal([100, 1]);
    });
    it('leaves plain integer weights alone and adds no annotation', () => {
      const hub = hubOf(v1([90, 10]));
      expect((hub as TrafficSplit).spec.backends.map((b) => b.weight)).to.deep.equal([90, 10]);
      expect(hub.metadata.annotations).to.equal(undefined);
    });
    it('remembers the Quantities as written and restores them only while they still match', () => {
      const hub = hubOf(v1(['1', '500m'])) as TrafficSplit;
      expect(hub.metadata.annotations?.[V1ALPHA1_WEIGHTS_ANNOTATION]).to.equal('["1","500m"]');
      const edited = structuredClone(hub);
      edited.spec.backends[1]!.weight = 250;
      const back = fromHub(edited, 'split.smi-spec.io/v1alpha1').object!;
      expect((back.spec as TrafficSplit['spec']).backends.map((b) => b.weight)).to.deep.equal([1000, 250]);
      expect(back.metadata.annotations).to.equal(undefined);
    });
    it('reports a weight too large to hold once scaled, naming the field', () => {
      const r = toHub(v1(['9E', '1n']));
      expect(r.hub).to.equal(undefined);
      expect(r.problems.map(formatProblem)).to.deep.equal([
        'TrafficSplit shop/q: spec.backends[0].weight: "9E" is too large once all weights are scaled to a common unit (10^-9)',
      ]);
    });
    it('rejects a string that is not a quantity, structurally', () => {
      const r = toHub(v1(['ten']));
      expect(r.problems.map(formatProblem)).to.deep.equal([
        'TrafficSplit shop/q: spec.backends[0].weight: must be a whole number or a Kubernetes quantity such as 100m',
      ]);
    });
  });

  describe('fields the hub lacks', () => {
    it('carries TrafficTarget destination.port through the hub in an annotation', () => {
      const v2: KubeObject = {
        apiVersion: 'access.smi-spec.io/v1alpha2',
        kind: 'TrafficTarget',
        metadata: { name: 'tt', namespace: 'default' },
        spec: { destination: { kind: 'ServiceAccount', name: 'api', port: 8080 }, rules: [{ kind: 'TCPRoute', name: 'p' }] },
      };
      const hub = hubOf(v2) as TrafficTarget;
      expect(hub.metadata.annotations).to.deep.equal({ [DESTINATION_PORT_ANNOTATION]: '8080' });
      expect(hub.spec.destination).to.deep.equal({ kind: 'ServiceAccount', name: 'api' });
      const v1 = convert(v2, 'access.smi-spec.io/v1alpha1').object!;
      expect(v1.destination).to.deep.equal({ kind: 'ServiceAccount', name: 'api', port: 8080 });
      expect(v1.specs).to.deep.equal([{ kind: 'TCPRoute', name: 'p' }]);
      expect(v1.spec).to.equal(undefined);
    });
    it('keeps TrafficSplit spec.matches while the object is seen as v1alpha2', () => {
      const hub: KubeObject = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'ab' },
        spec: { service: 'web', backends: [{ service: 'b', weight: 1 }], matches: [{ kind: 'HTTPRouteGroup', name: 'ff' }] },
      };
      const v2 = convert(hub, 'split.smi-spec.io/v1alpha2').object!;
      expect((v2.spec as Record<string, unknown>).matches).to.equal(undefined);
      expect(JSON.parse(v2.metadata.annotations![HUB_FIELDS_ANNOTATION]!)).to.deep.equal({ 'spec.matches': [{ kind: 'HTTPRouteGroup', name: 'ff' }] });
      expect(convert(v2, 'split.smi-spec.io/v1alpha4').object).to.deep.equal(hub);
    });
  });

  describe('headers', () => {
    const group = (headers: unknown): KubeObject => ({
      apiVersion: 'specs.smi-spec.io/v1alpha4',
      kind: 'HTTPRouteGroup',
      metadata: { name: 'g', namespace: 'ns' },
      spec: { matches: [{ name: 'm', headers }] },
    });
    it('normalises a list of single-key maps to a map', () => {
      const hub = hubOf(group([{ 'user-agent': '.*Firefox.*' }, { cookie: 'x=1' }]));
      expect((hub.spec as { matches: Array<{ headers: unknown }> }).matches[0]!.headers).to.deep.equal({ 'user-agent': '.*Firefox.*', cookie: 'x=1' });
    });
    it('reports a header listed twice with different regexes', () => {
      const r = toHub(group([{ a: 'x' }, { a: 'y' }]));
      expect(r.problems.map(formatProblem)).to.deep.equal(['HTTPRouteGroup ns/g: spec.matches[0].headers[1].a: header given twice with different regexes ("x", "y")']);
    });
    it('reports headers of the wrong shape, naming the field', () => {
      expect(toHub(group('x-canary')).problems.map(formatProblem)).to.deep.equal([
        'HTTPRouteGroup ns/g: spec.matches[0].headers: must be a map of header name to regex, or a list of single-key maps',
      ]);
    });
  });

  describe('errors', () => {
    it('isSmiObject knows served versions only', () => {
      expect(isSmiObject({ apiVersion: 'split.smi-spec.io/v1alpha2', kind: 'TrafficSplit' })).to.equal(true);
      expect(isSmiObject({ apiVersion: 'specs.smi-spec.io/v1alpha3', kind: 'UDPRoute' })).to.equal(false);
      expect(isSmiObject({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute' })).to.equal(false);
      expect(isSmiObject({ apiVersion: 'v1', kind: 'Service' })).to.equal(false);
    });
    it('refuses an unserved target version', () => {
      const obj: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: { name: 'u' }, spec: {} };
      expect(convert(obj, 'specs.smi-spec.io/v1alpha2').problems.map(formatProblem)).to.deep.equal([
        'UDPRoute default/u: apiVersion: specs.smi-spec.io/v1alpha2 is not a served SMI version of UDPRoute (see smictl convert --help)',
      ]);
    });
    it('returns structural problems instead of throwing on garbage', () => {
      const obj = { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: { name: 't' }, spec: { destination: 'sa', rules: 3 } } as unknown as KubeObject;
      expect(toHub(obj).problems.map(formatProblem)).to.deep.equal([
        'TrafficTarget default/t: spec.destination: must be object',
        'TrafficTarget default/t: spec.rules: must be array',
      ]);
    });
  });
});

describe('convert (webhook semantics)', () => {
  it('converts an object that breaks a value rule (stored before the rule), but not one of the wrong shape', () => {
    const stored: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'Legacy_Name' }, spec: { matches: { ports: [0, 80] } } };
    expect(toHub(stored).problems.map(formatProblem)).to.deep.equal(['TCPRoute default/Legacy_Name: spec.matches.ports[0]: must be >= 1']);
    const r = convert(stored, 'specs.smi-spec.io/v1alpha1');
    expect(r.problems).to.deep.equal([]);
    expect(JSON.parse(r.object!.metadata.annotations![HUB_FIELDS_ANNOTATION]!)).to.deep.equal({ 'spec.matches': { ports: [0, 80] } });
    const broken = { ...stored, spec: { matches: { ports: 'all' } } } as KubeObject;
    expect(convert(broken, 'specs.smi-spec.io/v1alpha1').problems.map(formatProblem)).to.deep.equal(['TCPRoute default/Legacy_Name: spec.matches.ports: must be array']);
  });
  it('returns a copy when the object is already at the target version', () => {
    const obj: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: { name: 'u' }, spec: {} };
    const r = convert(obj, 'specs.smi-spec.io/v1alpha4');
    expect(r.object).to.deep.equal(obj);
    expect(r.object).to.not.equal(obj);
  });
});
