// Traffic metrics end to end: a real Prometheus scrapes the test exporter (each
// mesh's metric families with known rates), the metrics API computes
// TrafficMetrics from it, and the real kube-apiserver serves them through the
// aggregation layer (APIService -> ExternalName Service -> our HTTPS server).

import { expect } from 'chai';
import { ApiregistrationV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1APIService } from '@kubernetes/client-node';
import { createHandler, type ApiRequest } from '../../../metrics-api/handler.js';
import { HttpKubeClient } from '../../../kube/client.js';
import { kubeAccess } from '../../../metrics-api/kube.js';
import { loadFrontProxyConfig } from '../../../metrics-api/auth.js';
import { silentLogger } from '../../../metrics-api/log.js';
import { httpPrometheus } from '../../../metrics-api/prometheus.js';
import { createMetricsApiServer, type MetricsApiServer } from '../../../metrics-api/server.js';
import { selfSignedCert } from '../../../metrics-api/tls.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { httpGet, sleep } from '../../../dev/controlplane/http.js';
import { until } from '../../../dev/world/kube.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { freePort } from '../../../dev/controlplane/ports.js';
import { startExporter, type TestExporter } from '../../support/prometheus/exporter.js';
import { startPrometheus, type TestPrometheus } from '../../support/prometheus/prometheus.js';
import {
  CONSUL_PAYMENTS, families, ISTIO_WEB, ISTIO_WEB_TO_DB, LINKERD_API, LINKERD_API_TO_DB, LINKERD_WEB_V1, LINKERD_WEB_V2, values, WINDOW,
  type MetricsItem,
} from './fixture.js';

const BASE = '/apis/metrics.smi-spec.io/v1alpha1';
const APISERVICE = 'v1alpha1.metrics.smi-spec.io';
/** Windows end this far in the past, so the last scrape before the end has surely landed. */
const LAG_MS = 2_000;
const WINDOW_MS = 10_000;

