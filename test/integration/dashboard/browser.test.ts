// `smictl dashboard` in a real browser (Debian's Chromium, headless, through
// playwright-core) against the local control plane: the operator running on
// the sample manifests, a real Prometheus scraping the demo's Istio metrics, and
// the TrafficMetrics API behind the kube-apiserver's aggregation layer. Asserts
// on what the page renders, saves a screenshot of each view into the test output
// (SMI_UPDATE_SCREENSHOTS=1 also writes them to docs/dashboard/), and fails on
// any console error.

import { expect } from 'chai';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { HttpKubeClient, resourcePath } from '../../../kube/client.js';
import { restMapper } from '../../../kube/rest-mapper.js';
import { loadFrontProxyConfig } from '../../../metrics-api/auth.js';
import { kubeAccess } from '../../../metrics-api/kube.js';
import { silentLogger } from '../../../log/log.js';
import { createMetricsApiServer, type MetricsApiServer } from '../../../metrics-api/server.js';
import { httpPrometheus } from '../../../metrics-api/prometheus.js';
import { selfSignedCert } from '../../../metrics-api/tls.js';
import { startOperator, type RunningOperator } from '../../../operator/manager.js';
import { createDashboardServer, type DashboardServer } from '../../../dashboard/server/server.js';
import { STATIC_DIR } from '../../../dashboard/server/run.js';
import type { DashboardContext } from '../../../dashboard/server/snapshot.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { launchBrowser, type TestBrowser } from '../../support/browser.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { sleep } from '../../../dev/controlplane/http.js';
import { until } from '../../../dev/world/kube.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { freePort } from '../../../dev/controlplane/ports.js';
import { startExporter, type TestExporter } from '../../support/prometheus/exporter.js';
import { startPrometheus, type TestPrometheus } from '../../support/prometheus/prometheus.js';
import { demoFamilies, sampleObjects } from './fixture.js';

const APISERVICE = 'v1alpha1.metrics.smi-spec.io';
const mapper = restMapper();
const WINDOW_S = 30;
/** The metrics API's windows end this far back, so the last scrape has surely landed (as in the metrics tests). */
const LAG_MS = 2_000;
const OUT = join(repoRoot(), 'test-output', 'dashboard');
const DOCS = join(repoRoot(), 'docs', 'dashboard');

async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (process.env.SMI_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
}

