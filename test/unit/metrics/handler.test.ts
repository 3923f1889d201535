import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, frontProxyConfigFrom, type FrontProxyConfig } from '../../../metrics-api/auth.js';
import { fail, ok, type Result } from '../../../metrics-api/errors.js';
import { createHandler, type ApiRequest } from '../../../metrics-api/handler.js';
import type { AccessRequest, KubeAccess, UserInfo } from '../../../metrics-api/kube.js';
import { silentLogger } from '../../../metrics-api/log.js';
import { httpPrometheus, type PrometheusClient, type Sample } from '../../../metrics-api/prometheus.js';
import { closedPort } from './closed-port.js';

const BASE = '/apis/metrics.smi-spec.io/v1alpha1';

const T = Date.parse('2026-01-02T03:04:05Z');

const frontProxy: FrontProxyConfig = {
  caPem: 'unused: the TLS layer verifies',
  allowedNames: ['front-proxy-client'],
  usernameHeaders: ['X-Remote-User'],
  groupHeaders: ['X-Remote-Group'],
  extraHeaderPrefixes: ['X-Remote-Extra-'],
};
const aggregator = { verified: true, commonName: 'front-proxy-client' };

/** Answers by the first rule whose every fragment is in the query. */
function fakePrometheus(rules: Array<[string[], Sample[]]>, seen: string[] = []): PrometheusClient {
  return {
    async query(q, time) {
      seen.push(q);
      expect(time).to.equal(T);
      return ok(rules.find(([frags]) => frags.every((f) => q.includes(f)))?.[1] ?? []);
    },
  };
}

function fakeKube(opts: { allow?: (u: UserInfo, a: AccessRequest) => boolean; labelled?: string[]; reviews?: AccessRequest[] } = {}): KubeAccess {
  return {
    async selectNames() {
      return ok(new Set(opts.labelled ?? []));
    },
    async getTrafficSplit(namespace, name) {
      if (name !== 'web-split') return fail('NotFound', `trafficsplits.split.smi-spec.io "${name}" not found`);
      return ok({ namespace, name, apex: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }] });
    },
    async listTrafficSplits() {
      return ok([]);
    },
    async authorize(u, a) {
      opts.reviews?.push(a);
      return ok({ allowed: (opts.allow ?? (() => true))(u, a), reason: '' });
    },
    async getConfigMap() {
      return ok({});
    },
  };
}

const get = (url: string, headers: ApiRequest['headers'] = { 'x-remote-user': 'alice', 'x-remote-group': 'devs' }, peer = aggregator): ApiRequest => ({ method: 'GET', url, headers, peer });

// Istio samples for deployment shop/web. Latencies are in ms in Prometheus and
// seconds in the answer: 8.75 ms -> "8750u", 37.5 ms -> "37500u".
const istioWeb: Array<[string[], Sample[]]> = [
  [['histogram_quantile(0.5,', 'destination_workload="web"'], [{ labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: 8.75 }]],
  [['histogram_quantile(0.9,', 'destination_workload="web"'], [{ labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: 37.5 }]],
  [['histogram_quantile(0.99,', 'destination_workload="web"'], [{ labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: Number.NaN }]],
  [['response_code!~', 'destination_workload="web"'], [{ labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: 79.99999999 }]],
  [['response_code=~', 'destination_workload="web"'], [{ labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: 20 }]],
];

