import { expect } from 'chai';
import type { KubeObject, SmiObject, TrafficTarget } from '../../../schemas/hub.js';
import { toHub } from '../../../schemas/conversion.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../../schemas/validate.js';

const lines = (obj: KubeObject) => validateSmiObject(obj).problems.map(formatProblem);

const split = (spec: Record<string, unknown>, version = 'v1alpha4'): KubeObject => ({
  apiVersion: `split.smi-spec.io/${version}`,
  kind: 'TrafficSplit',
  metadata: { name: 'canary', namespace: 'shop' },
  spec,
});

const target = (spec: Record<string, unknown>, namespace = 'shop'): KubeObject => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name: 'allow', namespace },
  spec,
});

const group = (matches: unknown[]): KubeObject => ({
  apiVersion: 'specs.smi-spec.io/v1alpha4',
  kind: 'HTTPRouteGroup',
  metadata: { name: 'routes', namespace: 'shop' },
  spec: { matches },
});

const SA = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });

describe('validateSmiObject', () => {
  describe('TrafficSplit', () => {
    it('accepts a valid split and returns its hub', () => {
      const r = validateSmiObject(split({ service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }] }));
      expect(r.problems).to.deep.equal([]);
      expect(r.hub?.apiVersion).to.equal('split.smi-spec.io/v1alpha4');
    });
    it('reports every problem of the object, each naming the field', () => {
      const r = validateSmiObject(
        split({
          service: 'web',
          backends: [
            { service: 'web', weight: 0 },
            { service: 'web-v2', weight: -5 },
            { service: 'web-v2', weight: 0 },
          ],
        }),
      );
      expect(r.hub).to.equal(undefined);
      expect(r.problems.map(formatProblem)).to.deep.equal([
        'TrafficSplit shop/canary: spec.backends[1].weight: must be a non-negative whole number, got -5',
        'TrafficSplit shop/canary: spec.backends[2].service: duplicate backend web-v2 (also spec.backends[1])',
        'TrafficSplit shop/canary: spec.backends: at least one backend needs a positive weight',
      ]);
    });
    it('rejects fractional weights from v1alpha2 on, and negative v1alpha1 quantities', () => {
      expect(lines(split({ service: 'web', backends: [{ service: 'a', weight: 1.5 }] }, 'v1alpha2'))).to.deep.equal([
        'TrafficSplit shop/canary: spec.backends[0].weight: must be integer',
      ]);
      expect(lines(split({ service: 'web', backends: [{ service: 'a', weight: '-1' }, { service: 'b', weight: 1 }] }, 'v1alpha1'))).to.deep.equal([
        'TrafficSplit shop/canary: spec.backends[0].weight: "-1" is negative; weights must be >= 0',
      ]);
    });
    it('reports an unknown field together with the semantic problems', () => {
      expect(lines(split({ service: 'web', backends: [{ service: 'a', weight: 0 }], typo: true }))).to.deep.equal([
        'TrafficSplit shop/canary: spec.typo: unknown field',
        'TrafficSplit shop/canary: spec.backends: at least one backend needs a positive weight',
      ]);
    });
    it('accepts the root Service as its own backend: Argo Rollouts\' default SMI split (v1alpha1, root = stable)', () => {
      // What Argo Rollouts writes with `trafficRouting: smi: {}`: canary first, then the stable Service, which is also the root.
      const argo = split({ service: 'rollouts-demo-stable', backends: [{ service: 'rollouts-demo-canary', weight: '5' }, { service: 'rollouts-demo-stable', weight: '95' }] }, 'v1alpha1');
      expect(lines(argo)).to.deep.equal([]);
      expect(lines(split({ service: 'web', backends: [{ service: 'web', weight: 100 }] }))).to.deep.equal([]);
    });
    it('rejects unknown fields and missing required ones', () => {
      expect(lines(split({ service: 'web', backend: [] }))).to.deep.equal([
        'TrafficSplit shop/canary: spec.backends: is required',
        'TrafficSplit shop/canary: spec.backend: unknown field',
      ]);
    });
    it('allows only HTTPRouteGroup matches', () => {
      expect(lines(split({ service: 'web', backends: [{ service: 'a', weight: 1 }], matches: [{ kind: 'TCPRoute', name: 'x' }] }))).to.deep.equal([
        'TrafficSplit shop/canary: spec.matches[0].kind: must be one of "HTTPRouteGroup"',
      ]);
    });
  });

  describe('TrafficTarget', () => {
    const rules = [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['metrics'] }];
    it('accepts a valid target and defaults subject namespaces to its own', () => {
      const r = validateSmiObject(target({ destination: SA('api'), rules, sources: [SA('prom'), SA('web', 'front')] }));
      expect(r.problems).to.deep.equal([]);
      const spec = (r.hub as TrafficTarget).spec;
      expect(spec.destination.namespace).to.equal('shop');
      expect(spec.sources!.map((s) => s.namespace)).to.deep.equal(['shop', 'front']);
    });
    it('requires ServiceAccounts and the destination in its own namespace', () => {
      expect(lines(target({ destination: { kind: 'Group', name: 'g', namespace: 'other' }, rules, sources: [{ kind: 'User', name: 'u' }] }))).to.deep.equal([
        'TrafficTarget shop/allow: spec.destination.kind: must be ServiceAccount, got Group',
        'TrafficTarget shop/allow: spec.destination.namespace: must be the TrafficTarget\'s own namespace shop, got other',
        'TrafficTarget shop/allow: spec.sources[0].kind: must be ServiceAccount, got User',
      ]);
    });
    it('v1alpha3 needs at least one rule and one source', () => {
      expect(lines(target({ destination: SA('api'), rules: [], sources: [] }))).to.deep.equal([
        'TrafficTarget shop/allow: spec.rules: must list at least one rule',
        'TrafficTarget shop/allow: spec.sources: must list at least one source',
      ]);
      expect(lines(target({ destination: SA('api') }))).to.have.length(2);
    });
    it('v1alpha2 may omit rules and sources; the port must be 1..65535', () => {
      const v2 = (port: number): KubeObject => ({ ...target({ destination: { ...SA('api'), port } }), apiVersion: 'access.smi-spec.io/v1alpha2' });
      expect(lines(v2(8080))).to.deep.equal([]);
      expect(lines(v2(70000))).to.deep.equal(['TrafficTarget shop/allow: spec.destination.port: must be <= 65535']);
    });
    it('checks rule kinds per version and matches on non-HTTP rules', () => {
      expect(lines(target({ destination: SA('api'), rules: [{ kind: 'GRPCRoute', name: 'x' }], sources: [SA('a')] }))).to.deep.equal([
        'TrafficTarget shop/allow: spec.rules[0].kind: must be one of "HTTPRouteGroup", "TCPRoute", "UDPRoute"',
      ]);
      expect(lines(target({ destination: SA('api'), rules: [{ kind: 'TCPRoute', name: 'x', matches: ['m'] }], sources: [SA('a')] }))).to.deep.equal([
        'TrafficTarget shop/allow: spec.rules[0].matches: only HTTPRouteGroup rules name matches; TCPRoute x has none to select',
      ]);
    });
    it('names v1alpha1 fields as written (no spec wrapper, specs for rules)', () => {
      const v1: KubeObject = { apiVersion: 'access.smi-spec.io/v1alpha1', kind: 'TrafficTarget', metadata: { name: 'old' }, destination: { kind: 'Pod', name: 'x' } };
      expect(lines(v1)).to.deep.equal(['TrafficTarget default/old: destination.kind: must be ServiceAccount, got Pod']);
    });
  });

  describe('HTTPRouteGroup', () => {
    it('accepts RE2 regexes in both headers shapes', () => {
      expect(lines(group([{ name: 'a', pathRegex: '/api/.*', methods: ['GET'], headers: { 'user-agent': '.*Firefox.*' } }]))).to.deep.equal([]);
      expect(lines(group([{ name: 'a', headers: [{ cookie: '^(.*?;)?(type=insider)(;.*)?$' }] }]))).to.deep.equal([]);
    });
    it('rejects look-around, back-references and bad syntax, methods off the enum and duplicate names, all at once', () => {
      expect(
        lines(
          group([
            { name: 'a', pathRegex: '/(?!admin).*', methods: ['FETCH'] },
            { name: 'a', headers: { cookie: '(a)\\1' } },
            { name: 'b', pathRegex: '[' },
          ]),
        ),
      ).to.deep.equal([
        'HTTPRouteGroup shop/routes: spec.matches[0].methods[0]: must be one of "*", "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"',
        'HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: not a valid RE2 regex: invalid or unsupported Perl syntax: `(?!`',
        'HTTPRouteGroup shop/routes: spec.matches[1].name: duplicate match name a (also spec.matches[0])',
        'HTTPRouteGroup shop/routes: spec.matches[1].headers.cookie: not a valid RE2 regex: invalid escape sequence: `\\1`',
        'HTTPRouteGroup shop/routes: spec.matches[2].pathRegex: not a valid RE2 regex: missing closing ]: `[`',
      ]);
    });
    it('reports shape problems and still checks the matches that are well typed', () => {
      expect(lines(group([{ name: 'a', pathRegex: '[' }, { pathRegex: 7 }]))).to.deep.equal([
        'HTTPRouteGroup shop/routes: spec.matches[1].name: is required',
        'HTTPRouteGroup shop/routes: spec.matches[1].pathRegex: must be string',
        'HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: not a valid RE2 regex: missing closing ]: `[`',
      ]);
    });
  });

  describe('TCPRoute / UDPRoute', () => {
    it('checks ports are 1..65535 and accepts an empty list (all ports)', () => {
      const route = (kind: string, ports: number[]): KubeObject => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind, metadata: { name: 'r' }, spec: { matches: { ports } } });
      expect(lines(route('TCPRoute', []))).to.deep.equal([]);
      expect(lines(route('UDPRoute', [0, 53, 65536]))).to.deep.equal([
        'UDPRoute default/r: spec.matches.ports[0]: must be >= 1',
        'UDPRoute default/r: spec.matches.ports[2]: must be <= 65535',
      ]);
    });
  });
});