describe('smictl dashboard in Chromium (operator, samples, real Prometheus, aggregated TrafficMetrics)', function () {
  this.timeout(240_000);
  let ns: string;
  let opNs: string;
  let op: RunningOperator | undefined;
  let exporter: TestExporter | undefined;
  let prometheus: TestPrometheus | undefined;
  let metricsApi: MetricsApiServer | undefined;
  let browser: TestBrowser | undefined;
  const servers: DashboardServer[] = [];

  /** A dashboard server on a free loopback port; returns its URL. */
  async function dashboard(ctx: Partial<DashboardContext> = {}, refreshSeconds = 3600): Promise<string> {
    const cluster = sharedCluster();
    const server = createDashboardServer({
      staticDir: STATIC_DIR,
      refreshSeconds,
      ctx: { client: new HttpKubeClient(cluster.kubeConfig), credentials: cluster.kubeConfig, server: cluster.server, operatorNamespace: opNs, defaultMesh: 'istio', ...ctx },
    });
    servers.push(server);
    const port = await server.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${port}/`;
  }

  before(async () => {
    const cluster = sharedCluster();
    const client = new HttpKubeClient(cluster.kubeConfig);
    ns = await createTestNamespace(cluster, 'dash');
    opNs = await createTestNamespace(cluster, 'dash-system');
    browser = await launchBrowser();
    exporter = await startExporter(demoFamilies(ns));
    prometheus = await startPrometheus({ targets: [exporter.target] });

    op = await startOperator({ kubeConfig: cluster.kubeConfig, namespace: opNs, watchNamespace: ns, defaultMesh: 'istio', logger: silentLogger() });
    for (const o of sampleObjects(ns, opNs)) {
      const r = await client.request('PATCH', mapper.path(o), {
        query: { fieldManager: 'dashboard-test', force: true },
        body: o,
        contentType: 'application/apply-patch+yaml',
      });
      if (!r.ok) throw new Error(`apply ${o.kind} ${o.metadata.name}: ${r.error.message}`);
    }

    // The TrafficMetrics API behind the aggregation layer, as config/metrics deploys it.
    const kube = kubeAccess(new HttpKubeClient(cluster.kubeConfig));
    const frontProxy = await loadFrontProxyConfig(kube);
    if (!frontProxy.ok) throw new Error(frontProxy.error.message);
    metricsApi = createMetricsApiServer({
      mesh: 'istio',
      prometheus: httpPrometheus(prometheus.url),
      kube,
      frontProxy: frontProxy.value,
      logger: silentLogger(),
      now: () => Date.now() - LAG_MS,
      tls: selfSignedCert(['localhost', '127.0.0.1']),
    });
    const port = await metricsApi.listen(0, '127.0.0.1');
    const svc = await client.request('POST', resourcePath('v1', 'services', opNs), { body: { metadata: { name: 'smi-metrics' }, spec: { type: 'ExternalName', externalName: 'localhost' } } });
    if (!svc.ok) throw new Error(svc.error.message);
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: APISERVICE },
      spec: { group: 'metrics.smi-spec.io', version: 'v1alpha1', service: { name: 'smi-metrics', namespace: opNs, port }, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 },
    };
    const created = await client.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', { body: apiService });
    if (!created.ok) throw new Error(created.error.message);
    await until(`APIService ${APISERVICE} Available`, async () => {
      const r = await client.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
      return r.ok && r.body.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ? true : undefined;
    }, 60_000);
    // Every sample Ready (the operator wrote its native objects), and the scraped data covers the whole window.
    await until('every sample SMI object Ready', async () => {
      const kinds = ['trafficsplits.split.smi-spec.io/v1alpha4', 'traffictargets.access.smi-spec.io/v1alpha3'];
      for (const k of kinds) {
        const [plural, rest] = k.split(/\.(.*)/) as [string, string];
        const r = await client.request<{ items: KubeObject[] }>('GET', resourcePath(rest, plural, ns));
        if (!r.ok || r.body.items.length === 0) return undefined;
        for (const o of r.body.items) {
          const ready = ((o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
          if (ready?.status !== 'True') return undefined;
        }
      }
      return true;
    }, 60_000);
    const first = await until('first scrape of the demo exporter', async () => exporter!.firstScrapeAt(), 20_000);
    const ready = first + WINDOW_S * 1000 + LAG_MS + 2_000;
    if (Date.now() < ready) await sleep(ready - Date.now());
  });

  after(async () => {
    // An unavailable APIService stalls namespace deletion and discovery for later tests.
    await new HttpKubeClient(sharedCluster().kubeConfig).request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
    for (const s of servers) await s.close();
    await browser?.close();
    await metricsApi?.close();
    await op?.stop();
    await prometheus?.stop();
    await exporter?.close();
  });

  /** Opens a view and waits until a snapshot has been rendered into it. */
  async function open(url: string, view: string): Promise<{ page: Page; errors: string[] }> {
    const p = await browser!.page();
    await p.page.goto(`${url}#view=${view}&namespace=${ns}&window=${WINDOW_S}s`);
    await p.page.waitForSelector('body[data-loaded]', { timeout: 60_000 });
    return p;
  }

  /** Each row's cells, space-separated, whitespace collapsed. */
  const rowText = async (page: Page, selector: string): Promise<string[]> =>
    page.$$eval(selector, (rows) => rows.map((r) => Array.from(r.children, (c) => ((c as { textContent?: string | null }).textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean).join(' ')));
  /** The page's CSP forbids eval, so no waitForFunction: poll a locator instead. */
  const waitForText = (page: Page, selector: string, test: (text: string) => boolean, what: string): Promise<string> =>
    until(what, async () => {
      const t = (await page.locator(selector).textContent()) ?? '';
      return test(t) ? t : undefined;
    }, 20_000);

  it('Topology: workloads as nodes, observed edges with request rate, success rate and p99', async () => {
    const url = await dashboard();
    const { page, errors } = await open(url, 'topology');
    const graph = page.locator('#graph');
    // 5 sample Deployments + the ingress gateway seen only as a peer.
    expect(await graph.getAttribute('data-nodes')).to.equal('6');
    expect(await graph.getAttribute('data-edges')).to.equal('6');
    const rows = await rowText(page, '#edge-table tr[data-edge]');
    // Rates over a 30 s window, by hand: 9 rps, 100 %; website-v2 1 rps with 0.2 rps of 503s: 80 % (failing).
    expect(rows).to.include(`${ns}/frontend ${ns}/website-v1 9.0 rps 100% (healthy) 24.7 ms allowed allowed by ${ns}/website-from-frontend (website-pages/pages)`);
    expect(rows.find((r) => r.startsWith(`${ns}/frontend ${ns}/website-v2`))).to.match(/1\.0 rps 80\.0% \(failing\)/);
    expect(rows.find((r) => r.startsWith(`istio-system/istio-ingressgateway ${ns}/frontend`))).to.match(/10 rps 100% \(healthy\)/);
    expect(await page.locator('#window-status').textContent()).to.match(/^Window: last 30s, ending \d\d:\d\d:\d\dZ · refreshing every 3600 s$/);
    // Keyboard: focus the graph, arrow to the first node, its details are announced.
    await graph.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#details').textContent()).to.match(/Deployment|istio-ingressgateway/);
    await screenshot(page, 'topology');
    expect(errors).to.deep.equal([]);
  });

  it('Access: the edge no TrafficTarget allows is DENIED; allowed edges name their TrafficTarget', async () => {
    const url = await dashboard();
    const { page, errors } = await open(url, 'access');
    const denied = await rowText(page, '#edge-table tr.denied');
    expect(denied).to.have.length(1);
    expect(denied[0]).to.match(new RegExp(`^${ns}/payments-stable ${ns}/website-v1 0\\.5 rps 100% \\(healthy\\) .* DENIED no TrafficTarget allows ${ns}/payments -> ${ns}/website`));
    const all = await rowText(page, '#edge-table tr[data-edge]');
    expect(all.find((r) => r.startsWith(`${ns}/frontend ${ns}/payments-stable`))).to.include(`allowed by ${ns}/payments-api-from-frontend`);
    // Ingress comes from a namespace this dashboard does not list; frontend is governed by no TrafficTarget.
    expect(all.find((r) => r.startsWith(`istio-system/istio-ingressgateway ${ns}/frontend`))).to.include('no policy');
    expect(await page.locator('#legend').textContent()).to.include('DENIED: no TrafficTarget allows it');
    await screenshot(page, 'access');
    expect(errors).to.deep.equal([]);
  });

  it('Splits: configured weights next to the observed share, success rate and p99 per backend', async () => {
    const url = await dashboard();
    const { page, errors } = await open(url, 'splits');
    const canary = page.locator(`section[data-split="${ns}/website-canary"]`);
    expect(await canary.locator('h2').textContent()).to.equal(`${ns}/website-canary → website`);
    const rows = await rowText(page, `section[data-split="${ns}/website-canary"] tr[data-backend]`);
    // Measured at the clients: website-v1 gets 9 rps from frontend plus 0.5 rps from payments-stable, website-v2 1 rps:
    // observed 9.5/10.5 = 90.5 % and 9.5 %, against 90/10 configured.
    expect(rows[0]).to.match(/^website-v1 90 90\.0% 90\.5% 100% \(healthy\) \d/);
    expect(rows[1]).to.match(/^website-v2 10 10\.0% 9\.5% 80\.0% \(failing\) \d/);
    const ab = await rowText(page, `section[data-split="${ns}/payments-ab"] tr[data-backend]`);
    // Weights 0/100 for the Firefox cohort only: everyone else still reaches payments-stable (4 of 5 requests).
    expect(ab[0]).to.match(/^payments-stable 0 0\.0% 80\.0% 100% \(healthy\)/);
    expect(await page.locator(`section[data-split="${ns}/payments-ab"] p`).first().textContent()).to.include(`Only requests matching HTTPRouteGroup/ab-cohort`);
    await screenshot(page, 'splits');
    expect(errors).to.deep.equal([]);
  });

  it('Objects: every SMI object Ready with its native objects; YAML on click; the active mesh', async () => {
    const url = await dashboard();
    const { page, errors } = await open(url, 'objects');
    const rows = await rowText(page, '#objects-view tr[data-object]');
    // SMI: 2 TrafficSplits, 3 TrafficTargets, 3 HTTPRouteGroups, 1 TCPRoute, all Ready on Istio.
    const smi = rows.filter((r) => !/^\S+Policy /.test(r));
    expect(smi).to.have.length(9);
    for (const r of smi) expect(r).to.match(/ True True /);
    // policy.smi-operator.io: the 8 sample policies, each with its own status (Istio has no local rate limit).
    const policies = rows.filter((r) => /^\S+Policy /.test(r));
    expect(policies).to.have.length(8);
    expect(policies.find((r) => r.startsWith(`RateLimitPolicy ${ns} `))).to.not.match(/ True True /);
    expect(policies.find((r) => r.startsWith(`RetryPolicy ${ns} `))).to.match(/ True True /);
    const canary = rows.find((r) => r.startsWith(`TrafficSplit ${ns} website-canary`));
    expect(canary).to.include('VirtualService');
    expect(await page.locator('.mesh dl').textContent()).to.include(`MeshistioAccess modeenforce`);
    await page.locator(`#objects-view tr[data-object="TrafficSplit/${ns}/website-canary"] button[data-yaml^="TrafficSplit/"]`).click();
    const yamlText = await waitForText(page, '#yaml-body', (t) => t.includes('kind: TrafficSplit'), 'the YAML of website-canary');
    expect(yamlText).to.include('weight: 90');
    expect(yamlText).to.not.include('managedFields');
    await screenshot(page, 'objects-yaml');
    await page.keyboard.press('Escape');
    await screenshot(page, 'objects');
    expect(errors).to.deep.equal([]);
  });

  it('live refresh: the page reloads its data by itself and the time window moves', async () => {
    const url = await dashboard({}, 1);
    const { page, errors } = await open(url, 'topology');
    const firstEnd = await page.locator('#window-status').textContent();
    await waitForText(page, '#window-status', (t) => t !== firstEnd, 'the window to move on');
    expect(errors).to.deep.equal([]);
  });

  it('keyboard: the view tabs move with the arrow keys', async () => {
    const url = await dashboard();
    const { page, errors } = await open(url, 'topology');
    await page.locator('#tab-topology').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#tab-access').getAttribute('aria-selected')).to.equal('true');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#splits-view').isVisible()).to.equal(true);
    expect(await page.evaluate('document.activeElement?.id')).to.equal('tab-splits');
    expect(errors).to.deep.equal([]);
  });

  it('200 services and 400 edges: renders and stays responsive to the keyboard', async () => {
    const url = await dashboard();
    const { page, errors } = await browser!.page();
    const nodes = Array.from({ length: 200 }, (_, i) => ({ id: `Deployment/big/s${i}`, kind: 'Deployment', namespace: 'big', name: `s${i}`, serviceAccount: `s${i}`, related: [`s${i}`], external: false }));
    const traffic = { rps: 2, requests: 60, successRate: 0.97, p99: 0.03 };
    const edges = Array.from({ length: 400 }, (_, k) => {
      const [a, b] = [k % 200, ((k % 200) + 1 + 2 * Math.floor(k / 200)) % 200];
      return { id: `${nodes[a]!.id}->${nodes[b]!.id}`, source: nodes[a]!.id, target: nodes[b]!.id, traffic, side: 'server', access: k % 50 === 0 ? 'denied' : 'allowed', allowedBy: [], reason: 'synthetic' };
    });
    const snapshot = {
      generatedAt: new Date().toISOString(), window: '1m', windowSeconds: 60, windowEnd: new Date().toISOString(), namespace: 'big', namespaces: ['big'],
      cluster: { server: 'https://synthetic' }, mesh: { mesh: 'istio', accessMode: 'enforce', mtlsMode: 'strict', clusterDomain: 'cluster.local', trustDomain: 'cluster.local', source: 'synthetic', configMap: { namespace: 'x', name: 'y' }, errors: [] },
      metrics: { type: 'aggregated', description: 'synthetic' }, topology: { nodes, edges, allowedOnly: [], nodeKinds: ['Deployment'] }, splits: [], objects: [], alerts: [],
    };
    await page.route('**/api/snapshot*', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(snapshot) }));
    const t0 = Date.now();
    await page.goto(`${url}#view=access&namespace=big`);
    await page.waitForSelector('#graph[data-nodes="200"]', { timeout: 30_000 });
    const rendered = Date.now() - t0;
    expect(await page.locator('#graph').getAttribute('data-edges')).to.equal('400');
    expect(await page.locator('#edge-table tr.denied').count()).to.equal(8);
    // The main thread is free again: a key press on the graph is answered at once.
    const t1 = Date.now();
    await page.locator('#graph').focus();
    await page.keyboard.press('ArrowRight');
    await waitForText(page, '#details', (t) => t.includes('Deployment big/s0'), 'the first node selected by keyboard');
    const answered = Date.now() - t1;
    // Generous bounds for 2 shared cores: the point is "no freeze", not a benchmark.
    expect(rendered, `first render took ${rendered} ms`).to.be.lessThan(15_000);
    expect(answered, `keyboard answer took ${answered} ms`).to.be.lessThan(2_000);
    await screenshot(page, 'scale-200', false);
    expect(errors).to.deep.equal([]);
  });

  describe('errors a user can act on, shown in the page', () => {
    it('metrics API missing (no APIService, no --prometheus): says so and how to fix it; objects still render', async () => {
      const client = new HttpKubeClient(sharedCluster().kubeConfig);
      await client.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
      await until('metrics.smi-spec.io gone from the API server', async () => {
        const r = await client.request('GET', '/apis/metrics.smi-spec.io/v1alpha1');
        return !r.ok && r.error.status === 404 ? true : undefined;
      }, 30_000);
      const url = await dashboard();
      const { page, errors } = await open(url, 'topology');
      const alert = page.locator('.alert[data-kind="metrics-missing"]');
      expect(await alert.locator('h2').textContent()).to.equal('Warning: The TrafficMetrics API is not installed: no traffic data');
      expect(await alert.textContent()).to.include('--prometheus');
      // Nodes still drawn from the workloads, without edges.
      expect(await page.locator('#graph').getAttribute('data-nodes')).to.equal('5');
      await screenshot(page, 'alert-metrics-missing');
      expect(errors).to.deep.equal([]);
    });

    it('--prometheus fallback: the same topology straight from Prometheus', async () => {
      const url = await dashboard({ prometheus: prometheus!.url });
      const { page, errors } = await open(url, 'topology');
      expect(await page.locator('.alert[data-kind="metrics-missing"] h2').textContent()).to.include(`using Prometheus at ${prometheus!.url} directly`);
      expect(await page.locator('#graph').getAttribute('data-edges')).to.equal('6');
      expect(errors).to.deep.equal([]);
    });

    it('Prometheus down: an error naming it, not a blank graph', async () => {
      const url = await dashboard({ prometheus: `http://127.0.0.1:${await freePort()}` });
      const { page, errors } = await open(url, 'topology');
      const alert = page.locator('.alert[data-kind="prometheus-down"]');
      expect(await alert.locator('h2').textContent()).to.equal('Error: Prometheus does not answer: no traffic data');
      expect(await alert.textContent()).to.include('unreachable');
      await screenshot(page, 'alert-prometheus-down');
      expect(errors).to.deep.equal([]);
    });

    it('RBAC denied: a user without read access sees which reads were refused', async () => {
      const cluster = sharedCluster();
      const user = cluster.userKubeConfig('dashboard-nobody', []);
      const url = await dashboard({ client: new HttpKubeClient(user), credentials: user });
      const { page, errors } = await open(url, 'objects');
      const alerts = await page.locator('.alert[data-kind="forbidden"] h2').allTextContents();
      expect(alerts).to.include(`Warning: RBAC: you may not list trafficsplits.split.smi-spec.io in namespace ${ns}`);
      await screenshot(page, 'alert-rbac');
      expect(errors).to.deep.equal([]);
    });

    it('API server unreachable: says which server and what to check', async () => {
      const cluster = sharedCluster();
      const dead = `https://127.0.0.1:${await freePort()}`;
      const creds = { getCurrentCluster: () => ({ server: dead }), applyToHTTPSOptions: (o: RequestOptions) => cluster.kubeConfig.applyToHTTPSOptions(o) };
      const url = await dashboard({ client: new HttpKubeClient(creds), credentials: creds, server: dead });
      const { page, errors } = await open(url, 'topology');
      const alert = page.locator('.alert[data-kind="api-unreachable"]');
      expect(await alert.locator('h2').textContent()).to.equal(`Error: Cannot reach the Kubernetes API server at ${dead}`);
      expect(await alert.textContent()).to.include('--kubeconfig');
      await screenshot(page, 'alert-unreachable');
      expect(errors).to.deep.equal([]);
    });
  });
});