describe('metrics-api handler', () => {
  const logger = silentLogger();

  it('gets one deployment: seconds as Quantities, raw counts, NaN percentile left out', async () => {
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus(istioWeb), kube: fakeKube(), frontProxy, logger, now: () => T });
    const r = await h(get(`${BASE}/namespaces/shop/deployments/web`));
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({
      kind: 'TrafficMetrics',
      apiVersion: 'metrics.smi-spec.io/v1alpha1',
      metadata: { name: 'web', namespace: 'shop', selfLink: `${BASE}/namespaces/shop/deployments/web`, creationTimestamp: '2026-01-02T03:04:05Z' },
      timestamp: '2026-01-02T03:04:05Z',
      window: '30s',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      edge: { direction: 'from', side: 'server', resource: null },
      metrics: [
        { name: 'p90_response_latency', unit: 'seconds', value: '37500u' },
        { name: 'p50_response_latency', unit: 'seconds', value: '8750u' },
        { name: 'success_count', value: '80' },
        { name: 'failure_count', value: '20' },
      ],
    });
  });

  it('takes the window from ?window= (and smi-metrics\' ?t=) into the PromQL range', async () => {
    const seen: string[] = [];
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus([], seen), kube: fakeKube(), frontProxy, logger, now: () => T });
    const r = await h(get(`${BASE}/namespaces/shop/deployments/web?window=1m`));
    expect((r.body as { window: string }).window).to.equal('1m');
    expect(seen).to.have.length(5);
    for (const q of seen) expect(q).to.contain('[60s]');
    const bad = await h(get(`${BASE}/namespaces/shop/deployments/web?t=soon`));
    expect(bad.status).to.equal(400);
  });

  it('lists edges in both directions, each peer named with the same kind', async () => {
    const prom = fakePrometheus([
      [['reporter="source"', 'source_workload="web"', 'response_code!~'], [{ labels: { destination_workload: 'db', destination_workload_namespace: 'shop' }, value: 7 }]],
      [['reporter="destination"', 'destination_workload="web"', 'response_code!~'], [{ labels: { source_workload: 'gateway', source_workload_namespace: 'edge' }, value: 3 }]],
    ]);
    const h = createHandler({ mesh: 'istio', prometheus: prom, kube: fakeKube(), frontProxy, logger, now: () => T });
    const r = await h(get(`${BASE}/namespaces/shop/deployments/web/edges`));
    expect(r.status).to.equal(200);
    const body = r.body as { kind: string; resource: unknown; items: Array<{ edge: unknown; metrics: Array<{ name: string; value: string }> }> };
    expect(body.kind).to.equal('TrafficMetricsList');
    expect(body.resource).to.deep.equal({ kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(body.items.map((i) => i.edge)).to.deep.equal([
      { direction: 'from', side: 'server', resource: { kind: 'Deployment', namespace: 'edge', name: 'gateway' } },
      { direction: 'to', side: 'client', resource: { kind: 'Deployment', namespace: 'shop', name: 'db' } },
    ]);
    expect(body.items.map((i) => i.metrics.find((m) => m.name === 'success_count')?.value)).to.deep.equal(['3', '7']);
  });

  it('filters lists by label selector on the objects, not on the series', async () => {
    const both: Sample[] = [
      { labels: { destination_workload: 'web', destination_workload_namespace: 'shop' }, value: 1 },
      { labels: { destination_workload: 'api', destination_workload_namespace: 'shop' }, value: 2 },
    ];
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus([[['response_code!~'], both]]), kube: fakeKube({ labelled: ['api'] }), frontProxy, logger, now: () => T });
    const all = (await h(get(`${BASE}/namespaces/shop/deployments`))).body as { items: Array<{ resource: { name: string } }> };
    expect(all.items.map((i) => i.resource.name)).to.deep.equal(['api', 'web']);
    const picked = (await h(get(`${BASE}/namespaces/shop/deployments?labelSelector=tier%3Dbackend`))).body as { selector: unknown; items: Array<{ resource: { name: string } }> };
    expect(picked.items.map((i) => i.resource.name)).to.deep.equal(['api']);
    expect(picked.selector).to.deep.equal({ labelSelector: 'tier=backend' });
  });

  it('answers a TrafficSplit with one item per backend, carrying apex and weight', async () => {
    const prom = fakePrometheus([
      [['dst_service="web-v1"', 'classification="success"'], [{ labels: { dst_service: 'web-v1', dst_namespace: 'shop' }, value: 90 }]],
      [['dst_service="web-v2"', 'classification="success"'], [{ labels: { dst_service: 'web-v2', dst_namespace: 'shop' }, value: 10 }]],
    ]);
    const h = createHandler({ mesh: 'linkerd', prometheus: prom, kube: fakeKube(), frontProxy, logger, now: () => T });
    const r = await h(get(`${BASE}/namespaces/shop/trafficsplits/web-split`));
    const items = (r.body as { items: Array<{ backend: unknown; edge: unknown; metrics: Array<{ name: string; value: string }> }> }).items;
    expect(items.map((i) => i.backend)).to.deep.equal([
      { apex: 'web', name: 'web-v1', weight: 90 },
      { apex: 'web', name: 'web-v2', weight: 10 },
    ]);
    expect(items[0]?.edge).to.deep.equal({ direction: 'from', side: 'client', resource: null });
    expect(items.map((i) => i.metrics.find((m) => m.name === 'success_count')?.value)).to.deep.equal(['90', '10']);
    const missing = await h(get(`${BASE}/namespaces/shop/trafficsplits/nope`));
    expect(missing.status).to.equal(404);
  });

  it('401 without a verified front-proxy cert or user header; 403 when the SubjectAccessReview denies', async () => {
    const reviews: AccessRequest[] = [];
    const kube = fakeKube({ allow: (u) => u.groups.includes('metrics-readers'), reviews });
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus(istioWeb), kube, frontProxy, logger, now: () => T });
    const path = `${BASE}/namespaces/shop/deployments/web/edges`;
    const noCert = await h(get(path, { 'x-remote-user': 'alice' }, { verified: false, commonName: 'front-proxy-client' }));
    expect(noCert.status).to.equal(401);
    expect(noCert.body).to.include({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const wrongCn = await h(get(path, { 'x-remote-user': 'alice' }, { verified: true, commonName: 'mallory' }));
    expect(wrongCn.status).to.equal(401);
    const noUser = await h(get(path, {}));
    expect(noUser.status).to.equal(401);
    const denied = await h(get(path, { 'x-remote-user': 'bob', 'x-remote-group': 'devs' }));
    expect(denied.status).to.equal(403);
    expect(denied.body).to.include({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(reviews.at(-1)).to.deep.equal({ verb: 'get', resource: 'deployments', subresource: 'edges', namespace: 'shop', name: 'web' });
    const allowed = await h(get(`${BASE}/namespaces/shop/deployments`, { 'x-remote-user': 'carol', 'x-remote-group': 'metrics-readers' }));
    expect(allowed.status).to.equal(200);
    expect(reviews.at(-1)).to.deep.equal({ verb: 'list', resource: 'deployments', namespace: 'shop' });
  });

  it('serves discovery to any authenticated caller, without an access review', async () => {
    const reviews: AccessRequest[] = [];
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus([]), kube: fakeKube({ allow: () => false, reviews }), frontProxy, logger });
    const r = await h(get(BASE, { 'x-remote-user': 'system:kube-aggregator' }));
    expect(r.status).to.equal(200);
    const list = r.body as { kind: string; groupVersion: string; resources: Array<{ name: string; kind: string; verbs: string[] }> };
    expect(list.kind).to.equal('APIResourceList');
    expect(list.groupVersion).to.equal('metrics.smi-spec.io/v1alpha1');
    expect(list.resources.filter((x) => !x.name.includes('/')).map((x) => x.name)).to.deep.equal([
      'namespaces', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'services', 'trafficsplits',
    ]);
    expect(list.resources.find((x) => x.name === 'deployments/edges')?.kind).to.equal('TrafficMetricsList');
    expect(reviews).to.have.length(0);
  });

  it('404 Status for unknown kinds and kinds the mesh cannot measure', async () => {
    const h = createHandler({ mesh: 'consul', prometheus: fakePrometheus([]), kube: fakeKube(), frontProxy, logger });
    const unknown = await h(get(`${BASE}/namespaces/shop/cronjobs/nightly`));
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.include({ kind: 'Status', reason: 'NotFound' });
    const unmeasurable = await h(get(`${BASE}/namespaces/shop/deployments/web`));
    expect(unmeasurable.status).to.equal(404);
    expect((unmeasurable.body as { message: string }).message).to.contain('mesh consul');
  });

  it('passes Prometheus trouble on as a Status with its code', async () => {
    const down: PrometheusClient = { query: async () => fail('ServiceUnavailable', 'prometheus at http://127.0.0.1:1 unreachable: ECONNREFUSED') };
    const h = createHandler({ mesh: 'linkerd', prometheus: down, kube: fakeKube(), frontProxy: undefined, logger });
    const r = await h(get(`${BASE}/namespaces/shop/deployments/web`));
    expect(r.status).to.equal(503);
    expect(r.body).to.deep.include({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect((r.body as { message: string }).message).to.contain('ECONNREFUSED');
  });
});

