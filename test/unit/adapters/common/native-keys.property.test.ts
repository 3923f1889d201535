// Issue 11 item 1: distinct inputs never share a native key (apiVersion, kind, namespace,
// name) on any mesh, whatever the names (dots, dashes, words the renderers use as name
// parts, lengths near the 63 and 253 limits); a key that still collides is a Conflict,
// never one object written over another.
import { expect } from 'chai';
import fc from 'fast-check';
import { getAdapter, getRenderer } from '../../../../adapters/index.js';
import { isReadable, nativeName, pairName } from '../../../../adapters/common/names.js';
import { resolve } from '../../../../adapters/common/resolve.js';
import { dropCollisions, translateWith } from '../../../../adapters/translate.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshName, type ServiceInfo, type Snapshot, type WorkloadInfo } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { isName } from '../../../../schemas/names.js';
import { hrg, snapshot, split, target, tcp } from './fixtures.js';

const RUNS = Number(process.env.SMI_FUZZ_RUNS ?? 100);
const keyOf = (o: KubeObject): string => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

// Words the renderers themselves put into names, so that a name part can mimic a shape or a token.
const WORDS = ['a', 'b', 'web', '0', '80', 'smi', 'tt', 'ts', 'ttroute', 'ttrouteall', 'ttprobe', 'ttby', 'ttrouteby', 'match', 'rest', 'access', 'split', 'mtls', 'accessby'];
const word = fc.constantFrom(...WORDS);

function fixEnds(s: string): string {
  return s.replace(/^[-.]+/, '').replace(/[-.]+$/, '') || 'a';
}

/** Valid DNS-1123 subdomains (ServiceAccount and TrafficSplit names): dots, single and double dashes, up to 253 characters. */
const subdomain: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(word, fc.constantFrom('-', '.', '--')), { minLength: 1, maxLength: 6 }).map((ps) => fixEnds(ps.map(([w, s]) => w + s).join(''))) },
  { weight: 1, arbitrary: fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.integer({ min: 50, max: 253 }), fc.constantFrom('-', '.', 'a')).map(([ws, len, filler]) => fixEnds(`${ws.join('-')}-${'ab'.repeat(130)}`.replaceAll('b', filler).slice(0, len))) },
).filter((n) => isName('DNS-1123 subdomain', n));

/** Names that differ only in their separators (`a.b`, `a-b`, `a--b`): they collide as soon as anything sanitises them. */
const siblings = (min: number, max: number): fc.Arbitrary<string[]> =>
  fc
    .tuple(fc.array(word, { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 200 }))
    .chain(([words, pad]) =>
      fc.uniqueArray(
        fc.array(fc.constantFrom('-', '.', '--'), { minLength: words.length - 1, maxLength: words.length - 1 }).map((seps) => words.map((w, i) => (i === 0 ? w : `${seps[i - 1]}${w}`)).join('') + (pad > 60 ? `-${'a'.repeat(pad)}` : '')),
        { minLength: min, maxLength: max },
      ),
    )
    .map((ns) => ns.filter((n) => isName('DNS-1123 subdomain', n)))
    .filter((ns) => ns.length >= min);

/** Several names: separator siblings mixed with unrelated ones. */
const names = (min: number, max: number): fc.Arbitrary<string[]> =>
  fc.tuple(siblings(1, max), fc.uniqueArray(subdomain, { maxLength: max })).map(([a, b]) => [...new Set([...a, ...b])].slice(0, max)).filter((ns) => ns.length >= min);

/** Valid DNS-1035 labels (Service names). */
const label1035: fc.Arbitrary<string> = fc
  .array(word, { minLength: 1, maxLength: 5 })
  .map((ws) => `s-${ws.join('-')}`.slice(0, 63).replace(/-+$/, ''))
  .filter((n) => isName('DNS-1035 label', n));

/** Container/Service port names (IANA_SVC_NAME): <= 15 characters, a letter, no "--". */
const portName = fc.constantFrom('http', 'http-admin', 'tcp-db', 'metrics', 'rest', 'match1', 'a-b', 'a', 'web-80');

interface Case {
  snapshot: Snapshot;
  /** One entry per operator unit: the SMI objects it translates together. */
  units: Array<{ key: string; snapshot: Snapshot }>;
}

