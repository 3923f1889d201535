import { expect } from 'chai';
import { resolve } from '../../../../adapters/common/resolve.js';
import { DESTINATION_PORT_ANNOTATION } from '../../../../schemas/conversion.js';
import { DEFAULT_MESH_OPTIONS, type ObjectResult, type Snapshot } from '../../../../adapters/types.js';
import { hrg, snapshot, split, svc, target, tcp, udp, workload } from './fixtures.js';

const run = (s: Snapshot, opts = DEFAULT_MESH_OPTIONS) => resolve(s, opts);

function result(model: { results: ObjectResult[] }, ref: string): ObjectResult {
  const r = model.results.find((x) => x.object === ref);
  if (!r) throw new Error(`no result for ${ref}; have ${model.results.map((x) => x.object).join(', ')}`);
  return r;
}

describe('resolve: TrafficSplit', () => {
  const services = [svc('web'), svc('web-v1'), svc('web-v2'), svc('web-v3')];

  it('keeps the relative weights and spec positions, in spec order (each renderer fits them to its mesh)', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 1], ['web-v2', 1], ['web-v3', 1]])] }));
    expect(m.splits).to.have.length(1);
    expect(m.splits[0]!.root.name).to.equal('web');
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight, b.index])).to.deep.equal([
      ['web-v1', 1, 0],
      ['web-v2', 1, 1],
      ['web-v3', 1, 2],
    ]);
    expect(m.splits[0]!.matches).to.deep.equal([]);
    expect(result(m, 'TrafficSplit shop/ab')).to.include({ status: 'Accepted' });
    expect(result(m, 'TrafficSplit shop/ab').messages).to.deep.equal([]);
  });

  it('leaves zero-weight backends out', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 0], ['web-v2', 5]])] }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight])).to.deep.equal([['web-v2', 5]]);
  });

  it('reports all-zero weights as Invalid and renders nothing', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 0], ['web-v2', 0]])] }));
    expect(m.splits).to.deep.equal([]);
    const r = result(m, 'TrafficSplit shop/ab');
    expect(r.status).to.equal('Invalid');
    expect(r.messages.join('\n')).to.match(/spec\.backends: every weight is 0/);
  });

  it('requires the root Service', () => {
    const m = run(snapshot({ services: [svc('web-v1')], trafficSplits: [split('ab', 'web', [['web-v1', 1]])] }));
    expect(m.splits).to.deep.equal([]);
    expect(result(m, 'TrafficSplit shop/ab').status).to.equal('InvalidReference');
    expect(result(m, 'TrafficSplit shop/ab').messages[0]).to.match(/^spec\.service: Service shop\/web not found/);
  });

  it('drops a missing backend Service and routes the rest', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 3], ['gone', 1]])] }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight])).to.deep.equal([['web-v1', 3]]);
    const r = result(m, 'TrafficSplit shop/ab');
    expect(r.status).to.equal('InvalidReference');
    expect(r.messages).to.deep.equal([
      'spec.backends[1].service: Service shop/gone not found; the backend gets no traffic',
      'spec.backends: applied without gone (unusable, see above): 100 % to web-v1',
    ]);
  });

  it('says exactly how the remaining backends share the traffic, and nothing of the kind when the split is not applied', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 50], ['web-v2', 30], ['gone', 20]]), split('c', 'web-v3', [['web-v1', 1], ['web-v2', 1], ['gone', 1]])] }));
    expect(result(m, 'TrafficSplit shop/ab').messages[1]).to.equal('spec.backends: applied without gone (unusable, see above): 62.5 % to web-v1, 37.5 % to web-v2');
    expect(result(m, 'TrafficSplit shop/c').messages[1]).to.equal('spec.backends: applied without gone (unusable, see above): 50 % to web-v1, 50 % to web-v2');
    const none = run(snapshot({ services, trafficSplits: [split('ab', 'missing-root', [['web-v1', 1], ['gone', 1]])] }));
    expect(none.splits).to.deep.equal([]);
    expect(result(none, 'TrafficSplit shop/ab').messages.join('\n')).to.not.contain('applied without');
  });

  it('accepts a missing backend at weight 0 (the documented rollout order) with a note', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 1], ['next', 0]])] }));
    const r = result(m, 'TrafficSplit shop/ab');
    expect(r.status).to.equal('Accepted');
    expect(r.messages[0]).to.match(/^spec\.backends\[1\]\.service: .*weight 0/);
  });

  it('gives a backend without the root ports no traffic and names it', () => {
    const m = run(snapshot({
      services: [svc('web', [80, 443]), svc('web-v1', [80, 443]), svc('web-v2', [80])],
      trafficSplits: [split('ab', 'web', [['web-v1', 1], ['web-v2', 1]])],
    }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight])).to.deep.equal([['web-v1', 1]]);
    const r = result(m, 'TrafficSplit shop/ab');
    expect(r.status).to.equal('InvalidReference');
    expect(r.messages[0]).to.match(/^spec\.backends\[1\]\.service: Service web-v2 has no port 443\/TCP/);
    expect(r.messages[1]).to.equal('spec.backends: applied without web-v2 (unusable, see above): 100 % to web-v1');
  });

  it('reports a split whose backends all lack the root ports', () => {
    const m = run(snapshot({ services: [svc('web', [80]), svc('web-v1', [8080])], trafficSplits: [split('ab', 'web', [['web-v1', 1]])] }));
    expect(m.splits).to.deep.equal([]);
    expect(result(m, 'TrafficSplit shop/ab').messages.join('\n')).to.match(/no backend can receive traffic/);
  });

  it('flags the root Service used as its own backend but keeps it', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web', 1], ['web-v2', 1]])] }));
    expect(m.splits[0]!.backends.map((b) => b.service.name)).to.deep.equal(['web', 'web-v2']);
    expect(result(m, 'TrafficSplit shop/ab').messages[0]).to.match(/^spec\.backends\[0\]\.service: is the root Service web itself/);
  });

  it('adds up a Service listed twice', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 1], ['web-v2', 2], ['web-v1', 1]])] }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight, b.index])).to.deep.equal([['web-v1', 2, 0], ['web-v2', 2, 1]]);
  });

  it('adds up a Service listed twice even when its first entry has weight 0', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 0], ['web-v2', 2], ['web-v1', 1]])] }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight, b.index])).to.deep.equal([['web-v1', 1, 0], ['web-v2', 2, 1]]);
  });

  it('keeps a backend of weight 1 next to 999 (no rounding in resolve; 999:1 used to leave the canary at 0 %)', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 999], ['web-v2', 1]])] }));
    expect(m.splits[0]!.backends.map((b) => [b.service.name, b.weight])).to.deep.equal([['web-v1', 999], ['web-v2', 1]]);
    expect(result(m, 'TrafficSplit shop/ab').messages).to.deep.equal([]);
  });

  it('lets the oldest split of a root Service win and names it in the others', () => {
    const m = run(snapshot({
      services,
      trafficSplits: [
        split('b-new', 'web', [['web-v2', 1]], { created: '2024-02-01T00:00:00Z' }),
        split('z-old', 'web', [['web-v1', 1]], { created: '2024-01-01T00:00:00Z' }),
        split('a-unsaved', 'web', [['web-v3', 1]]),
      ],
    }));
    expect(m.splits.map((s) => s.split.metadata.name)).to.deep.equal(['z-old']);
    expect(result(m, 'TrafficSplit shop/z-old').status).to.equal('Accepted');
    for (const loser of ['b-new', 'a-unsaved']) {
      const r = result(m, `TrafficSplit shop/${loser}`);
      expect(r.status).to.equal('Conflict');
      expect(r.messages[0]).to.contain('already split by TrafficSplit shop/z-old');
    }
  });

  it('notes a backend that is itself split (splits do not nest)', () => {
    const m = run(snapshot({ services, trafficSplits: [split('outer', 'web', [['web-v1', 1], ['web-v2', 1]]), split('inner', 'web-v2', [['web-v3', 1]])] }));
    expect(m.splits).to.have.length(2);
    expect(result(m, 'TrafficSplit shop/outer').messages).to.deep.equal([
      'spec.backends[1].service: Service web-v2 is split by TrafficSplit shop/inner; splits do not nest, so this share goes to web-v2\'s own endpoints',
    ]);
    expect(result(m, 'TrafficSplit shop/inner').messages).to.deep.equal([]);
  });

  it('breaks age ties by name', () => {
    const m = run(snapshot({ services, trafficSplits: [split('b', 'web', [['web-v2', 1]]), split('a', 'web', [['web-v1', 1]])] }));
    expect(m.splits.map((s) => s.split.metadata.name)).to.deep.equal(['a']);
  });

  it('turns every match of the referenced groups into conditions (OR), normalised', () => {
    const m = run(snapshot({
      services,
      httpRouteGroups: [
        hrg('ab-test', [
          { name: 'firefox', headers: { 'User-Agent': '.*Firefox.*', Cookie: 'beta=1' } },
          { name: 'api', pathRegex: '/api|/v2', methods: ['post', 'GET'] as never },
        ]),
        hrg('any', [{ name: 'all', pathRegex: '^/x', methods: ['*', 'GET'] }]),
      ],
      trafficSplits: [split('ab', 'web', [['web-v1', 1]], { matches: ['ab-test', 'any'] })],
    }));
    expect(m.splits[0]!.matches).to.deep.equal([
      { origin: 'ab-test/firefox', headers: [{ name: 'cookie', regex: 'beta=1' }, { name: 'user-agent', regex: '.*Firefox.*' }] },
      { origin: 'ab-test/api', pathRegex: '^(?:/api|/v2)', methods: ['GET', 'POST'], headers: [] },
      { origin: 'any/all', pathRegex: '^/x', headers: [] },
    ]);
  });

  it('does not apply a split whose match group is missing (never widens to all requests)', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', 1]], { matches: ['nope'] })] }));
    expect(m.splits).to.deep.equal([]);
    const r = result(m, 'TrafficSplit shop/ab');
    expect(r.status).to.equal('InvalidReference');
    expect(r.messages[0]).to.equal('spec.matches[0].name: HTTPRouteGroup shop/nope not found (missing, or rejected as invalid)');
  });

  it('marks a group with a bad regex Invalid and the split using it InvalidReference', () => {
    const m = run(snapshot({
      services,
      httpRouteGroups: [hrg('bad', [{ name: 'x', headers: { 'x-user': '(unclosed' } }])],
      trafficSplits: [split('ab', 'web', [['web-v1', 1]], { matches: ['bad'] })],
    }));
    expect(m.splits).to.deep.equal([]);
    expect(result(m, 'HTTPRouteGroup shop/bad').status).to.equal('Invalid');
    expect(result(m, 'HTTPRouteGroup shop/bad').messages[0]).to.match(/^spec\.matches\[0\]\.headers\.x-user: not a valid RE2 regex/);
    expect(result(m, 'TrafficSplit shop/ab').status).to.equal('InvalidReference');
  });

  it('rejects a negative weight naming the field', () => {
    const m = run(snapshot({ services, trafficSplits: [split('ab', 'web', [['web-v1', -1], ['web-v2', 1]])] }));
    expect(result(m, 'TrafficSplit shop/ab').status).to.equal('Invalid');
    expect(result(m, 'TrafficSplit shop/ab').messages[0]).to.match(/^spec\.backends\[0\]\.weight: must be a non-negative integer/);
    expect(m.splits[0]!.backends.map((b) => b.service.name)).to.deep.equal(['web-v2']);
  });
});

