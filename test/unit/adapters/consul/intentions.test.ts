import { expect } from 'chai';
import fc from 'fast-check';
import type { AccessRule, HttpCondition } from '../../../../adapters/common/model.js';
import { render, PERMISSIVE_ACCESS_NOTE } from '../../../../adapters/consul/index.js';
import { decide, type Request } from './consul-intentions-oracle.js';
import { cond, destination, find, model, NS, options, rule, spec, src, svc, trafficTarget, via } from './fixtures.js';

const tt = trafficTarget('api-access', 'api');
const apiSvc = svc('api', { ports: [{ port: 80, targetPort: 8080 }, { port: 9090, targetPort: 9090 }] });

describe('consul: TrafficTarget (accessMode enforce)', () => {
  it('allows L4 sources by name and denies everyone else with a `*` source', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web'), src('admin')])]);
    const out = render(model([], [dest]), options());
    const si = find(out.objects, 'ServiceIntentions', 'api');
    expect(spec(si).destination).to.deep.equal({ name: 'api' });
    expect(spec(si).sources.map((s: { name: string; action?: string }) => [s.name, s.action])).to.deep.equal([
      ['admin', 'allow'],
      ['web', 'allow'],
      ['*', 'deny'],
    ]);
    expect(si.metadata.ownerReferences?.map((o) => o.uid)).to.deep.equal(['uid-tt-api-access']);
    // L4 intentions work for any protocol: no ServiceDefaults needed.
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceIntentions']);
    for (const policy of ['allow', 'deny'] as const) {
      const req = { path: '/', method: 'GET', headers: {} };
      expect(decide(spec(si), 'web', req, policy)).to.equal('allow');
      expect(decide(spec(si), 'intruder', req, policy)).to.equal('deny');
    }
  });

  it('denies everything when the destination has no rules', () => {
    const out = render(model([], [destination('api', [tt], [apiSvc], [])]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources).to.deep.equal([
      { name: '*', action: 'deny', description: 'smi-operator: SMI access is deny-by-default; only the sources above are allowed' },
    ]);
  });

  it('renders HTTP rules as allow permissions closed by a deny-all permission, and makes the service HTTP', () => {
    const get = cond('rg/get', { pathRegex: '^/v1', methods: ['GET'] });
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web')], { http: [get] })]);
    const out = render(model([], [dest]), options());
    const si = spec(find(out.objects, 'ServiceIntentions', 'api'));
    expect(si.sources[0]).to.deep.equal({
      name: 'web',
      permissions: [
        { action: 'allow', http: { pathRegex: '^/v1.*', methods: ['GET'] } },
        { action: 'deny', http: { pathRegex: '.*' } },
      ],
    });
    expect(spec(find(out.objects, 'ServiceDefaults', 'api'))).to.deep.equal({ protocol: 'http' });
    // Whatever the cluster's ACL default policy, a non-matching request from web is denied.
    for (const policy of ['allow', 'deny'] as const) {
      expect(decide(si, 'web', { path: '/v1/items', method: 'GET', headers: {} }, policy)).to.equal('allow');
      expect(decide(si, 'web', { path: '/v1/items', method: 'POST', headers: {} }, policy)).to.equal('deny');
      expect(decide(si, 'web', { path: '/v2', method: 'GET', headers: {} }, policy)).to.equal('deny');
    }
  });

  it('lets an L4 rule win over HTTP rules for the same source (OR of rules)', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web')], { http: [cond('rg/x', { pathRegex: '^/x' })] }), rule(tt, 1, [src('web')])]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources[0]).to.deep.equal({ name: 'web', action: 'allow' });
    expect(out.objects.some((o) => o.kind === 'ServiceDefaults')).to.equal(false);
  });

  it('drops a rule limited to some pod ports (narrower, Unsupported), never widening it to all ports', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web')], { ports: [8080] }), rule(tt, 1, [src('admin')], { ports: [8080, 9090] })]);
    const out = render(model([], [dest]), options());
    // admin's ports cover every pod port of the Service (its targetPorts): exact. web's do not: dropped.
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['admin', '*']);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]).to.include({ object: `TrafficTarget ${NS}/api-access`, status: 'Unsupported' });
    expect(out.notes[0]?.message).to.match(/^spec\.rules\[0\]: ports 8080 cover only some of the pod ports of Consul service api \(8080, 9090\)/);
  });

  it('reads a rule port as a pod port only: a port meant for one port of a two-port Service never allows the whole service', () => {
    // Service port 80 -> pod port 9090, Service port 9090 -> pod port 8080. Port 9090 is pod port 9090,
    // one of two: matching it against Service ports as well would have covered both.
    const crossed = svc('api', { ports: [{ port: 80, targetPort: 9090 }, { port: 9090, targetPort: 8080 }] });
    const out = render(model([], [destination('api', [tt], [crossed], [rule(tt, 0, [src('web')], { ports: [9090] })])]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['*']);
    expect(out.notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
    expect(out.notes[0]?.message).to.match(/ports 9090 cover only some of the pod ports of Consul service api \(8080, 9090\)/);
  });

  it('says so when a rule port is no pod port of the destination (a Service port number is not one)', () => {
    const out = render(model([], [destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web')], { ports: [80] })])]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['*']);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]?.status).to.equal(undefined);
    expect(out.notes[0]?.message).to.match(/^spec\.rules\[0\]: port 80 is not a pod port of any Service selecting the pods of ServiceAccount shop\/api \(rule ports are pod ports: 8080, 9090\)/);
  });

  it('applies a port rule exactly per Consul service: all of a service\'s pod ports, or none of them', () => {
    const cache = svc('api-cache', { ports: [{ port: 6379, targetPort: 6379 }] });
    const dest = destination('api', [tt], [apiSvc, cache], [rule(tt, 0, [src('worker')], { ports: [6379] }), rule(tt, 1, [src('web')], { ports: [8080, 9090] })]);
    const out = render(model([], [dest]), options());
    const sourcesOf = (n: string) => spec(find(out.objects, 'ServiceIntentions', n)).sources.map((s: { name: string }) => s.name);
    expect(sourcesOf('api-cache')).to.deep.equal(['worker', '*']);
    expect(sourcesOf('api')).to.deep.equal(['web', '*']);
    expect(out.notes.filter((n) => n.status === 'Unsupported')).to.deep.equal([]);
  });

  it('makes a destination whose port is named `grpc` gRPC for its HTTP rules, never HTTP/1.1', () => {
    const grpc = svc('api', { ports: [{ name: 'grpc', port: 9000 }] });
    const dest = destination('api', [tt], [grpc], [rule(tt, 0, [src('web')], { http: [cond('rg/a', { pathRegex: '^/pkg.Svc/' })] })]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceDefaults', 'api'))).to.deep.equal({ protocol: 'grpc' });
  });

  it('drops HTTP rules on a Service declared as TCP by its port name (Unsupported), never making it http', () => {
    const pg = svc('api', { ports: [{ name: 'tcp-pg', port: 5432 }] });
    const out = render(model([], [destination('api', [tt], [pg], [rule(tt, 0, [src('web')], { http: [cond('rg/a', { pathRegex: '^/a' })] })])]), options());
    expect(out.objects.map((o) => o.kind)).to.deep.equal(['ServiceIntentions']);
    expect(out.notes[0]).to.include({ status: 'Unsupported' });
    expect(out.notes[0]?.message).to.match(/but Service api is declared tcp \(port 5432, name tcp\)/);
  });

  it('drops HTTP rules on a Service declared as TCP (Unsupported)', () => {
    const tcp = svc('api', { ports: [{ port: 80, appProtocol: 'tcp' }] });
    const dest = destination('api', [tt], [tcp], [rule(tt, 0, [src('web')], { http: [cond('rg/a', { pathRegex: '^/a' })] })]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['*']);
    expect(out.notes[0]?.status).to.equal('Unsupported');
    expect(out.objects.some((o) => o.kind === 'ServiceDefaults')).to.equal(false);
  });

  it('writes intentions for each Consul service of the destination and warns when its name is not the ServiceAccount\'s', () => {
    const dest = destination('api', [tt], [svc('api-public'), apiSvc], [rule(tt, 0, [src('web')])]);
    const out = render(model([], [dest]), options());
    expect(out.objects.map((o) => spec(o).destination.name)).to.deep.equal(['api', 'api-public']);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]?.message).to.include('Service shop/api-public selects pods running as ServiceAccount api');
    expect(out.notes[0]?.status).to.equal(undefined);
  });

  it('writes nothing for a destination no Service selects (its pods have no Consul name), and says so', () => {
    const out = render(model([], [destination('api', [tt], [], [rule(tt, 0, [src('web')])])]), options());
    expect(out.objects).to.deep.equal([]);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]?.message).to.match(/^spec\.destination: no Service selects the pods of ServiceAccount shop\/api, so they have no Consul service name .*no ServiceIntentions are written for it$/);
  });

  it('drops a port rule on a Service targeting a named container port (its number is unknown)', () => {
    const named = svc('api', { ports: [{ port: 80, targetPort: 'http' }, { port: 9090, targetPort: 9090 }] });
    const out = render(model([], [destination('api', [tt], [named], [rule(tt, 0, [src('web')], { ports: [8080, 9090] })])]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['*']);
    expect(out.notes.find((n) => n.status === 'Unsupported')?.message).to.match(/ports 8080, 9090 cannot be checked against Consul service api: Service api targets the named container port\(s\) "http"/);
  });

  it('names a source by the Consul service its pods are registered as (the Service selecting them), like the destination', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web-sa', NS, [via('web', ['web-sa'])])])]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', '*']);
    expect(out.notes.map((n) => n.message)).to.deep.equal([
      'spec.rules[0]: source ServiceAccount shop/web-sa is matched as Consul service web (Service shop/web); consul-k8s with ACLs enabled refuses to register its pods unless the ServiceAccount is named web',
    ]);
  });

  it('allows a source under every Service selecting only its pods', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web', NS, [via('web', ['web']), via('web-canary', ['web'])])])]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', 'web-canary', '*']);
  });

  it('leaves out a source no Service selects (it has no Consul name), and says so; never allows more', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('batch', NS, []), src('web')])]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', '*']);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]?.message).to.match(/^spec\.rules\[0\]: source ServiceAccount shop\/batch: no Service selects its pods, so they have no Consul service name .*it is not allowed$/);
  });

  it('leaves out a source Service that also selects pods of a ServiceAccount the rule does not allow (Unsupported)', () => {
    // Service web selects the pods of web and of batch; only web-v2 holds web's pods alone.
    const web = src('web', NS, [via('web', ['batch', 'web']), via('web-v2', ['web'])]);
    const out = render(model([], [destination('api', [tt], [apiSvc], [rule(tt, 0, [web])])]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web-v2', '*']);
    expect(out.notes.map((n) => [n.status, n.message])).to.deep.equal([
      ['Unsupported', 'spec.rules[0]: source ServiceAccount shop/web: Service shop/web also selects pods of ServiceAccount(s) batch, which this rule does not allow, and Consul cannot tell them apart; Consul service web is not allowed'],
      [undefined, 'spec.rules[0]: source ServiceAccount shop/web is matched as Consul service web-v2 (Service shop/web-v2); consul-k8s with ACLs enabled refuses to register its pods unless the ServiceAccount is named web-v2'],
    ]);
    // When the rule allows both ServiceAccounts, their shared Service is allowed.
    const both = render(model([], [destination('api', [tt], [apiSvc], [rule(tt, 0, [web, src('batch', NS, [via('web', ['batch', 'web'])])])])]), options());
    expect(spec(find(both.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', 'web-v2', '*']);
    expect(both.notes.filter((n) => n.status !== undefined)).to.deep.equal([]);
  });

  it('merges same-named sources from several namespaces into one (Consul rejects duplicates) and warns', () => {
    const dest = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web'), src('web', 'other')])]);
    const out = render(model([], [dest]), options());
    expect(spec(find(out.objects, 'ServiceIntentions', 'api')).sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', '*']);
    expect(out.notes.map((n) => n.message).join('\n')).to.include('source ServiceAccount other/web is matched by Consul service name only');
  });

  it('allows a source on a Consul service shared by two governed ServiceAccounts only as far as both allow it', () => {
    const tt2 = trafficTarget('b', 'api-b');
    const get = cond('rg/get', { methods: ['GET'] });
    const a = destination('api', [tt], [apiSvc], [rule(tt, 0, [src('web'), src('ops'), src('cron')]), rule(tt, 1, [src('admin')], { http: [get] })]);
    const b = destination('api-b', [tt2], [apiSvc], [rule(tt2, 0, [src('web')]), rule(tt2, 1, [src('ops')], { http: [get] }), rule(tt2, 2, [src('admin')], { http: [cond('rg/post', { methods: ['POST'] })] })]);
    const out = render(model([], [a, b]), options());
    expect(out.objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal(['ServiceDefaults/api', 'ServiceIntentions/api']);
    const si = spec(find(out.objects, 'ServiceIntentions', 'api'));
    // web: both allow everything. ops: one allows everything, the other GET only -> GET only.
    // cron: only api allows it -> denied. admin: GET for one, POST for the other -> not expressible, denied.
    expect(si.sources.map((x: { name: string }) => x.name)).to.deep.equal(['ops', 'web', '*']);
    expect(si.sources[0].permissions[0]).to.deep.equal({ action: 'allow', http: { methods: ['GET'] } });
    expect(find(out.objects, 'ServiceIntentions', 'api').metadata.ownerReferences?.map((o) => o.name)).to.deep.equal(['api-access', 'b']);
    const unsupported = out.notes.filter((n) => n.status === 'Unsupported').map((n) => n.message);
    expect(unsupported.some((m) => m.includes('source cron is allowed only for api'))).to.equal(true);
    expect(unsupported.some((m) => m.includes('allow source admin different requests'))).to.equal(true);
  });

  it('owns the ServiceIntentions by every contributing TrafficTarget, oldest first', () => {
    const tt2 = trafficTarget('later', 'api');
    const out = render(model([], [destination('api', [tt, tt2], [apiSvc], [rule(tt, 0, [src('a')]), rule(tt2, 0, [src('b')])])]), options());
    expect(find(out.objects, 'ServiceIntentions', 'api').metadata.ownerReferences?.map((o) => o.name)).to.deep.equal(['api-access', 'later']);
    expect(find(out.objects, 'ServiceIntentions', 'api').metadata.labels?.['smi-operator.io/source']).to.equal('traffictarget.api-access');
  });

  it('allows exactly what the SMI rules allow, under either ACL default policy (property)', () => {
    const prefixes = ['^/a', '^/b/c', '^/'];
    const condArb = fc.record({
      pathRegex: fc.option(fc.constantFrom(...prefixes), { nil: undefined }),
      methods: fc.option(fc.subarray(['GET', 'POST', 'DELETE'], { minLength: 1 }), { nil: undefined }),
    });
    const ruleArb = fc.record({
      sources: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
      http: fc.option(fc.array(condArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    });
    const requests: Request[] = ['/a', '/a/x', '/b', '/b/c/d', '/z'].flatMap((path) =>
      ['GET', 'POST', 'DELETE'].map((method) => ({ path, method, headers: {} })),
    );
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 4 }), (rules) => {
        const modelRules: AccessRule[] = rules.map((r, i) => {
          const http: HttpCondition[] | undefined = r.http?.map((c, j) => {
            const h: HttpCondition = { origin: `rg/m${i}${j}`, headers: [] };
            if (c.pathRegex !== undefined) h.pathRegex = c.pathRegex;
            if (c.methods !== undefined) h.methods = c.methods;
            return h;
          });
          return rule(tt, i, r.sources.map((s) => src(s)), http ? { http } : {});
        });
        const out = render(model([], [destination('api', [tt], [apiSvc], modelRules)]), options());
        const si = spec(find(out.objects, 'ServiceIntentions', 'api'));
        const smiAllows = (source: string, req: Request): boolean =>
          modelRules.some(
            (r) =>
              r.sources.some((s) => s.serviceAccount === source) &&
              (!r.http || r.http.some((c) => (c.pathRegex === undefined || new RegExp(c.pathRegex).test(req.path)) && (c.methods === undefined || c.methods.includes(req.method)))),
          );
        for (const source of ['a', 'b', 'c', 'd']) {
          for (const req of requests) {
            const want = smiAllows(source, req) ? 'allow' : 'deny';
            expect(decide(si, source, req, 'allow'), `${source} ${req.method} ${req.path}`).to.equal(want);
            expect(decide(si, source, req, 'deny'), `${source} ${req.method} ${req.path}`).to.equal(want);
          }
        }
      }),
    );
  });
});

describe('consul: accessMode permissive', () => {
  it('emits no ServiceIntentions and tells every TrafficTarget why', () => {
    const tt2 = trafficTarget('other', 'api');
    const out = render(model([], [destination('api', [tt, tt2], [apiSvc], [rule(tt, 0, [src('web')])])]), options({ accessMode: 'permissive' }));
    expect(out.objects).to.deep.equal([]);
    expect(out.notes).to.deep.equal([
      { object: `TrafficTarget ${NS}/api-access`, message: PERMISSIVE_ACCESS_NOTE },
      { object: `TrafficTarget ${NS}/other`, message: PERMISSIVE_ACCESS_NOTE },
    ]);
  });
});