describe('validateSmiObject: schema and rule problems together', () => {
  it('TrafficSplit: a fractional weight does not hide a negative weight or a duplicate', () => {
    const obj: KubeObject = {
      apiVersion: 'split.smi-spec.io/v1alpha4',
      kind: 'TrafficSplit',
      metadata: { name: 's', namespace: 'x' },
      spec: { service: 'web', backends: [{ service: 'v2', weight: -1 }, { service: 'v2', weight: 1.5 }] },
    };
    expect(lines(obj)).to.deep.equal([
      'TrafficSplit x/s: spec.backends[1].weight: must be integer',
      'TrafficSplit x/s: spec.backends[0].weight: must be a non-negative whole number, got -1',
      'TrafficSplit x/s: spec.backends[1].service: duplicate backend v2 (also spec.backends[0])',
    ]);
    // The webhook's conversion is still stopped by the shape problem alone.
    expect(toHub(obj).hub).to.equal(undefined);
  });
  it('TrafficSplit: rules reading an unreadable field are skipped, the others run', () => {
    // service of the wrong type: no self-reference check, duplicates still found.
    expect(lines(split({ service: 5, backends: [{ service: 'a', weight: 0 }, { service: 'a', weight: 0 }, { weight: 'x' }] }))).to.deep.equal([
      'TrafficSplit shop/canary: spec.service: must be string',
      'TrafficSplit shop/canary: spec.backends[2].service: is required',
      'TrafficSplit shop/canary: spec.backends[2].weight: must be integer',
      'TrafficSplit shop/canary: spec.backends[1].service: duplicate backend a (also spec.backends[0])',
    ]);
    // backends of the wrong type: not "must list at least one backend" on top.
    expect(lines(split({ service: 'web', backends: { a: 1 } }))).to.deep.equal(['TrafficSplit shop/canary: spec.backends: must be array']);
    // every readable weight 0 and none unreadable: the positive-weight rule runs.
    expect(lines(split({ service: 'web', backends: [{ service: 7, weight: 0 }, { service: 'b', weight: 0 }] }))).to.deep.equal([
      'TrafficSplit shop/canary: spec.backends[0].service: must be string',
      'TrafficSplit shop/canary: spec.backends: at least one backend needs a positive weight',
    ]);
  });
  it('TrafficSplit v1alpha1: a malformed or unscalable Quantity does not hide the other problems', () => {
    expect(lines(split({ service: 'web', backends: [{ service: 'web', weight: '-1' }, { service: 'b', weight: true }, { service: 'b', weight: 1 }] }, 'v1alpha1'))).to.deep.equal([
      'TrafficSplit shop/canary: spec.backends[1].weight: must be a whole number or a Kubernetes quantity such as 100m',
      'TrafficSplit shop/canary: spec.backends[0].weight: "-1" is negative; weights must be >= 0',
      'TrafficSplit shop/canary: spec.backends[2].service: duplicate backend b (also spec.backends[1])',
    ]);
    expect(lines(split({ service: 'web', backends: [{ service: 'a', weight: '9E' }, { service: 'web', weight: '1n' }] }, 'v1alpha1'))).to.deep.equal([
      'TrafficSplit shop/canary: spec.backends[0].weight: "9E" is too large once all weights are scaled to a common unit (10^-9)',
    ]);
  });
  it('TrafficTarget: wrong types and missing fields next to rule violations', () => {
    const obj = target({
      destination: { kind: 'Pod', name: 3, namespace: 'other' },
      rules: [{ kind: 'TCPRoute', name: 'r', matches: ['m'] }, { kind: 'HTTPRouteGroup' }],
      sources: 'everyone',
    });
    expect(lines(obj)).to.deep.equal([
      'TrafficTarget shop/allow: spec.destination.name: must be string',
      'TrafficTarget shop/allow: spec.rules[1].name: is required',
      'TrafficTarget shop/allow: spec.sources: must be array',
      'TrafficTarget shop/allow: spec.destination.kind: must be ServiceAccount, got Pod',
      "TrafficTarget shop/allow: spec.destination.namespace: must be the TrafficTarget's own namespace shop, got other",
      'TrafficTarget shop/allow: spec.rules[0].matches: only HTTPRouteGroup rules name matches; TCPRoute r has none to select',
    ]);
    // An unreadable list is not reported as empty.
    expect(lines(target({ destination: SA('api'), rules: 'all', sources: [{ kind: 'User', name: 'u' }, 5] }))).to.deep.equal([
      'TrafficTarget shop/allow: spec.rules: must be array',
      'TrafficTarget shop/allow: spec.sources[1]: must be object',
      'TrafficTarget shop/allow: spec.sources[0].kind: must be ServiceAccount, got User',
    ]);
  });
  it('HTTPRouteGroup: malformed matches and headers next to regex and duplicate-name problems', () => {
    expect(
      lines(
        group([
          { name: 'a', pathRegex: '[' },
          { name: 'a', pathRegex: 7 },
          { headers: [{ a: '(?=x)', b: 1 }] },
          { name: 'c', headers: { h: '(?!y)' }, methods: [1] },
        ]),
      ),
    ).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches[1].pathRegex: must be string',
      'HTTPRouteGroup shop/routes: spec.matches[2].name: is required',
      'HTTPRouteGroup shop/routes: spec.matches[2].headers: must be a map of header name to regex, or a list of single-key maps',
      'HTTPRouteGroup shop/routes: spec.matches[3].methods[0]: must be string',
      'HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: not a valid RE2 regex: missing closing ]: `[`',
      'HTTPRouteGroup shop/routes: spec.matches[1].name: duplicate match name a (also spec.matches[0])',
      'HTTPRouteGroup shop/routes: spec.matches[3].headers.h: not a valid RE2 regex: invalid or unsupported Perl syntax: `(?!`',
    ]);
    // v1alpha1 layout (no spec): a header given twice is a conversion problem; the other checks still run.
    const v2: KubeObject = {
      apiVersion: 'specs.smi-spec.io/v1alpha2',
      kind: 'HTTPRouteGroup',
      metadata: { name: 'old', namespace: 'shop' },
      matches: [{ name: 'a', headers: [{ h: 'x' }, { h: 'y' }] }, { name: 'a', pathRegex: '(' }],
    };
    expect(lines(v2)).to.deep.equal([
      'HTTPRouteGroup shop/old: matches[0].headers[1].h: header given twice with different regexes ("x", "y")',
      'HTTPRouteGroup shop/old: matches[1].name: duplicate match name a (also matches[0])',
      'HTTPRouteGroup shop/old: matches[1].pathRegex: not a valid RE2 regex: missing closing ): `(`',
    ]);
  });
});