describe('metrics-api front-proxy authentication', () => {
  it('reads the extension-apiserver-authentication ConfigMap layout (JSON lists)', () => {
    const cfg = frontProxyConfigFrom({
      'requestheader-client-ca-file': 'PEM',
      'requestheader-allowed-names': '["front-proxy-client"]',
      'requestheader-username-headers': '["X-Remote-User"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
      'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
    });
    expect(cfg).to.deep.equal({ ok: true, value: { caPem: 'PEM', allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] } });
    expect(frontProxyConfigFrom({}).ok).to.equal(false);
  });
  it('takes user, groups (repeated or comma-joined) and extras from the headers', () => {
    const r: Result<UserInfo> = authenticate(frontProxy, aggregator, {
      'x-remote-user': 'alice',
      'x-remote-group': ['devs', 'system:authenticated'],
      'x-remote-extra-scopes': 'a',
    });
    expect(r).to.deep.equal({ ok: true, value: { username: 'alice', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } } });
  });
  it('a malformed X-Remote-Extra-* key is a 400 naming the header, not a 500 (issue 18.10)', async () => {
    const r = authenticate(frontProxy, aggregator, { 'x-remote-user': 'alice', 'x-remote-extra-%zz': 'a' });
    expect(r).to.deep.equal({ ok: false, error: { reason: 'BadRequest', message: 'malformed header x-remote-extra-%zz: the extra key after X-Remote-Extra- is not valid percent-encoding' } });
    const h = createHandler({ mesh: 'istio', prometheus: fakePrometheus(istioWeb), kube: fakeKube(), frontProxy, logger: silentLogger(), now: () => T });
    const res = await h(get(`${BASE}/namespaces/shop/deployments/web`, { 'x-remote-user': 'alice', 'x-remote-extra-%e0%a4%a': 'x' }));
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
  it('allows any CN from the CA when the allowed-names list is empty', () => {
    expect(authenticate({ ...frontProxy, allowedNames: [] }, { verified: true, commonName: 'anything' }, { 'x-remote-user': 'a' }).ok).to.equal(true);
  });
});