describe('resolve: TrafficTarget', () => {
  const workloads = [workload('Deployment/api', 'api', { app: 'api' }), workload('Deployment/web', 'web', { app: 'web' })];
  const services = [svc('api', [8080]), svc('web'), svc('other', [80], { selector: { app: 'other' } })];
  const routes = hrg('api-routes', [
    { name: 'metrics', pathRegex: '/metrics', methods: ['GET'] },
    { name: 'everything', pathRegex: '.*' },
  ]);

  it('resolves HTTP rules restricted to the named matches, with workloads and selecting Services attached', () => {
    const m = run(snapshot({
      services,
      workloads,
      httpRouteGroups: [routes],
      trafficTargets: [target('tt', 'api', [{ kind: 'HTTPRouteGroup', name: 'api-routes', matches: ['metrics'] }], [{ name: 'prometheus', namespace: 'monitoring' }])],
    }));
    expect(m.destinations).to.have.length(1);
    const d = m.destinations[0]!;
    expect([d.namespace, d.serviceAccount]).to.deep.equal(['shop', 'api']);
    expect(d.workloads.map((w) => w.owner)).to.deep.equal(['Deployment/api']);
    expect(d.services.map((s) => s.name)).to.deep.equal(['api']);
    expect(d.rules).to.have.length(1);
    expect(d.rules[0]).to.deep.include({ path: 'spec.rules[0]', sources: [{ namespace: 'monitoring', serviceAccount: 'prometheus', services: [] }], ports: [] });
    expect(d.rules[0]!.http).to.deep.equal([{ origin: 'api-routes/metrics', pathRegex: '^/metrics', methods: ['GET'], headers: [] }]);
    expect(result(m, 'TrafficTarget shop/tt')).to.deep.include({ status: 'Accepted', messages: [] });
  });

  it('attaches every workload of the destination namespace (any ServiceAccount, governed or not), sorted by owner', () => {
    const all = [...workloads, workload('StatefulSet/admin', 'admin', { app: 'api' }), workload('Deployment/api', 'api', { app: 'api' }, 'ops')];
    const m = run(snapshot({ services, workloads: all, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }])] }));
    const d = m.destinations[0]!;
    expect(d.workloads.map((w) => w.owner)).to.deep.equal(['Deployment/api']);
    expect(d.namespaceWorkloads.map((w) => `${w.namespace}/${w.owner}/${w.serviceAccount}`)).to.deep.equal(['shop/Deployment/api/api', 'shop/Deployment/web/web', 'shop/StatefulSet/admin/admin']);
  });

  it('takes every match of the group when rules[].matches is omitted; sources default to the target namespace', () => {
    const m = run(snapshot({ services, workloads, httpRouteGroups: [routes], trafficTargets: [target('tt', 'api', [{ kind: 'HTTPRouteGroup', name: 'api-routes' }], [{ name: 'web' }])] }));
    expect(m.destinations[0]!.rules[0]!.http!.map((c) => c.origin)).to.deep.equal(['api-routes/metrics', 'api-routes/everything']);
    expect(m.destinations[0]!.rules[0]!.sources.map((s) => [s.namespace, s.serviceAccount])).to.deep.equal([['shop', 'web']]);
  });

  it('resolves a source like the destination: the Services of its namespace selecting its pods, with everyone they select', () => {
    const more = [
      ...workloads,
      workload('Deployment/web-canary', 'web', { app: 'web', track: 'canary' }),
      workload('Deployment/batch', 'batch', { app: 'web', role: 'batch' }),
      workload('Deployment/web', 'web', { app: 'web' }, 'other'),
    ];
    const extra = [svc('web-canary', [80], { selector: { track: 'canary' } }), svc('web', [80], { ns: 'other' }), svc('nobody', [80], { selector: { app: 'nobody' } })];
    const m = run(snapshot({ services: [...services, ...extra], workloads: more, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }, { name: 'ghost' }])] }));
    const [web, ghost] = m.destinations[0]!.rules[0]!.sources;
    // Service web also selects the batch pods (app=web): the renderer must see that.
    expect(web!.services!.map((s) => [`${s.service.namespace}/${s.service.name}`, s.serviceAccounts])).to.deep.equal([
      ['shop/web', ['batch', 'web']],
      ['shop/web-canary', ['web']],
    ]);
    expect(ghost).to.deep.equal({ namespace: 'shop', serviceAccount: 'ghost', services: [] });
  });

  it('refuses a destination in another namespace: nothing is resolved for it', () => {
    const m = run(snapshot({ services, workloads, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }], { destNs: 'kube-system' })] }));
    expect(m.destinations).to.deep.equal([]);
    const r = result(m, 'TrafficTarget shop/tt');
    expect(r.status).to.equal('Invalid');
    expect(r.messages[0]).to.match(/^spec\.destination\.namespace: must be the TrafficTarget's own namespace shop, got kube-system/);
  });

  it('merges targets for one ServiceAccount, oldest first, rules ORed', () => {
    const m = run(snapshot({
      services,
      workloads,
      tcpRoutes: [tcp('db', [5432, 5432, 1])],
      httpRouteGroups: [routes],
      trafficTargets: [
        target('newer', 'api', [{ kind: 'TCPRoute', name: 'db' }], [{ name: 'web' }], { created: '2024-05-01T00:00:00Z' }),
        target('older', 'api', [{ kind: 'HTTPRouteGroup', name: 'api-routes', matches: ['metrics'] }], [{ name: 'prom', namespace: 'mon' }], { created: '2024-01-01T00:00:00Z' }),
      ],
    }));
    expect(m.destinations).to.have.length(1);
    const d = m.destinations[0]!;
    expect(d.targets.map((t) => t.metadata.name)).to.deep.equal(['older', 'newer']);
    expect(d.rules.map((r) => [r.target.metadata.name, r.http ? 'http' : 'tcp', r.ports])).to.deep.equal([
      ['older', 'http', []],
      ['newer', 'tcp', [1, 5432]],
    ]);
  });

  it('reports a missing match name and keeps the others', () => {
    const m = run(snapshot({ services, workloads, httpRouteGroups: [routes], trafficTargets: [target('tt', 'api', [{ kind: 'HTTPRouteGroup', name: 'api-routes', matches: ['metrics', 'nope'] }], [{ name: 'web' }])] }));
    expect(m.destinations[0]!.rules[0]!.http!.map((c) => c.origin)).to.deep.equal(['api-routes/metrics']);
    const r = result(m, 'TrafficTarget shop/tt');
    expect(r.status).to.equal('InvalidReference');
    expect(r.messages).to.deep.equal(['spec.rules[0].matches[1]: HTTPRouteGroup shop/api-routes has no match named "nope"']);
  });

  it('drops a rule naming a missing route but still governs the destination (deny-all)', () => {
    const m = run(snapshot({ services, workloads, trafficTargets: [target('tt', 'api', [{ kind: 'HTTPRouteGroup', name: 'nope' }], [{ name: 'web' }])] }));
    expect(m.destinations).to.have.length(1);
    expect(m.destinations[0]!.rules).to.deep.equal([]);
    expect(result(m, 'TrafficTarget shop/tt').status).to.equal('InvalidReference');
  });

  it('never widens a UDPRoute rule: Unsupported, dropped, destination stays deny-all', () => {
    const m = run(snapshot({ services, workloads, udpRoutes: [udp('dns', [53])], trafficTargets: [target('tt', 'api', [{ kind: 'UDPRoute', name: 'dns' }], [{ name: 'web' }])] }));
    expect(m.destinations[0]!.rules).to.deep.equal([]);
    const r = result(m, 'TrafficTarget shop/tt');
    expect(r.status).to.equal('Unsupported');
    expect(r.messages[0]).to.match(/^spec\.rules\[0\]\.kind: UDPRoute rules are not supported/);
    expect(result(m, 'UDPRoute shop/dns').status).to.equal('Accepted');
  });

  it('keeps the TCP rule next to a dropped UDP rule', () => {
    const m = run(snapshot({
      services, workloads, tcpRoutes: [tcp('tcp', [8300, 8301])], udpRoutes: [udp('udp', [8301])],
      trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'tcp' }, { kind: 'UDPRoute', name: 'udp' }], [{ name: 'web' }])],
    }));
    expect(m.destinations[0]!.rules.map((r) => r.ports)).to.deep.equal([[8300, 8301]]);
  });

  it('notes that no workload runs as the destination but stays Accepted', () => {
    const m = run(snapshot({ services, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'ghost', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }])] }));
    const r = result(m, 'TrafficTarget shop/tt');
    expect(r.status).to.equal('Accepted');
    expect(r.messages).to.deep.equal(['spec.destination.name: no workload runs as ServiceAccount shop/ghost, so the identity the rules assume cannot be checked']);
    expect(m.destinations[0]!.rules[0]!.ports).to.deep.equal([]);
  });

  it('resolves destinations in permissive mode and says so', () => {
    const m = run(snapshot({ services, workloads, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }])] }), { ...DEFAULT_MESH_OPTIONS, accessMode: 'permissive' });
    expect(m.destinations[0]!.rules).to.have.length(1);
    expect(result(m, 'TrafficTarget shop/tt').messages[0]).to.match(/permissive/);
  });

  it('drops sources of unsupported kinds', () => {
    const m = run(snapshot({ services, workloads, tcpRoutes: [tcp('all')], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }, { name: 'ops', kind: 'Group' }])] }));
    expect(m.destinations[0]!.rules[0]!.sources.map((s) => s.serviceAccount)).to.deep.equal(['web']);
    expect(result(m, 'TrafficTarget shop/tt').status).to.equal('Unsupported');
    expect(result(m, 'TrafficTarget shop/tt').messages[0]).to.match(/^spec\.sources\[1\]\.kind/);
  });

  it('marks a TCPRoute with a bad port Invalid and does not widen the rule to all ports', () => {
    const m = run(snapshot({ services, workloads, tcpRoutes: [tcp('bad', [0])], trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 'bad' }], [{ name: 'web' }])] }));
    expect(result(m, 'TCPRoute shop/bad').status).to.equal('Invalid');
    expect(result(m, 'TCPRoute shop/bad').messages[0]).to.match(/^spec\.matches\.ports\[0\]/);
    expect(m.destinations[0]!.rules).to.deep.equal([]);
  });
});