describe('validateReferences', () => {
  const hub = (obj: KubeObject): SmiObject => {
    const r = validateSmiObject(obj);
    expect(r.problems).to.deep.equal([]);
    return r.hub!;
  };
  const routes = hub(group([{ name: 'metrics', pathRegex: '/metrics' }, { name: 'api' }]));
  const tt = hub(target({ destination: SA('api'), rules: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['metrics', 'health'] }], sources: [SA('prom')] }));

  it('flags rule matches the referenced HTTPRouteGroup does not define', () => {
    expect(validateReferences(tt, [routes]).map(formatProblem)).to.deep.equal([
      'TrafficTarget shop/allow: spec.rules[0].matches[1]: HTTPRouteGroup shop/routes has no match named health (it has: metrics, api)',
    ]);
  });
  it('says nothing when the group is not given or lives in another namespace', () => {
    expect(validateReferences(tt, [])).to.deep.equal([]);
    const elsewhere = { ...routes, metadata: { ...routes.metadata, namespace: 'other' } } as SmiObject;
    expect(validateReferences(tt, [elsewhere])).to.deep.equal([]);
  });

  describe('TrafficSplits', () => {
    const ts = (name: string, service: string, backends: string[], namespace = 'shop') =>
      hub({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name, namespace }, spec: { service, backends: backends.map((b) => ({ service: b, weight: 1 })) } });
    const web = ts('web', 'web', ['web-v1', 'web-v2']);

    it('flags two splits of one root service, in the same namespace only', () => {
      const rival = ts('web-2', 'web', ['web-v3']);
      expect(validateReferences(web, [web, rival]).map(formatProblem)).to.deep.equal([
        'TrafficSplit shop/web: spec.service: TrafficSplit shop/web-2 also splits web; only one split per root service takes effect',
      ]);
      expect(validateReferences(web, [web, ts('web', 'web', ['a'], 'other')])).to.deep.equal([]);
    });
    it('flags a backend that is the root of another split (not hierarchical)', () => {
      const inner = ts('v2', 'web-v2', ['web-v2a', 'web-v2b']);
      expect(validateReferences(web, [web, inner]).map(formatProblem)).to.deep.equal([
        'TrafficSplit shop/web: spec.backends[1].service: web-v2 is the root service of TrafficSplit shop/v2; splits are not hierarchical, so it is not split again',
      ]);
      expect(validateReferences(inner, [web, inner])).to.deep.equal([]);
    });
  });
});