const scenario: fc.Arbitrary<Case> = fc
  .record({
    accounts: names(2, 4),
    services: fc.uniqueArray(label1035, { minLength: 3, maxLength: 5 }),
    splits: names(1, 3),
    targetPorts: fc.array(fc.oneof(fc.constantFrom(8080, 9090), portName), { minLength: 5, maxLength: 5 }),
  })
  .map(({ accounts, services, splits, targetPorts }) => {
    const workloads: WorkloadInfo[] = accounts.map((sa, i) => ({ namespace: 'shop', owner: `Deployment/w${i}`, serviceAccount: sa, podLabels: { app: `w${i}` } }));
    const svcs: ServiceInfo[] = services.map((name, i) => ({
      namespace: 'shop',
      name,
      selector: { app: `w${i % accounts.length}` },
      ports: [{ port: 80, protocol: 'TCP', targetPort: targetPorts[i]! }, { port: 81, protocol: 'TCP' }],
    }));
    const groups = [hrg('api', [{ name: 'get', pathRegex: '/api', methods: ['GET'] }, { name: 'any', pathRegex: '/x' }])];
    const tcpRoutes = [tcp('all'), tcp('p80', [80])];
    const targets = accounts.map((sa, i) =>
      target(`tt${i}`, sa, [{ kind: 'HTTPRouteGroup', name: 'api', matches: i % 2 ? ['get'] : ['get', 'any'] }, { kind: 'TCPRoute', name: i % 2 ? 'all' : 'p80' }], [{ name: accounts[(i + 1) % accounts.length]! }]),
    );
    const trafficSplits = splits.map((name, i) => split(name, services[i % services.length]!, [[services[(i + 1) % services.length]!, 1], [services[(i + 2) % services.length]!, 3]], { matches: i % 2 ? ['api'] : undefined }));
    const base = { services: svcs, workloads, httpRouteGroups: groups, tcpRoutes, serviceAccounts: accounts.map((name) => ({ namespace: 'shop', name })) };
    const whole = snapshot({ ...base, trafficTargets: targets, trafficSplits });
    const units = [
      ...accounts.map((sa) => ({ key: `access/${sa}`, snapshot: snapshot({ ...base, trafficTargets: targets.filter((t) => t.spec.destination.name === sa) }) })),
      ...[...new Set(trafficSplits.map((s) => s.spec.service))].map((root) => ({ key: `split/${root}`, snapshot: snapshot({ ...base, trafficSplits: trafficSplits.filter((s) => s.spec.service === root) }) })),
    ];
    return { snapshot: whole, units };
  });

/** Consul config entries named after a Consul service are one entry per service by design (shared across units). */
function sharedByDesign(mesh: MeshName, o: KubeObject, c: Case): boolean {
  return mesh === 'consul' && c.snapshot.services.some((s) => s.name === o.metadata.name);
}