describe('resolve: legacy destination.port', () => {
  const services = [svc('api', [8080, 9090])];
  const withPort = (tt: ReturnType<typeof target>, port: string) => ({ ...tt, metadata: { ...tt.metadata, annotations: { [DESTINATION_PORT_ANNOTATION]: port } } });
  const routes = [tcp('all'), tcp('some', [9090, 8080])];

  it('restricts HTTP and all-port TCP rules to the port, intersects port lists', () => {
    const m = run(snapshot({
      services,
      tcpRoutes: routes,
      httpRouteGroups: [hrg('g', [{ name: 'm' }])],
      trafficTargets: [withPort(target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }, { kind: 'TCPRoute', name: 'some' }, { kind: 'HTTPRouteGroup', name: 'g' }], [{ name: 'web' }]), '8080')],
    }));
    expect(m.destinations[0]!.rules.map((r) => r.ports)).to.deep.equal([[8080], [8080], [8080]]);
  });

  it('drops a rule whose ports exclude the legacy port', () => {
    const m = run(snapshot({ services, tcpRoutes: [tcp('other', [9090])], trafficTargets: [withPort(target('tt', 'api', [{ kind: 'TCPRoute', name: 'other' }], [{ name: 'web' }]), '8080')] }));
    expect(m.destinations[0]!.rules).to.deep.equal([]);
  });

  it('treats an unreadable annotation as Invalid and allows nothing', () => {
    const m = run(snapshot({ services, tcpRoutes: routes, trafficTargets: [withPort(target('tt', 'api', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'web' }]), 'http')] }));
    expect(m.destinations[0]!.rules).to.deep.equal([]);
    expect(result(m, 'TrafficTarget shop/tt').status).to.equal('Invalid');
    expect(result(m, 'TrafficTarget shop/tt').messages.join('\n')).to.contain(`metadata.annotations.${DESTINATION_PORT_ANNOTATION}`);
  });
});