describe('traffic metrics API (real Prometheus 2.x, real aggregation layer)', function () {
  this.timeout(120_000);
  let ns: string;
  let exporter: TestExporter;
  let prometheus: TestPrometheus;
  const logger = silentLogger();
  const clock = () => Date.now() - LAG_MS;

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'metrics');
    exporter = await startExporter(families(ns));
    prometheus = await startPrometheus({ targets: [exporter.target] });
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  /** Bounded wait until the window [now-LAG-W, now-LAG] lies inside scraped data (about 14 s after the first scrape). */
  async function dataCoversWindow(): Promise<void> {
    const first = await until('first scrape of the test exporter', async () => exporter.firstScrapeAt(), 15_000);
    const ready = first + WINDOW_MS + LAG_MS + 2_000;
    if (Date.now() < ready) await sleep(ready - Date.now());
  }

  const direct = (mesh: 'istio' | 'linkerd' | 'consul') => {
    const handle = createHandler({ mesh, prometheus: httpPrometheus(prometheus.url), kube: kubeAccess(new HttpKubeClient(sharedCluster().kubeConfig)), frontProxy: undefined, logger, now: clock });
    return async (path: string) => {
      const req: ApiRequest = { method: 'GET', url: `${BASE}${path}${path.includes('?') ? '&' : '?'}window=${WINDOW}`, headers: {}, peer: { verified: false } };
      const r = await handle(req);
      if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
  };

  describe('against Prometheus, per mesh', () => {
    before(dataCoversWindow);

    it('istio: deployment metrics at the server proxy, 5xx as failure, not double counted', async () => {
      const item = (await direct('istio')(`/namespaces/${ns}/deployments/web`)) as MetricsItem;
      expect(item.window).to.equal('10s');
      expect(item.edge).to.deep.equal({ direction: 'from', side: 'server', resource: null });
      expect(values(item)).to.deep.equal(ISTIO_WEB);
    });

    it('istio: edges in both directions', async () => {
      const list = (await direct('istio')(`/namespaces/${ns}/deployments/web/edges`)) as { items: MetricsItem[] };
      expect(list.items.map((i) => i.edge)).to.deep.equal([
        { direction: 'from', side: 'server', resource: { kind: 'Deployment', namespace: 'edge', name: 'gateway' } },
        { direction: 'to', side: 'client', resource: { kind: 'Deployment', namespace: ns, name: 'db' } },
      ]);
      expect(list.items.map(values)).to.deep.equal([ISTIO_WEB, ISTIO_WEB_TO_DB]);
    });

    it('linkerd: deployment inbound metrics and outbound edges', async () => {
      const get = direct('linkerd');
      expect(values((await get(`/namespaces/${ns}/deployments/api`)) as MetricsItem)).to.deep.equal(LINKERD_API);
      const edges = (await get(`/namespaces/${ns}/deployments/api/edges`)) as { items: MetricsItem[] };
      expect(edges.items.map((i) => [i.edge.direction, i.edge.resource?.name])).to.deep.equal([['to', 'db']]);
      expect(values(edges.items[0] as MetricsItem)).to.deep.equal(LINKERD_API_TO_DB);
      // The same pod's inbound traffic, by pod.
      expect(values((await get(`/namespaces/${ns}/pods/api-7d4b9-xk2lp`)) as MetricsItem)).to.deep.equal(LINKERD_API);
    });

    it('linkerd: a TrafficSplit read from the API server gives one item per backend', async () => {
      const split = { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'web-split', namespace: ns }, spec: { service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }] } };
      const created = await kubeRequest(sharedCluster().kubeConfig, { method: 'POST', path: `/apis/split.smi-spec.io/v1alpha4/namespaces/${ns}/trafficsplits`, body: split });
      expect(created.status, created.text).to.equal(201);
      const list = (await direct('linkerd')(`/namespaces/${ns}/trafficsplits/web-split`)) as { items: MetricsItem[] };
      expect(list.items.map((i) => i.backend)).to.deep.equal([
        { apex: 'web', name: 'web-v1', weight: 90 },
        { apex: 'web', name: 'web-v2', weight: 10 },
      ]);
      expect(list.items.map(values)).to.deep.equal([LINKERD_WEB_V1, LINKERD_WEB_V2]);
    });

    it('consul: service metrics from the client sidecars; non-mesh clusters are not listed', async () => {
      const get = direct('consul');
      expect(values((await get(`/namespaces/${ns}/services/payments`)) as MetricsItem)).to.deep.equal(CONSUL_PAYMENTS);
      const list = (await get(`/namespaces/${ns}/services`)) as { items: MetricsItem[] };
      expect(list.items.map((i) => i.resource)).to.deep.equal([{ kind: 'Service', namespace: ns, name: 'payments' }]);
      const edges = (await get(`/namespaces/${ns}/services/web/edges`)) as { items: MetricsItem[] };
      expect(edges.items.map((i) => [i.edge.direction, i.edge.resource?.name])).to.deep.equal([['to', 'payments']]);
      expect(values(edges.items[0] as MetricsItem)).to.deep.equal(CONSUL_PAYMENTS);
    });
  });

  describe('through the kube-apiserver aggregation layer', () => {
    let server: MetricsApiServer;
    let deadServer: MetricsApiServer;
    let slowServer: MetricsApiServer;
    let port: number;

    before(async () => {
      const cluster = sharedCluster();
      const kube = kubeAccess(new HttpKubeClient(cluster.kubeConfig));
      const frontProxy = await loadFrontProxyConfig(kube);
      if (!frontProxy.ok) throw new Error(frontProxy.error.message);
      const tls = selfSignedCert(['localhost', '127.0.0.1']);
      server = createMetricsApiServer({ mesh: 'istio', prometheus: httpPrometheus(prometheus.url), kube, frontProxy: frontProxy.value, logger, now: clock, tls });
      port = await server.listen(0, '127.0.0.1');
      await cluster.kubeConfig.makeApiClient(CoreV1Api).createNamespacedService({
        namespace: ns,
        body: { metadata: { name: 'smi-metrics' }, spec: { type: 'ExternalName', externalName: 'localhost' } },
      });
      const body: V1APIService = {
        metadata: { name: APISERVICE },
        spec: {
          group: 'metrics.smi-spec.io',
          version: 'v1alpha1',
          service: { name: 'smi-metrics', namespace: ns, port },
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      };
      await cluster.kubeConfig.makeApiClient(ApiregistrationV1Api).createAPIService({ body });
      await until(`APIService ${APISERVICE} Available`, async () => {
        const s = await cluster.kubeConfig.makeApiClient(ApiregistrationV1Api).readAPIService({ name: APISERVICE });
        const cond = s.status?.conditions?.find((c) => c.type === 'Available');
        if (cond?.status !== 'True') throw new Error(`Available=${cond?.status} ${cond?.reason}: ${cond?.message}`);
        return true;
      }, 30_000);
      await dataCoversWindow();
    });

    after(async () => {
      // An unavailable APIService would stall namespace deletion and discovery for later tests.
      await sharedCluster().kubeConfig.makeApiClient(ApiregistrationV1Api).deleteAPIService({ name: APISERVICE }).catch(() => undefined);
      await server?.close();
      await deadServer?.close();
      await slowServer?.close();
    });

    /** Points the APIService at another local server. */
    async function useServerOnPort(newPort: number): Promise<void> {
      const api = sharedCluster().kubeConfig.makeApiClient(ApiregistrationV1Api);
      const current = await api.readAPIService({ name: APISERVICE });
      if (!current.spec?.service) throw new Error('APIService has no service');
      current.spec.service.port = newPort;
      await api.replaceAPIService({ name: APISERVICE, body: current });
    }

    it('serves discovery: the APIResourceList lists the kinds and their edges', async () => {
      const r = await kubeRequest(sharedCluster().kubeConfig, { method: 'GET', path: BASE });
      expect(r.status, r.text).to.equal(200);
      const names = (r.body as { resources: Array<{ name: string }> }).resources.map((x) => x.name);
      expect(names).to.include.members(['namespaces', 'deployments', 'deployments/edges', 'trafficsplits', 'services', 'pods']);
    });

    it('kubectl get --raw .../deployments/web/edges returns the hand-computed metrics', async () => {
      const path = `${BASE}/namespaces/${ns}/deployments/web/edges`;
      const r = await kubeRequest(sharedCluster().kubeConfig, { method: 'GET', path, query: { window: WINDOW } });
      expect(r.status, r.text).to.equal(200);
      const list = r.body as { kind: string; items: MetricsItem[] };
      expect(list.kind).to.equal('TrafficMetricsList');
      expect(list.items.map((i) => [i.edge.direction, i.edge.resource?.name])).to.deep.equal([['from', 'gateway'], ['to', 'db']]);
      expect(list.items.map(values)).to.deep.equal([ISTIO_WEB, ISTIO_WEB_TO_DB]);
    });

    it('authorizes each caller with a SubjectAccessReview: 403, then 200 once RBAC allows', async () => {
      const cluster = sharedCluster();
      const path = `${BASE}/namespaces/${ns}/deployments/web`;
      const user = cluster.userKubeConfig('metrics-viewer', ['viewers']);
      const denied = await kubeRequest(user, { method: 'GET', path, query: { window: WINDOW } });
      expect(denied.status, denied.text).to.equal(403);
      expect(denied.body).to.deep.include({ kind: 'Status', reason: 'Forbidden', code: 403 });
      const rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'traffic-metrics' }, rules: [{ apiGroups: ['metrics.smi-spec.io'], resources: ['deployments'], verbs: ['get', 'list'] }] } });
      await rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: { metadata: { name: 'traffic-metrics' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'traffic-metrics' }, subjects: [{ kind: 'Group', name: 'viewers', apiGroup: 'rbac.authorization.k8s.io' }] },
      });
      const allowed = await until('RBAC grant visible to the SubjectAccessReview', async () => {
        const r = await kubeRequest(user, { method: 'GET', path, query: { window: WINDOW } });
        return r.status === 200 ? r : undefined;
      }, 10_000);
      expect(values(allowed.body as MetricsItem)).to.deep.equal(ISTIO_WEB);
      // deployments, not deployments/edges: the subresource needs its own grant.
      const edges = await kubeRequest(user, { method: 'GET', path: `${path}/edges` });
      expect(edges.status, edges.text).to.equal(403);
    });

    it('401 Status to a caller without the front-proxy client certificate', async () => {
      const r = await httpGet(`https://127.0.0.1:${port}${BASE}/namespaces/${ns}/deployments/web`, { insecure: true });
      expect(r.status).to.equal(401);
      expect(JSON.parse(r.body)).to.deep.include({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    });

    it('404 Status for an unknown kind, through the aggregator', async () => {
      const r = await kubeRequest(sharedCluster().kubeConfig, { method: 'GET', path: `${BASE}/namespaces/${ns}/cronjobs/nightly` });
      expect(r.status, r.text).to.equal(404);
      expect(r.body).to.deep.include({ kind: 'Status', reason: 'NotFound' });
    });

    it('Prometheus down: a 503 Status with the reason, quickly, not a hang', async () => {
      // Swap the APIService to a server whose Prometheus is a closed port.
      const cluster = sharedCluster();
      const kube = kubeAccess(new HttpKubeClient(cluster.kubeConfig));
      const frontProxy = await loadFrontProxyConfig(kube);
      if (!frontProxy.ok) throw new Error(frontProxy.error.message);
      const deadUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there
      deadServer = createMetricsApiServer({ mesh: 'istio', prometheus: httpPrometheus(deadUrl, 2_000), kube, frontProxy: frontProxy.value, logger, tls: selfSignedCert() });
      await useServerOnPort(await deadServer.listen(0, '127.0.0.1'));
      const r = await until('the aggregator to use the new port', async () => {
        const x = await kubeRequest(cluster.kubeConfig, { method: 'GET', path: `${BASE}/namespaces/${ns}/deployments/web`, timeoutMs: 10_000 });
        return x.status === 503 && x.text.includes('prometheus at') ? x : undefined;
      }, 20_000);
      expect(r.body).to.deep.include({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
      expect((r.body as { message: string }).message).to.contain(`prometheus at ${deadUrl} unreachable`);
      expect((r.body as { message: string }).message).to.contain('ECONNREFUSED');
    });

    it('Prometheus hung (SIGSTOP): a 504 Status after the query timeout, not a hang', async () => {
      const cluster = sharedCluster();
      const kube = kubeAccess(new HttpKubeClient(cluster.kubeConfig));
      const frontProxy = await loadFrontProxyConfig(kube);
      if (!frontProxy.ok) throw new Error(frontProxy.error.message);
      slowServer = createMetricsApiServer({ mesh: 'istio', prometheus: httpPrometheus(prometheus.url, 2_000), kube, frontProxy: frontProxy.value, logger, tls: selfSignedCert() });
      await useServerOnPort(await slowServer.listen(0, '127.0.0.1'));
      prometheus.pause();
      try {
        const r = await until('the aggregator to use the new port', async () => {
          const x = await kubeRequest(cluster.kubeConfig, { method: 'GET', path: `${BASE}/namespaces/${ns}/deployments/web`, timeoutMs: 20_000 });
          return x.status === 504 && x.text.includes('did not answer') ? x : undefined;
        }, 30_000);
        expect(r.body).to.deep.include({ kind: 'Status', reason: 'Timeout', code: 504 });
        expect((r.body as { message: string }).message).to.equal(`prometheus at ${prometheus.url} did not answer within 2000 ms`);
      } finally {
        prometheus.resume();
      }
    });
  });
});
