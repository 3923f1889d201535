import { expect } from 'chai';
import fc from 'fast-check';
import { render } from '../../../../adapters/consul/index.js';
import { DIRECT_SUBSET } from '../../../../adapters/consul/split.js';
import { webhookSum } from '../../../../adapters/consul/weights.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_LABEL, SOURCE_LABEL } from '../../../../adapters/types.js';
import { cond, find, model, names, NS, options, spec, split, svc } from './fixtures.js';

const web = svc('web');
const v1 = svc('web-v1');
const v2 = svc('web-v2');

describe('consul: TrafficSplit', () => {
  it('renders a split without matches as the root service\'s ServiceSplitter, weights as percentages', () => {
    const out = render(model([split('canary', web, [[v1, 67], [v2, 33]])]), options());
    const splitter = find(out.objects, 'ServiceSplitter', 'web');
    expect(splitter.apiVersion).to.equal('consul.hashicorp.com/v1alpha1');
    expect(spec(splitter)).to.deep.equal({ splits: [{ weight: 67, service: 'web-v1' }, { weight: 33, service: 'web-v2' }] });
    expect(splitter.metadata.labels).to.deep.equal({
      [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
      [MESH_LABEL]: 'consul',
      [SOURCE_LABEL]: 'trafficsplit.canary',
    });
    expect(splitter.metadata.ownerReferences).to.deep.equal([
      { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', name: 'canary', uid: 'uid-ts-canary' },
    ]);
    expect(out.objects.some((o) => o.kind === 'ServiceRouter')).to.equal(false);
    expect(out.notes).to.deep.equal([]);
  });

  it('gives every service of the chain an HTTP ServiceDefaults (Consul rejects splitting tcp services)', () => {
    const out = render(model([split('canary', web, [[v1, 50], [v2, 50]])]), options());
    for (const n of ['web', 'web-v1', 'web-v2']) expect(spec(find(out.objects, 'ServiceDefaults', n))).to.deep.equal({ protocol: 'http' });
    expect(names(out.objects)).to.have.length(4);
  });

  it('keeps weights that are already percentages, in spec order, for any split summing to 100', () => {
    const percents = fc
      .array(fc.nat(100), { minLength: 1, maxLength: 6 })
      .filter((xs) => xs.reduce((a, b) => a + b, 0) <= 100)
      .map((xs) => [...xs, 100 - xs.reduce((a, b) => a + b, 0)].filter((x) => x > 0))
      .filter((xs) => xs.length > 0);
    fc.assert(
      fc.property(percents, (ps) => {
        const backends = ps.map((p, i): [ReturnType<typeof svc>, number] => [svc(`b${i}`), p]);
        const out = render(model([split('s', web, backends)]), options());
        const splits = spec(find(out.objects, 'ServiceSplitter', 'web')).splits as Array<{ weight: number; service: string }>;
        expect(splits.map((s) => s.weight)).to.deep.equal(ps);
        expect(splits.map((s) => s.service)).to.deep.equal(ps.map((_, i) => `b${i}`));
      }),
    );
  });

  it('gives 999:1 a 0.1 % canary (whole percentages gave it 0 %)', () => {
    const out = render(model([split('canary', web, [[v1, 999], [v2, 1]])]), options());
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([
      { weight: 99.9, service: 'web-v1' },
      { weight: 0.1, service: 'web-v2' },
    ]);
    expect(out.notes).to.deep.equal([]);
  });

  it('raises a share below 0.01 % to 0.01 %, taken from the largest backend, and says so', () => {
    const out = render(model([split('canary', web, [[v1, 99_999], [v2, 1]])]), options());
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([
      { weight: 99.99, service: 'web-v1' },
      { weight: 0.01, service: 'web-v2' },
    ]);
    expect(out.notes.map((n) => [n.status, n.message])).to.deep.equal([
      [undefined, 'spec.backends[1].weight: 1 of 100000 is below 0.01 %, the smallest share a Consul ServiceSplitter can express; it gets 0.01 %, taken from the largest backend'],
    ]);
  });

  it('lists the splits in an order whose float32 sum is exactly 100, as consul-k8s checks', () => {
    // 99.98 + 0.01 + 0.01 added in float32 (consul-k8s's webhook, in list order) is not 100.
    const f = Math.fround;
    expect(f(f(f(99.98) + f(0.01)) + f(0.01))).to.not.equal(100);
    const v3 = svc('web-v3');
    const out = render(model([split('canary', web, [[v1, 9998], [v2, 1], [v3, 1]])]), options());
    const splits = spec(find(out.objects, 'ServiceSplitter', 'web')).splits as Array<{ weight: number; service: string }>;
    expect(splits).to.deep.equal([
      { weight: 0.01, service: 'web-v2' },
      { weight: 0.01, service: 'web-v3' },
      { weight: 99.98, service: 'web-v1' },
    ]);
    expect(webhookSum(splits.map((x) => x.weight))).to.equal(100);
    expect(out.notes).to.deep.equal([]);
  });

  it('routes A/B matches to a virtual service that carries the split; the rest stays on the root', () => {
    const api = cond('rg/api', { pathRegex: '^/api', methods: ['GET', 'POST'], headers: [{ name: 'x-user', regex: 'beta-.*' }] });
    const out = render(model([split('ab', web, [[v2, 100]], [api])]), options());
    const router = find(out.objects, 'ServiceRouter', 'web');
    expect(spec(router)).to.deep.equal({
      routes: [
        {
          match: { http: { pathRegex: '^/api.*', methods: ['GET', 'POST'], header: [{ name: 'x-user', regex: 'beta-.*' }] } },
          destination: { service: 'web-smi-ab' },
        },
      ],
    });
    expect(spec(find(out.objects, 'ServiceSplitter', 'web-smi-ab'))).to.deep.equal({ splits: [{ weight: 100, service: 'web-v2' }] });
    // No splitter on the root: requests no route matches go to the root service unchanged.
    expect(out.objects.filter((o) => o.kind === 'ServiceSplitter').map((o) => o.metadata.name)).to.deep.equal(['web-smi-ab']);
    for (const n of ['web', 'web-smi-ab', 'web-v2']) expect(spec(find(out.objects, 'ServiceDefaults', n)).protocol).to.equal('http');
  });

  it('rewrites the start-anchored SMI path regex so that a whole-path match means a prefix match', () => {
    const out = render(model([split('ab', web, [[v2, 100]], [cond('rg/a', { pathRegex: '^(?:/a|/b)' })])]), options());
    const re = spec(find(out.objects, 'ServiceRouter', 'web')).routes[0].match.http.pathRegex as string;
    const whole = new RegExp(`^(?:${re})$`);
    expect(whole.test('/a')).to.equal(true);
    expect(whole.test('/b/c?')).to.equal(true);
    expect(whole.test('/x/a')).to.equal(false);
  });

  it('sends every request to the split when a match has no condition (route without match)', () => {
    const out = render(model([split('ab', web, [[v2, 100]], [cond('rg/any')])]), options());
    expect(spec(find(out.objects, 'ServiceRouter', 'web')).routes).to.deep.equal([{ destination: { service: 'web-smi-ab' } }]);
  });

  it('puts A/B routes and a catch-all split of one root together: router for the matches, root splitter for the rest', () => {
    const a = split('ab', web, [[v2, 100]], [cond('rg/a', { headers: [{ name: 'x-canary', regex: 'yes' }] })]);
    const b = split('b-ab', web, [[v1, 100]], [cond('rg/b', { methods: ['DELETE'] })]);
    const all = split('all', web, [[v1, 90], [v2, 10]]);
    const out = render(model([a, all, b]), options());
    expect(spec(find(out.objects, 'ServiceRouter', 'web')).routes.map((r: { destination: { service: string } }) => r.destination.service)).to.deep.equal([
      'web-smi-ab',
      'web-smi-b-ab',
    ]);
    expect(find(out.objects, 'ServiceRouter', 'web').metadata.ownerReferences?.map((o) => o.name)).to.deep.equal(['ab', 'b-ab']);
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.have.length(2);
  });

  it('reports a second catch-all split of the same root as a Conflict and renders only the first', () => {
    const out = render(model([split('one', web, [[v1, 100]]), split('two', web, [[v2, 100]])]), options());
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([{ weight: 100, service: 'web-v1' }]);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]).to.include({ object: `TrafficSplit ${NS}/two`, status: 'Conflict' });
  });

  it('keeps splits flat: a backend that has its own splitter is addressed through a terminal resolver subset', () => {
    const v2a = svc('web-v2a');
    const outer = split('outer', web, [[v1, 50], [v2, 50]]);
    const inner = split('inner', v2, [[v2a, 100]]);
    const out = render(model([outer, inner]), options());
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([
      { weight: 50, service: 'web-v1' },
      { weight: 50, service: 'web-v2', serviceSubset: DIRECT_SUBSET },
    ]);
    const resolver = find(out.objects, 'ServiceResolver', 'web-v2');
    expect(spec(resolver)).to.deep.equal({ subsets: { [DIRECT_SUBSET]: {} } });
    expect(resolver.metadata.ownerReferences?.map((o) => o.name)).to.deep.equal(['outer']);
  });

  it('needs no resolver when the root is its own backend (Consul resolves a self-split directly)', () => {
    const out = render(model([split('self', web, [[web, 80], [v2, 20]])]), options());
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([
      { weight: 80, service: 'web' },
      { weight: 20, service: 'web-v2' },
    ]);
    expect(out.objects.some((o) => o.kind === 'ServiceResolver')).to.equal(false);
  });

  it('uses the protocol the Services declare (grpc) along the whole chain', () => {
    const grpc = (n: string) => svc(n, { ports: [{ port: 9000, protocol: 'TCP', appProtocol: 'grpc' }] });
    const out = render(model([split('g', grpc('api'), [[grpc('api-v1'), 50], [svc('api-v2', { ports: [{ port: 9000 }] }), 50]])]), options());
    for (const n of ['api', 'api-v1', 'api-v2']) expect(spec(find(out.objects, 'ServiceDefaults', n))).to.deep.equal({ protocol: 'grpc' });
  });

  it('reads the protocol from the port name as Istio does: the SMI birds example (port `grpc`) is split as gRPC, never HTTP/1.1', () => {
    const bird = (n: string) => svc(n, { ports: [{ name: 'grpc', port: 8080, protocol: 'TCP' }] });
    const out = render(model([split('birds', bird('birds'), [[bird('blue-birds'), 50], [bird('green-birds'), 50]])]), options());
    for (const n of ['birds', 'blue-birds', 'green-birds']) expect(spec(find(out.objects, 'ServiceDefaults', n))).to.deep.equal({ protocol: 'grpc' });
    expect(out.notes).to.deep.equal([]);
  });

  it('never makes a port named after a server-first protocol (redis) http: the split is Unsupported', () => {
    const cache = (n: string) => svc(n, { ports: [{ name: 'redis', port: 6379 }] });
    const out = render(model([split('c', cache('cache'), [[cache('cache-b'), 100]])]), options());
    expect(out.objects).to.deep.equal([]);
    expect(out.notes.map((n) => [n.status, n.message])).to.deep.equal([
      ['Unsupported', 'spec: Service cache is declared tcp (port 6379, name redis), but Consul splits and routes only HTTP-based traffic (http, http2, grpc); the split is not rendered'],
    ]);
  });

  it('refuses a root whose ports declare different protocols: a Consul service has one (Unsupported)', () => {
    const two = (n: string) => svc(n, { ports: [{ name: 'http', port: 80, appProtocol: 'http' }, { name: 'grpc-admin', port: 9000 }] });
    const out = render(model([split('p', two('payments'), [[two('payments-beta'), 100]])]), options());
    expect(out.objects).to.deep.equal([]);
    expect(out.notes[0]?.status).to.equal('Unsupported');
    expect(out.notes[0]?.message).to.equal(
      'spec: Service payments: port 80 (appProtocol http) is http but port 9000 (name grpc) is grpc, and a Consul service has one protocol, but Consul splits and routes only HTTP-based traffic (http, http2, grpc); the split is not rendered',
    );
  });

  it('refuses to split a TCP service (Unsupported, nothing emitted)', () => {
    const db = svc('db', { ports: [{ port: 5432, appProtocol: 'tcp' }] });
    const out = render(model([split('db', db, [[svc('db-a', { ports: [{ port: 5432 }] }), 100]])]), options());
    expect(out.objects).to.deep.equal([]);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]).to.include({ object: `TrafficSplit ${NS}/db`, status: 'Unsupported' });
    expect(out.notes[0]?.message).to.match(/Service db is declared tcp/);
  });

  it('refuses a chain whose Services declare different protocols', () => {
    const out = render(
      model([split('m', svc('m', { ports: [{ port: 80, appProtocol: 'http' }] }), [[svc('m2', { ports: [{ port: 80, appProtocol: 'grpc' }] }), 100]])]),
      options(),
    );
    expect(out.objects).to.deep.equal([]);
    expect(out.notes[0]?.status).to.equal('Unsupported');
  });

  it('reports a Conflict when two splits need different protocols on a shared service', () => {
    const shared = svc('shared', { ports: [{ port: 80 }] });
    const a = split('a', svc('a', { ports: [{ port: 80, appProtocol: 'grpc' }] }), [[shared, 100]]);
    const b = split('b', svc('b', { ports: [{ port: 80, appProtocol: 'http' }] }), [[shared, 100]]);
    const out = render(model([a, b]), options());
    expect(spec(find(out.objects, 'ServiceDefaults', 'shared')).protocol).to.equal('grpc');
    expect(out.objects.some((o) => o.kind === 'ServiceSplitter' && o.metadata.name === 'b')).to.equal(false);
    expect(out.notes.map((n) => [n.object, n.status])).to.deep.equal([[`TrafficSplit ${NS}/b`, 'Conflict']]);
  });

  it('lists every split that touches a service among the owners of its ServiceDefaults', () => {
    const out = render(model([split('one', web, [[v1, 100]]), split('two', svc('api'), [[v1, 100]])]), options());
    expect(find(out.objects, 'ServiceDefaults', 'web-v1').metadata.ownerReferences?.map((o) => o.name)).to.deep.equal(['one', 'two']);
  });
});
