import { expect } from 'chai';
import { renderDestination } from '../../../../adapters/linkerd/access.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { schemaErrors } from './crd-schema.js';
import { cond, destination, NS, rule, service, src, ttObject, workload } from './fixtures.js';

const of = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const byName = (objects: KubeObject[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;
const identities = (objects: KubeObject[], name: string) => (spec(byName(objects, 'MeshTLSAuthentication', name)).identityRefs as unknown[]);

describe('linkerd access', () => {
  const tt = ttObject('web-access', 'uid-tt');

  it('a TCP rule on all ports: a deny Server per pod port, authorized for the sources by mesh identity', () => {
    const d = destination('web', { targets: [tt], services: [service('web', [{ port: 80, targetPort: 8080 }, { port: 9090, targetPort: 'metrics' }])], rules: [rule(tt, [src('front'), src('batch', 'jobs')])] });
    const { objects, notes } = renderDestination(d);
    expect(notes).to.deep.equal([]);
    const servers = of(objects, 'Server');
    expect(servers.map((s) => [s.metadata.name, spec(s).port])).to.deep.equal([['tt-web-8080', 8080], ['tt-web-metrics', 'metrics']]);
    for (const s of servers) {
      expect(s.apiVersion).to.equal('policy.linkerd.io/v1beta3');
      // pod-template-hash changes on every rollout, so it is left out of the selector.
      expect(spec(s).podSelector).to.deep.equal({ matchLabels: { app: 'web' } });
      expect(spec(s).accessPolicy).to.equal('deny');
      const ap = byName(objects, 'AuthorizationPolicy', s.metadata.name);
      expect(spec(ap)).to.deep.equal({
        targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: s.metadata.name },
        requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: s.metadata.name }],
      });
      expect(identities(objects, s.metadata.name)).to.deep.equal([
        { kind: 'ServiceAccount', name: 'front', namespace: NS },
        { kind: 'ServiceAccount', name: 'batch', namespace: 'jobs' },
      ].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)));
    }
    expect(of(objects, 'HTTPRoute')).to.deep.equal([]);
    for (const o of objects) {
      expect(o.metadata.namespace).to.equal(NS);
      expect(o.metadata.ownerReferences).to.deep.equal([{ apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', name: 'web-access', uid: 'uid-tt' }]);
      expect(schemaErrors(o)).to.deep.equal([]);
    }
  });

  it('port restrictions: only the listed pod ports are authorized; the others keep a deny Server', () => {
    const d = destination('web', { targets: [tt], services: [service('web', [80, 9090])], rules: [rule(tt, [src('front')], { ports: [80, 7000] })] });
    const { objects, notes } = renderDestination(d);
    expect(of(objects, 'Server').map((s) => s.metadata.name)).to.deep.equal(['tt-web-80', 'tt-web-9090']);
    expect(of(objects, 'AuthorizationPolicy').map((s) => s.metadata.name)).to.deep.equal(['tt-web-80']);
    expect(notes).to.have.length(1);
    expect(notes[0]!.message).to.match(/pod port 7000 is neither a TCP container port .* nor a port a Service selecting them targets by number/);
    expect(notes[0]!.status).to.equal(undefined);
  });

  it('a rule port is a pod port: a Service port number that targets another pod port allows nothing there', () => {
    // Service port 9090 targets pod port 8080; Service port 80 targets pod port 9090.
    const d = destination('web', { targets: [tt], services: [service('web', [{ port: 80, targetPort: 9090 }, { port: 9090, targetPort: 8080 }])], rules: [rule(tt, [src('front')], { ports: [9090] })] });
    const { objects, notes } = renderDestination(d);
    expect(of(objects, 'Server').map((s) => [s.metadata.name, spec(s).port])).to.deep.equal([['tt-web-8080', 8080], ['tt-web-9090', 9090]]);
    expect(of(objects, 'AuthorizationPolicy').map((s) => s.metadata.name)).to.deep.equal(['tt-web-9090']);
    expect(notes).to.deep.equal([]);
  });

  it('no rules: deny Servers only', () => {
    const { objects } = renderDestination(destination('web', { targets: [tt] }));
    expect(objects.map((o) => o.kind)).to.deep.equal(['Server']);
  });

  it('HTTP rules become inbound HTTPRoutes on the Server, authorized per route', () => {
    const http = [cond('api/read', { pathRegex: '^/api', methods: ['GET'] }), cond('api/health', { pathRegex: '^/healthz$' })];
    const d = destination('web', { targets: [tt], rules: [rule(tt, [src('front')], { http })] });
    const { objects, notes } = renderDestination(d);
    expect(notes).to.deep.equal([]);
    // Nothing on the Server itself: only the routes' requests are allowed.
    expect(of(objects, 'AuthorizationPolicy').map((a) => (spec(a).targetRef as { kind: string }).kind)).to.deep.equal(['HTTPRoute']);
    const [route] = of(objects, 'HTTPRoute');
    expect(route!.metadata.name).to.equal('ttroute-web-8080-1');
    expect(spec(route!).parentRefs).to.deep.equal([{ group: 'policy.linkerd.io', kind: 'Server', name: 'tt-web-8080' }]);
    const rules = spec(route!).rules as Array<{ matches: unknown[] }>;
    expect(rules.map((r) => r.matches)).to.have.deep.members([
      [{ path: { type: 'RegularExpression', value: '^(?:^/api)(?s:.*)' }, method: 'GET' }],
      [{ path: { type: 'RegularExpression', value: '^(?:^/healthz$)(?s:.*)' } }],
    ]);
    expect(spec(byName(objects, 'AuthorizationPolicy', route!.metadata.name)).targetRef).to.deep.equal({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route!.metadata.name });
    expect(identities(objects, route!.metadata.name)).to.deep.equal([{ kind: 'ServiceAccount', name: 'front', namespace: NS }]);
    for (const o of objects) expect(schemaErrors(o)).to.deep.equal([]);
  });

  it('whole-port and HTTP sources on one port: every route includes the whole-port sources, plus a catch-all route', () => {
    const tt2 = ttObject('web-api', 'uid-2');
    const d = destination('web', {
      targets: [tt, tt2],
      rules: [rule(tt, [src('admin')]), rule(tt2, [src('front')], { http: [cond('api/read', { pathRegex: '^/api' })] })],
    });
    const { objects } = renderDestination(d);
    expect(identities(objects, 'tt-web-8080')).to.deep.equal([{ kind: 'ServiceAccount', name: 'admin', namespace: NS }]);
    const routes = of(objects, 'HTTPRoute');
    expect(routes).to.have.length(2);
    const bySources = new Map(routes.map((r) => [JSON.stringify(identities(objects, r.metadata.name).map((i) => (i as { name: string }).name)), r]));
    const catchAll = bySources.get('["admin"]')!;
    expect((spec(catchAll).rules as Array<{ matches: unknown[] }>)[0]!.matches).to.deep.equal([{ path: { type: 'PathPrefix', value: '/' } }]);
    const api = bySources.get('["admin","front"]')!;
    expect((spec(api).rules as Array<{ matches: Array<{ path: { value: string } }> }>)[0]!.matches[0]!.path.value).to.equal('^(?:^/api)(?s:.*)');
    // The api route exists because of both TrafficTargets.
    expect(api.metadata.ownerReferences!.map((o) => o.name)).to.deep.equal(['web-access', 'web-api']);
    expect(catchAll.metadata.ownerReferences!.map((o) => o.name)).to.deep.equal(['web-access']);
    // On a specificity tie Linkerd prefers the alphabetically first route: the catch-all sorts last.
    expect(catchAll.metadata.name).to.equal('ttrouteall-web-8080');
    expect(api.metadata.name < catchAll.metadata.name).to.equal(true);
  });

  it('an HTTP match that constrains nothing joins the catch-all, and its sources reach every other route', () => {
    const d = destination('web', {
      targets: [tt],
      rules: [rule(tt, [src('any')], { http: [cond('g/all')] }), rule(tt, [src('front')], { http: [cond('g/api', { pathRegex: '^/api' })], path: 'spec.rules[1]' })],
    });
    const { objects, notes } = renderDestination(d);
    expect(notes).to.deep.equal([]); // nested source sets: exact
    // Not a whole-port grant: non-HTTP connections stay denied.
    expect(of(objects, 'AuthorizationPolicy').map((a) => (spec(a).targetRef as { kind: string }).kind)).to.deep.equal(['HTTPRoute', 'HTTPRoute']);
    const names = (n: string) => identities(objects, n).map((i) => (i as { name: string }).name);
    expect(names('ttrouteall-web-8080')).to.deep.equal(['any']);
    expect(names('ttroute-web-8080-1')).to.deep.equal(['any', 'front']);
  });

  it('equal conditions from different rules merge their sources; different source sets get separate routes and a note', () => {
    const api = cond('g/api', { pathRegex: '^/api' });
    const d = destination('web', {
      targets: [tt],
      rules: [
        rule(tt, [src('a')], { http: [api] }),
        rule(tt, [src('b')], { http: [{ ...api, origin: 'other/api' }], path: 'spec.rules[1]' }),
        rule(tt, [src('c')], { http: [cond('g/admin', { pathRegex: '^/admin' })], path: 'spec.rules[2]' }),
      ],
    });
    const { objects, notes } = renderDestination(d);
    const routes = of(objects, 'HTTPRoute');
    expect(routes).to.have.length(2);
    const sets = routes.map((r) => identities(objects, r.metadata.name).map((i) => (i as { name: string }).name)).sort();
    expect(sets).to.deep.equal([['a', 'b'], ['c']]);
    expect(notes).to.have.length(1);
    expect(notes[0]!.message).to.match(/narrower, never wider/);
  });

  it('HTTP rules on a port declared non-HTTP allow nothing there, and say so', () => {
    const d = destination('web', {
      targets: [tt],
      services: [service('web', [{ port: 80 }, { port: 5432, appProtocol: 'postgresql' }])],
      rules: [rule(tt, [src('front')], { http: [cond('g/api', { pathRegex: '^/api' })] })],
    });
    const { objects, notes } = renderDestination(d);
    expect(of(objects, 'Server').map((s) => spec(s).port)).to.deep.equal([80, 5432]);
    expect(of(objects, 'HTTPRoute').map((r) => (spec(r).parentRefs as Array<{ name: string }>)[0]!.name)).to.deep.equal(['tt-web-80']);
    expect(of(objects, 'Server').map((s) => spec(s).proxyProtocol)).to.deep.equal([undefined, 'opaque']);
    expect(notes.map((n) => n.message)).to.satisfy((ms: string[]) => ms.some((m) => m.includes('pod port 5432 is proxied opaquely (Service web port 5432 declares appProtocol postgresql), so HTTP rules cannot apply there')));
  });

  it('an over-broad selector closes the ports instead (deny Servers, no authorization); disjoint workloads get the policy each; no workload: nothing', () => {
    const shared = destination('web', {
      targets: [tt],
      workloads: [workload('Deployment/web', 'web', { tier: 'frontend' })],
      otherWorkloads: [workload('Deployment/cart', 'cart', { tier: 'frontend', app: 'cart' })],
      rules: [rule(tt, [src('front')])],
    });
    const r1 = renderDestination(shared);
    expect(r1.objects.map((o) => [o.kind, o.metadata.name, spec(o)])).to.deep.equal([['Server', 'tt-web-8080', { podSelector: { matchLabels: { tier: 'frontend' } }, port: 8080, accessPolicy: 'deny' }]]);
    expect(r1.notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
    expect(r1.notes[0]!.message).to.match(/also select Deployment\/cart/).and.match(/closed instead/);

    const disjoint = destination('web', {
      targets: [tt],
      workloads: [workload('Deployment/web', 'web', { app: 'web' }), workload('StatefulSet/web-db', 'web', { app: 'web-db' })],
      rules: [rule(tt, [src('front')])],
    });
    const r2 = renderDestination(disjoint);
    expect(of(r2.objects, 'Server').map((o) => [o.metadata.name, spec(o).podSelector])).to.deep.equal([
      ['tt-web-8080', { matchLabels: { app: 'web' } }],
      ['ttby-web-8080-2', { matchLabels: { app: 'web-db' } }],
    ]);
    expect(of(r2.objects, 'AuthorizationPolicy').map((o) => (spec(o).targetRef as { name: string }).name)).to.deep.equal(['tt-web-8080', 'ttby-web-8080-2']);
    expect(r2.notes[0]!.message).to.match(/share no pod label/);
    expect(r2.notes.map((n) => n.status)).to.deep.equal([undefined]);

    const none = renderDestination(destination('web', { targets: [tt], workloads: [] }));
    expect(none.objects).to.deep.equal([]);
    expect(none.notes[0]!.status).to.equal('Unsupported');
  });

  it('keeps only the labels all workloads share', () => {
    const d = destination('web', {
      targets: [tt],
      workloads: [workload('Deployment/web', 'web', { app: 'web', version: 'v1', team: 'x' }), workload('Deployment/web-v2', 'web', { app: 'web', version: 'v2', team: 'x' })],
    });
    const { objects } = renderDestination(d);
    expect(spec(of(objects, 'Server')[0]!).podSelector).to.deep.equal({ matchLabels: { app: 'web', team: 'x' } });
  });

  it('no Service port to build a Server on: Unsupported, no objects', () => {
    const udpOnly = destination('web', { targets: [tt], services: [service('web', [{ port: 53, protocol: 'UDP' }])] });
    const r = renderDestination(udpOnly);
    expect(r.objects).to.deep.equal([]);
    expect(r.notes[0]!.status).to.equal('Unsupported');
    expect(r.notes[0]!.message).to.match(/neither a Service nor a container of the pods of ServiceAccount shop\/web declares a TCP port/);
  });

  it('splits a large source set of conditions over several routes within the HTTPRoute limits', () => {
    const all = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
    const http = Array.from({ length: 20 }, (_, i) => cond(`g/m${i}`, { pathRegex: `^/p${i}`, methods: all }));
    const { objects } = renderDestination(destination('web', { targets: [tt], rules: [rule(tt, [src('front')], { http })] }));
    const routes = of(objects, 'HTTPRoute');
    expect(routes.length).to.be.greaterThan(1);
    const total = routes.flatMap((r) => spec(r).rules as Array<{ matches: unknown[] }>).reduce((n, r) => n + r.matches.length, 0);
    expect(total).to.equal(180);
    for (const r of routes) {
      const rules = spec(r).rules as Array<{ matches: unknown[] }>;
      expect(rules.reduce((n, x) => n + x.matches.length, 0)).to.be.at.most(128);
      expect(schemaErrors(r)).to.deep.equal([]);
      expect(of(objects, 'AuthorizationPolicy').some((a) => a.metadata.name === r.metadata.name)).to.equal(true);
    }
  });
});