describe('resolve: results', () => {
  it('has exactly one result per SMI object, sorted by reference', () => {
    const m = run(snapshot({
      services: [svc('web'), svc('web-v1')],
      trafficSplits: [split('ab', 'web', [['web-v1', 1]])],
      trafficTargets: [target('tt', 'api', [{ kind: 'TCPRoute', name: 't' }], [{ name: 'web' }])],
      httpRouteGroups: [hrg('g', [{ name: 'm' }], 'a')],
      tcpRoutes: [tcp('t')],
      udpRoutes: [udp('u')],
    }));
    expect(m.results.map((r) => r.object)).to.deep.equal([
      'HTTPRouteGroup a/g',
      'TCPRoute shop/t',
      'TrafficSplit shop/ab',
      'TrafficTarget shop/tt',
      'UDPRoute shop/u',
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const parts = {
      services: [svc('web'), svc('web-v1'), svc('web-v2')],
      trafficSplits: [split('a', 'web', [['web-v1', 1]]), split('b', 'web', [['web-v2', 1]])],
      tcpRoutes: [tcp('t1', [1]), tcp('t2', [2])],
      trafficTargets: [target('x', 'api', [{ kind: 'TCPRoute', name: 't1' }], [{ name: 'a' }]), target('y', 'api', [{ kind: 'TCPRoute', name: 't2' }], [{ name: 'b' }])],
    };
    const rev = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, [...v].reverse()]));
    expect(JSON.stringify(run(snapshot(rev)))).to.equal(JSON.stringify(run(snapshot(parts))));
  });
});
