// Issue 11 items 4-6 on Linkerd: every container port of a destination is governed,
// probes stay reachable when HTTPRoutes are attached, and opaque ports stay opaque.
import { expect } from 'chai';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../../adapters/index.js';
import { renderDestination } from '../../../../adapters/linkerd/access.js';
import { parseOpaquePorts } from '../../../../adapters/linkerd/opaque.js';
import { probePath } from '../../../../adapters/linkerd/probes.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { schemaErrors } from './crd-schema.js';
import { cond, destination, probed, rule, service, src, ttObject, workload } from './fixtures.js';
import { pickRule as pick, type RouteMatch as Match, type RouteRequest as HttpReq } from '../../../../conformance/interpret/linkerd-routes.js';

const of = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;
const named = (objects: KubeObject[], kind: string, name: string): KubeObject => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
const servers = (objects: KubeObject[]) => of(objects, 'Server').map((s) => [spec(s).port, spec(s).proxyProtocol ?? 'unknown']);

/** The AuthorizationPolicy names that authorize `identity` (namespace/name) on a target, as Linkerd looks them up. */
function authorizes(objects: KubeObject[], target: { kind: string; name: string }, from: { sa?: string; network?: boolean }): boolean {
  return of(objects, 'AuthorizationPolicy').some((ap) => {
    const s = spec(ap) as { targetRef: { kind: string; name: string }; requiredAuthenticationRefs: Array<{ kind: string; name: string }> };
    if (s.targetRef.kind !== target.kind || s.targetRef.name !== target.name) return false;
    return s.requiredAuthenticationRefs.every((r) => {
      const authn = named(objects, r.kind, r.name);
      if (r.kind === 'NetworkAuthentication') return from.network === true && JSON.stringify(spec(authn).networks) === JSON.stringify([{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }]);
      return (spec(authn).identityRefs as Array<{ name: string }>).some((i) => i.name === from.sa);
    });
  });
}

/** Linkerd's verdict for an HTTP request on a Server with routes: the one route it picks decides (routes in name order). */
function httpVerdict(objects: KubeObject[], server: string, req: HttpReq, from: { sa?: string; network?: boolean }): { route?: string; allowed: boolean } {
  const routes = of(objects, 'HTTPRoute')
    .filter((r) => (spec(r).parentRefs as Array<{ name: string }>).some((p) => p.name === server))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const rules = routes.flatMap((r) => (spec(r).rules as Array<{ matches: Match[] }>).map((rule) => ({ ...rule, route: r.metadata.name })));
  const hit = pick(rules, req);
  if (!hit) return { allowed: false };
  return { route: hit.route, allowed: authorizes(objects, { kind: 'HTTPRoute', name: hit.route }, from) };
}