describe('metrics-api Prometheus client', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<import('node:net').Socket>();
  before(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hang')) return; // never answers
      if (req.url?.startsWith('/bad')) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1, '2.5'] }, { metric: {}, value: [1, 'NaN'] }] } }));
    });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('parses vector samples, NaN included', async () => {
    const r = await httpPrometheus(base).query('up', T);
    expect(r.ok).to.equal(true);
    if (r.ok) {
      expect(r.value[0]).to.deep.equal({ labels: { a: 'b' }, value: 2.5 });
      expect(Number.isNaN(r.value[1]?.value)).to.equal(true);
    }
  });
  it('a Prometheus that never answers is a Timeout, not a hang', async () => {
    const r = await httpPrometheus(`${base}/hang`, 300).query('up', T);
    expect(r).to.deep.include({ ok: false });
    if (!r.ok) expect(r.error.reason).to.equal('Timeout');
  });
  it('a Prometheus that is not there (connection refused) is ServiceUnavailable', async () => {
    const r = await httpPrometheus(`http://127.0.0.1:${await closedPort()}`).query('up', T);
    if (r.ok) throw new Error('expected failure');
    expect(r.error.reason).to.equal('ServiceUnavailable');
    expect(r.error.message).to.contain('ECONNREFUSED');
  });
  it('a rejected query is an InternalError with Prometheus\' message', async () => {
    const r = await httpPrometheus(`${base}/bad`).query('up{', T);
    if (r.ok) throw new Error('expected failure');
    expect(r.error.reason).to.equal('InternalError');
    expect(r.error.message).to.contain('parse error at char 3');
  });
});
