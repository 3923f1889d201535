import { expect } from 'chai';
import { capabilities, renderer } from '../../../../adapters/linkerd/index.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { schemaErrors } from './crd-schema.js';
import { cond, destination, ENFORCE, model, probed, resolvedSplit, rule, service, src, tsObject, ttObject } from './fixtures.js';

const tt = ttObject('web-access', 'uid-tt');
const rate = { apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'RateLimitPolicy', metadata: { name: 'web-rate', namespace: 'shop', uid: 'uid-rl' }, spec: { targetRef: { kind: 'Service', name: 'web' }, local: { requests: 10, unit: 'second' } } } as const;
const rich = model({
  policies: [{ policy: structuredClone(rate) as never, namespace: 'shop', service: service('web', [{ port: 8080, targetPort: 8080 }]), matches: [] }],
  splits: [resolvedSplit(service('web', [80]), [[service('web-v2', [80]), 1]], [cond('ab/api', { pathRegex: '^/api' })], tsObject('canary'))],
  destinations: [
    destination('web', {
      targets: [tt],
      workloads: [probed('Deployment/web', 'web', { app: 'web' }, [{ port: 'http', path: '/healthz', scheme: 'HTTP' }])],
      rules: [rule(tt, [src('front')]), rule(tt, [src('ops')], { http: [cond('g/admin', { pathRegex: '^/admin' })] })],
    }),
  ],
});
const key = (o: KubeObject) => [o.apiVersion, o.kind, o.metadata.namespace ?? '', o.metadata.name];

describe('linkerd renderer', () => {
  it('emits exactly the kinds it declares', () => {
    const { objects } = renderer.render(rich, ENFORCE);
    const emitted = new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`));
    expect([...emitted].sort()).to.deep.equal(renderer.nativeKinds.map((k) => `${k.apiVersion} ${k.kind}`).sort());
    expect(renderer.nativeKinds.map((k) => k.plural)).to.deep.equal(['httproutes', 'servers', 'authorizationpolicies', 'meshtlsauthentications', 'networkauthentications', 'httplocalratelimitpolicies']);
  });

  it('sorts by apiVersion, kind, namespace, name, with no duplicate identities, and is deterministic', () => {
    const a = renderer.render(rich, ENFORCE);
    const keys = a.objects.map((o) => key(o).join(' '));
    expect(keys).to.deep.equal([...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(new Set(keys).size).to.equal(keys.length);
    expect(renderer.render(structuredClone(rich), ENFORCE)).to.deep.equal(a);
  });

  it('every object fits the served version of its real CRD, and is labelled as managed by the linkerd adapter', () => {
    for (const o of renderer.render(rich, ENFORCE).objects) {
      expect(schemaErrors(o), `${o.kind}/${o.metadata.name}`).to.deep.equal([]);
      expect(o.metadata.labels).to.include({ 'app.kubernetes.io/managed-by': 'smi-operator', 'smi-operator.io/mesh': 'linkerd' });
    }
  });

  it('the schema check itself rejects a wrong field, enum or missing requirement', () => {
    const bad: KubeObject = { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 'x' }, spec: { port: 80, podSelctor: {} } };
    const errs = schemaErrors(bad);
    expect(errs.some((e) => e.includes('podSelctor: unknown field'))).to.equal(true);
    expect(errs.some((e) => e.includes('exactly one of'))).to.equal(true);
    const route: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { rules: [{ matches: [{ method: 'FETCH' }] }] } };
    expect(schemaErrors(route).some((e) => e.includes('not in'))).to.equal(true);
  });

  it('access mode permissive: no Server or authorization objects, and a note per TrafficTarget', () => {
    const out = renderer.render(rich, { ...ENFORCE, accessMode: 'permissive' });
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['HTTPRoute']);
    const ttNotes = out.notes.filter((n) => n.object === 'TrafficTarget shop/web-access');
    expect(ttNotes).to.have.length(1);
    expect(ttNotes[0]!.message).to.match(/permissive: no Linkerd Server or AuthorizationPolicy/);
  });

  it('mtlsMode strict adds nothing; permissive and disabled explain Linkerd always-on mTLS', () => {
    const strict = renderer.render(rich, ENFORCE).notes.filter((n) => /mtlsMode/.test(n.message));
    expect(strict).to.deep.equal([]);
    const disabled = renderer.render(rich, { ...ENFORCE, mtlsMode: 'disabled' }).notes.filter((n) => /mtlsMode/.test(n.message));
    expect(disabled.map((n) => n.object)).to.deep.equal(['TrafficTarget shop/web-access']);
    expect(disabled[0]!.message).to.match(/cannot turn it off/);
    const permissive = renderer.render(rich, { ...ENFORCE, mtlsMode: 'permissive' }).notes.filter((n) => /mtlsMode/.test(n.message));
    expect(permissive[0]!.message).to.match(/plaintext clients are denied/);
  });

  it('a destination selector is checked against every workload of the namespace, governed or not', () => {
    const other = ttObject('cart-access');
    const web = { namespace: 'shop', owner: 'Deployment/web', serviceAccount: 'web', podLabels: { tier: 'fe' } };
    const cart = { namespace: 'shop', owner: 'Deployment/cart', serviceAccount: 'cart', podLabels: { tier: 'fe', app: 'cart' } };
    // `search` has no TrafficTarget: only namespaceWorkloads reveals that tier=fe selects it.
    const search = { namespace: 'shop', owner: 'Deployment/search', serviceAccount: 'search', podLabels: { tier: 'fe', app: 'search' } };
    const m = model({
      destinations: [
        destination('cart', { targets: [other], workloads: [cart], otherWorkloads: [search, web] }),
        destination('web', { targets: [tt], workloads: [web], otherWorkloads: [search] }),
      ],
    });
    const out = renderer.render(m, ENFORCE);
    const refused = out.notes.filter((n) => n.status === 'Unsupported');
    expect(refused.map((n) => n.object)).to.deep.equal(['TrafficTarget shop/web-access']);
    expect(refused[0]!.message).to.contain('also select Deployment/search (ServiceAccount search)');
    // web's pods cannot be told apart from search's: closed (a deny Server with no authorization).
    expect(out.objects.map((o) => [o.kind, o.metadata.name, (o.spec as { podSelector?: unknown }).podSelector])).to.deep.equal([
      ['Server', 'tt-cart-8080', { matchLabels: { app: 'cart', tier: 'fe' } }],
      ['Server', 'tt-web-8080', { matchLabels: { tier: 'fe' } }],
    ]);
  });

  it('publishes a capability for every feature, each exact, approximated or unsupported with a reason', () => {
    for (const [feature, c] of Object.entries(capabilities)) {
      expect(c, feature).to.match(/^(exact|exact: .+|approximated: .+|unsupported: .+)$/);
    }
    expect(Object.keys(capabilities)).to.include.members(['TrafficSplit weights', 'HTTPRouteGroup pathRegex', 'TrafficTarget HTTP rules', 'mtlsMode disabled']);
  });
});