describe('linkerd: pod ports, probes and opaque ports (issue 11 items 4-6)', () => {
  const tt = ttObject('web-access', 'uid-tt');

  describe('item 4: every container port of the destination is governed', () => {
    const w = probed('Deployment/web', 'web', { app: 'web' }, [], [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
    ]);

    it('a port no Service exposes gets a deny Server; rules for all ports apply there, rules for another pod port do not', () => {
      const d = destination('web', {
        targets: [tt],
        workloads: [w],
        services: [service('web', [{ port: 80, targetPort: 'http' }])],
        rules: [rule(tt, [src('front')], { ports: [8080] }), rule(tt, [src('prometheus', 'monitoring')])],
      });
      const { objects, notes } = renderDestination(d);
      expect(notes).to.deep.equal([]);
      // The named targetPort is the same number on every pod, so it becomes that number (one Server per port).
      expect(servers(objects)).to.deep.equal([[8080, 'unknown'], [9090, 'unknown']]);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-8080' }, { sa: 'front' })).to.equal(true);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-8080' }, { sa: 'prometheus' })).to.equal(true);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-9090' }, { sa: 'prometheus' })).to.equal(true);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-9090' }, { sa: 'front' })).to.equal(false);
      for (const o of objects) expect(schemaErrors(o), `${o.kind}/${o.metadata.name}`).to.deep.equal([]);
    });

    it('a rule port is a pod port: a container port no Service exposes is authorized, a Service port number allows nothing (noted)', () => {
      const d = destination('web', {
        targets: [tt],
        workloads: [w],
        services: [service('web', [{ port: 80, targetPort: 'http' }])],
        rules: [rule(tt, [src('front')], { ports: [9090] }), rule(tt, [src('ops')], { ports: [80], path: 'spec.rules[1]' })],
      });
      const { objects, notes } = renderDestination(d);
      expect(servers(objects)).to.deep.equal([[8080, 'unknown'], [9090, 'unknown']]);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-9090' }, { sa: 'front' })).to.equal(true);
      expect(authorizes(objects, { kind: 'Server', name: 'tt-web-8080' }, { sa: 'front' })).to.equal(false);
      for (const server of ['tt-web-8080', 'tt-web-9090']) expect(authorizes(objects, { kind: 'Server', name: server }, { sa: 'ops' })).to.equal(false);
      expect(notes.map((n) => n.message)).to.deep.equal([
        'spec.rules[1]: pod port 80 is neither a TCP container port of the pods of ServiceAccount web nor a port a Service selecting them targets by number (rule ports are pod ports, not Service ports), so Linkerd has no Server to authorize it on; nothing is allowed on it',
      ]);
    });

    it('governs container ports even when no Service selects the pods', () => {
      const d = destination('web', { targets: [tt], workloads: [w], services: [], rules: [rule(tt, [src('front')])] });
      expect(servers(renderDestination(d).objects)).to.deep.equal([[8080, 'unknown'], [9090, 'unknown']]);
    });

    it('a port it cannot govern without racing a named Server is reported by number', () => {
      const a = probed('Deployment/web-a', 'web', { app: 'web', v: 'a' }, [], [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      const b = probed('Deployment/web-b', 'web', { app: 'web', v: 'b' }, [], [
        { name: 'http', containerPort: 8081, protocol: 'TCP' },
        { name: 'admin', containerPort: 8080, protocol: 'TCP' },
      ]);
      const d = destination('web', { targets: [tt], workloads: [a, b], services: [service('web', [{ port: 80, targetPort: 'http' }])], rules: [rule(tt, [src('front')])] });
      const { objects, notes } = renderDestination(d);
      expect(servers(objects)).to.deep.equal([['http', 'unknown']]);
      expect(notes.map((n) => [n.status, n.message])).to.deep.equal([
        [
          'Unsupported',
          'spec.destination: pod port 8080 of Deployment/web-b (the Server for the named port http selects that number on other pods, and a second Server would race it) is left on the cluster default inbound policy',
        ],
      ]);
    });
  });

  describe('item 5: probes stay reachable once HTTPRoutes are attached', () => {
    const w = probed('Deployment/web', 'web', { app: 'web' }, [
      { port: 'http', path: '/ready', scheme: 'HTTP' },
      { port: 8080, path: '/live?verbose=1', scheme: 'HTTP' },
      { port: 'admin', path: '/started', scheme: 'HTTP' },
    ], [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'admin', containerPort: 9901, protocol: 'TCP' },
    ]);
    const httpOnly = rule(tt, [src('front')], { http: [cond('g/api', { pathRegex: '^/api', methods: ['GET'] })], ports: [8080] });

    it('adds a GET exact-path probe route on the probe port, authorized for every network without identity', () => {
      const d = destination('web', { targets: [tt], workloads: [w], services: [service('web', [{ port: 80, targetPort: 'http' }])], rules: [httpOnly] });
      const { objects } = renderDestination(d);
      const probe = named(objects, 'HTTPRoute', 'ttprobe-web-8080');
      expect(spec(probe)).to.deep.equal({
        parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'tt-web-8080' }],
        rules: [{ matches: [{ path: { type: 'Exact', value: '/live' }, method: 'GET' }] }, { matches: [{ path: { type: 'Exact', value: '/ready' }, method: 'GET' }] }],
      });
      expect(spec(named(objects, 'NetworkAuthentication', 'ttprobe-web-8080'))).to.deep.equal({ networks: [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }] });
      // The kubelet (no identity) gets its probes; nothing else it asks for.
      const kubelet = { network: true };
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/ready', method: 'GET', headers: {} }, kubelet)).to.deep.equal({ route: 'ttprobe-web-8080', allowed: true });
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/live', method: 'GET', headers: {} }, kubelet).allowed).to.equal(true);
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/ready', method: 'POST', headers: {} }, kubelet).allowed).to.equal(false);
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/ready/x', method: 'GET', headers: {} }, kubelet).allowed).to.equal(false);
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/api/x', method: 'GET', headers: {} }, kubelet).allowed).to.equal(false);
      expect(httpVerdict(objects, 'tt-web-8080', { path: '/api/x', method: 'GET', headers: {} }, { sa: 'front' }).allowed).to.equal(true);
      // Port 9901 has no HTTPRoute (the rule is for pod port 8080), so Linkerd's own default probe route still applies there.
      expect(of(objects, 'HTTPRoute').map((r) => r.metadata.name)).to.deep.equal(['ttprobe-web-8080', 'ttroute-web-8080-1']);
      for (const o of objects) expect(schemaErrors(o), `${o.kind}/${o.metadata.name}`).to.deep.equal([]);
    });

    it('a named probe port is looked up in its own container, and the probe route wins a specificity tie by name', () => {
      const everything = rule(tt, [src('front')], { http: [cond('g/all-get', { pathRegex: '^/.*', methods: ['GET'] })] });
      const d = destination('web', { targets: [tt], workloads: [w], services: [service('web', [{ port: 80, targetPort: 'http' }])], rules: [everything] });
      const { objects } = renderDestination(d);
      expect(spec(named(objects, 'HTTPRoute', 'ttprobe-web-9901')).rules).to.deep.equal([{ matches: [{ path: { type: 'Exact', value: '/started' }, method: 'GET' }] }]);
      // `GET ^/.*` matches /started with the same length and method as the probe route: the first route by name wins.
      expect(httpVerdict(objects, 'tt-web-9901', { path: '/started', method: 'GET', headers: {} }, { network: true })).to.deep.equal({ route: 'ttprobe-web-9901', allowed: true });
      expect(httpVerdict(objects, 'tt-web-9901', { path: '/other', method: 'GET', headers: {} }, { network: true }).allowed).to.equal(false);
    });

    it('no probe route where Linkerd keeps its own (no HTTPRoute on the Server)', () => {
      const d = destination('web', { targets: [tt], workloads: [w], services: [service('web', [{ port: 80, targetPort: 'http' }])], rules: [rule(tt, [src('front')])] });
      const { objects, notes } = renderDestination(d);
      expect(servers(objects)).to.deep.equal([[8080, 'unknown'], [9901, 'unknown']]);
      expect(of(objects, 'HTTPRoute')).to.deep.equal([]);
      expect(notes).to.deep.equal([]);
    });

    it('a port the kubelet probes over TLS, or opaquely, gets no Server (it would fail the probe) and is reported by number', () => {
      const probes = probed('Deployment/web', 'web', { app: 'web' }, [{ port: 8443, path: '/healthz', scheme: 'HTTPS' }, { port: 'cache', path: '/ping', scheme: 'HTTP' }], [
        { name: 'https', containerPort: 8443, protocol: 'TCP' },
        { name: 'cache', containerPort: 6379, protocol: 'TCP' },
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
      ]);
      const d = destination('web', { targets: [tt], workloads: [probes], services: [service('web', [{ port: 443, targetPort: 8443 }])], rules: [rule(tt, [src('front')])] });
      const { objects, notes } = renderDestination(d);
      expect(servers(objects)).to.deep.equal([[8080, 'unknown']]);
      expect(notes.map((n) => [n.status, n.message])).to.deep.equal([
        [
          'Unsupported',
          "spec.destination: pod port 6379: the kubelet's probe (the port is proxied opaquely: port 6379 is on Linkerd's default opaque ports list) /ping of Deployment/web has no mesh identity and cannot be authorized by HTTP path, so a Linkerd Server would fail it; the port is left on the cluster default inbound policy",
        ],
        [
          'Unsupported',
          "spec.destination: pod port 8443: the kubelet's HTTPS probe (TLS, which the proxy cannot read) /healthz of Deployment/web has no mesh identity and cannot be authorized by HTTP path, so a Linkerd Server would fail it; the port is left on the cluster default inbound policy",
        ],
      ]);
    });

    it('probe paths as Linkerd reads them: default `/`, no query', () => {
      expect(probePath(undefined)).to.equal('/');
      expect(probePath('/live?verbose=1')).to.equal('/live');
      expect(probePath('healthz')).to.equal(undefined);
    });
  });

  describe('item 6: opaque ports keep proxyProtocol opaque', () => {
    const ports = [
      { name: 'http', containerPort: 8080, protocol: 'TCP' as const },
      { name: 'pg', containerPort: 5432, protocol: 'TCP' as const },
      { name: 'cache', containerPort: 6379, protocol: 'TCP' as const },
      { name: 'tcp-raft', containerPort: 7000, protocol: 'TCP' as const },
      { name: 'grpc', containerPort: 9000, protocol: 'TCP' as const },
    ];
    const all = rule(tt, [src('front')]);

    it("Linkerd's default opaque ports, port names saying tcp, and appProtocol decide", () => {
      const d = destination('web', {
        targets: [tt],
        workloads: [probed('Deployment/web', 'web', { app: 'web' }, [], ports)],
        services: [service('web', [{ port: 80, targetPort: 8080 }, { port: 9000, appProtocol: 'kubernetes.io/h2c' }, { port: 5432, name: 'sql', appProtocol: 'http' }])],
        rules: [all],
      });
      // 5432: on the default list, but the Service declares HTTP; 6379: default list; 7000: named tcp-*; 9000: h2c.
      expect(servers(renderDestination(d).objects)).to.deep.equal([[5432, 'unknown'], [6379, 'opaque'], [7000, 'opaque'], [8080, 'unknown'], [9000, 'unknown']]);
    });

    it('the opaque-ports annotation replaces the default list; names and ranges are read', () => {
      const annotated = probed('Deployment/web', 'web', { app: 'web' }, [], ports, { 'config.linkerd.io/opaque-ports': 'http, 8999-9000' });
      const d = destination('web', { targets: [tt], workloads: [annotated], services: [], rules: [all] });
      expect(servers(renderDestination(d).objects)).to.deep.equal([[5432, 'unknown'], [6379, 'unknown'], [7000, 'opaque'], [8080, 'opaque'], [9000, 'opaque']]);
      expect([...parseOpaquePorts('25,bad, 100-102,cache,', annotated)]).to.deep.equal([25, 100, 101, 102, 6379]);
    });

    it('end to end: the namespace annotation applies to pods without their own, and HTTP rules do not reach opaque ports', () => {
      const objs: KubeObject[] = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data', annotations: { 'config.linkerd.io/opaque-ports': '3000' } } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'db', namespace: 'data' },
          spec: { template: { metadata: { labels: { app: 'db' } }, spec: { serviceAccountName: 'db', containers: [{ name: 'db', ports: [{ containerPort: 3000 }, { containerPort: 3306 }] }] } } },
        },
        { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'g', namespace: 'data' }, spec: { matches: [{ name: 'all', pathRegex: '/.*' }] } },
        {
          apiVersion: 'access.smi-spec.io/v1alpha3',
          kind: 'TrafficTarget',
          metadata: { name: 't', namespace: 'data' },
          spec: { destination: { kind: 'ServiceAccount', name: 'db' }, rules: [{ kind: 'HTTPRouteGroup', name: 'g' }], sources: [{ kind: 'ServiceAccount', name: 'app' }] },
        },
      ];
      const out = getAdapter('linkerd').translate(buildSnapshot(objs).snapshot, DEFAULT_MESH_OPTIONS);
      // The namespace list replaces the default one, so 3306 is detected and 3000 is opaque.
      expect(servers(out.objects)).to.deep.equal([[3000, 'opaque'], [3306, 'unknown']]);
      expect(of(out.objects, 'HTTPRoute').map((r) => (spec(r).parentRefs as Array<{ name: string }>)[0]!.name)).to.deep.equal(['tt-db-3306']);
      expect(out.results.find((r) => r.object === 'TrafficTarget data/t')?.messages).to.deep.equal([
        'spec.rules[0]: pod port 3000 is proxied opaquely (the namespace annotation config.linkerd.io/opaque-ports of Deployment/db lists port 3000), so HTTP rules cannot apply there; nothing is allowed on it by this rule',
      ]);
    });

    it('a workload with no pod spec keeps the old behaviour: only Service ports, detection unless declared', () => {
      const d = destination('web', { targets: [tt], workloads: [workload('Deployment/web', 'web', { app: 'web' })], services: [service('web', [{ port: 80, targetPort: 8080 }])], rules: [all] });
      expect(servers(renderDestination(d).objects)).to.deep.equal([[8080, 'unknown']]);
    });
  });
});