describe('native keys: distinct inputs never share one (issue 11 item 1)', function () {
  this.timeout(120_000); // property runs over whole translations; the machine is shared
  it('names: `a.b` and `a-b` differ, readable names stay as they were, every name is a DNS-1123 label', () => {
    expect(nativeName('smi-access', 'a.b')).to.not.equal(nativeName('smi-access', 'a-b'));
    expect(nativeName('smi-access', 'a-b')).to.equal('smi-access-a-b');
    expect(nativeName('tt', 'web', 8080)).to.equal('tt-web-8080');
    expect(nativeName('tt', 'a.b', 80)).to.match(/^tt-a-b-80--[0-9a-f]{10}$/);
    // A dashed token could be read as part of the name: `tt-web-http-admin` is ambiguous.
    expect(nativeName('tt', 'web', 'http-admin')).to.not.equal(nativeName('tt', 'web-http', 'admin'));
    expect(pairName('a-smi-b', 'smi', 'c')).to.not.equal(pairName('a', 'smi', 'b-smi-c'));
    expect(pairName('shop-ui', 'smi', 'shop-ui-ab')).to.equal('shop-ui-smi-shop-ui-ab');
    const long = 'x'.repeat(200);
    expect(nativeName('smi-split', long)).to.not.equal(nativeName('smi-split', `${long}y`));
    fc.assert(
      fc.property(fc.constantFrom('tt', 'smi-access', 'ttroute', ''), subdomain, fc.array(fc.oneof(fc.nat(65535), portName), { maxLength: 2 }), (shape, name, tokens) => {
        const n = nativeName(shape, name, ...tokens);
        expect(isName('DNS-1123 label', n), n).to.equal(true);
        // Hashed names, and only they, contain "--".
        expect(n.includes('--'), n).to.equal(!isReadable(shape, name, tokens));
      }),
      { numRuns: RUNS },
    );
  });

  it('names: injective over (shape, name, tokens) for the shapes one kind shares', () => {
    // The `…by` shapes name the objects of a destination's second, third... pod selector (fail-closed covering selectors).
    const linkerdPolicyShapes: Array<[string, number]> = [['tt', 1], ['ttprobe', 1], ['ttroute', 2], ['ttrouteall', 1], ['ttby', 2], ['ttprobeby', 2], ['ttrouteby', 3], ['ttrouteallby', 2]];
    const input = (name: string) =>
      fc.tuple(fc.constantFrom(...linkerdPolicyShapes), fc.oneof(fc.nat(65535), portName), fc.nat(20), fc.nat(20)).map(([[shape, n], port, i, j]) => ({ shape, name, tokens: [port, i, j].slice(0, n) }));
    const pair = siblings(2, 2).chain(([x, y]) => fc.tuple(input(x!), fc.oneof(input(x!), input(y!))));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const same = a.shape === b.shape && a.name === b.name && JSON.stringify(a.tokens.map(String)) === JSON.stringify(b.tokens.map(String));
        if (!same) expect(nativeName(a.shape, a.name, ...a.tokens)).to.not.equal(nativeName(b.shape, b.name, ...b.tokens));
      }),
      { numRuns: RUNS * 20 },
    );
  });

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: one translation never renders two different objects with one key, and reports no Conflict for names`, () => {
      fc.assert(
        fc.property(scenario, (c) => {
          const rendered = getRenderer(mesh).render(resolve(c.snapshot, DEFAULT_MESH_OPTIONS), DEFAULT_MESH_OPTIONS);
          const seen = new Map<string, string>();
          for (const o of rendered.objects) {
            const prev = seen.get(keyOf(o));
            if (prev !== undefined) expect(JSON.stringify(o), keyOf(o)).to.equal(prev);
            seen.set(keyOf(o), JSON.stringify(o));
          }
          const out = translateWith(getRenderer(mesh), c.snapshot, DEFAULT_MESH_OPTIONS);
          expect(out.results.flatMap((r) => r.messages).filter((m) => m.includes('is already taken'))).to.deep.equal([]);
        }),
        { numRuns: RUNS },
      );
    });

    it(`${mesh}: objects of different operator units (one destination, one split root) never share a key`, () => {
      fc.assert(
        fc.property(scenario, (c) => {
          const owner = new Map<string, string>();
          for (const u of c.units) {
            for (const o of getAdapter(mesh).translate(u.snapshot, DEFAULT_MESH_OPTIONS).objects) {
              if (sharedByDesign(mesh, o, c)) continue;
              const prev = owner.get(keyOf(o));
              expect(prev === undefined || prev === u.key, `${keyOf(o)} from ${prev} and ${u.key}`).to.equal(true);
              owner.set(keyOf(o), u.key);
            }
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('a key that still collides (a hash collision) is a Conflict on the losing SMI objects; the first object stays', () => {
    const s = snapshot({ trafficSplits: [split('one', 'web', [['a', 1]]), split('two', 'web', [['b', 1]])] });
    const obj = (source: string, host: string): KubeObject => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'smi-split-x', namespace: 'shop', labels: { 'smi-operator.io/source': `trafficsplit.${source}` } },
      spec: { hosts: [host] },
    });
    const same = dropCollisions([obj('one', 'a'), obj('one', 'a')], s);
    expect(same.objects).to.have.length(1);
    expect(same.notes).to.deep.equal([]);
    const clash = dropCollisions([obj('one', 'a'), obj('two', 'b')], s);
    expect(clash.objects.map((o) => (o.spec as { hosts: string[] }).hosts)).to.deep.equal([['a']]);
    expect(clash.notes).to.deep.equal([
      {
        object: 'TrafficSplit shop/two',
        status: 'Conflict',
        message: 'VirtualService shop/smi-split-x: the name derived from this object is already taken by the one derived from TrafficSplit shop/one; it is not emitted',
      },
    ]);
  });
});
