// The aggregation layer works: an APIService backed by an HTTPS server on
// 127.0.0.1 (through an ExternalName Service) is served by the API server, which
// authenticates to it with the front-proxy client certificate.

import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { ApiregistrationV1Api, CoreV1Api, type V1APIService } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { until } from '../../../dev/world/kube.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { clientCertVerified, sendJson, startLocalHttpsServer, type LocalHttpsServer } from '../../support/local-https.js';

const GROUP = 'probe.smi-test.io';
const VERSION = 'v1alpha1';
const GV = `${GROUP}/${VERSION}`;
const APISERVICE = `${VERSION}.${GROUP}`;

interface Seen {
  path: string;
  user?: string;
  groups?: string;
  certVerified: boolean;
  certCn?: string;
}

describe('control plane: aggregated APIService on 127.0.0.1', () => {
  let server: LocalHttpsServer;
  let ns: string;
  const seen: Seen[] = [];

  const handler = (req: IncomingMessage, _body: string, res: import('node:http').ServerResponse) => {
    const cert = clientCertVerified(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    seen.push({
      path,
      user: req.headers['x-remote-user'] as string | undefined,
      groups: req.headers['x-remote-group'] as string | undefined,
      certVerified: cert.verified,
      certCn: cert.commonName,
    });
    // Only the front proxy may talk to an aggregated API server.
    if (!cert.verified) return sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401 });
    if (path === `/apis/${GV}`) {
      return sendJson(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: GV,
        resources: [{ name: 'pings', singularName: 'ping', namespaced: false, kind: 'Ping', verbs: ['get', 'list'] }],
      });
    }
    if (path === `/apis/${GV}/pings`) {
      return sendJson(res, 200, {
        kind: 'PingList',
        apiVersion: GV,
        metadata: {},
        items: [{ kind: 'Ping', apiVersion: GV, metadata: { name: 'pong' }, seenUser: req.headers['x-remote-user'] }],
      });
    }
    if (path === '/apis') {
      return sendJson(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: GROUP, versions: [{ groupVersion: GV, version: VERSION }], preferredVersion: { groupVersion: GV, version: VERSION } }],
      });
    }
    return sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 });
  };

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'cp-aggr');
    server = await startLocalHttpsServer(handler, { clientCaPem: cluster.frontProxyCaPem, dnsNames: [`probe.${ns}.svc`] });
    await cluster.kubeConfig.makeApiClient(CoreV1Api).createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'probe' }, spec: { type: 'ExternalName', externalName: 'localhost' } },
    });
    const body: V1APIService = {
      metadata: { name: APISERVICE },
      spec: {
        group: GROUP,
        version: VERSION,
        service: { name: 'probe', namespace: ns, port: server.port },
        caBundle: Buffer.from(server.caPem).toString('base64'),
        groupPriorityMinimum: 1000,
        versionPriority: 15,
      },
    };
    await cluster.kubeConfig.makeApiClient(ApiregistrationV1Api).createAPIService({ body });
  });

  after(async () => {
    // An unavailable APIService would stall namespace deletion and GC discovery for later tests.
    await sharedCluster()
      .kubeConfig.makeApiClient(ApiregistrationV1Api)
      .deleteAPIService({ name: APISERVICE })
      .catch(() => undefined);
    await server?.close();
  });

  it('becomes Available', async () => {
    const api = sharedCluster().kubeConfig.makeApiClient(ApiregistrationV1Api);
    await until(`APIService ${APISERVICE} Available`, async () => {
      const s = await api.readAPIService({ name: APISERVICE });
      const cond = s.status?.conditions?.find((c) => c.type === 'Available');
      if (cond?.status !== 'True') throw new Error(`Available=${cond?.status} ${cond?.reason}: ${cond?.message}`);
      return true;
    }, 30_000);
  });

  it('proxies discovery and resources, authenticated by the front-proxy cert with the caller in X-Remote-User', async () => {
    const kc = sharedCluster().kubeConfig;
    const discovery = await until('discovery through the API server', async () => {
      const r = await kubeRequest(kc, { method: 'GET', path: `/apis/${GV}` });
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
      return r.body as { groupVersion: string; resources: { name: string }[] };
    }, 20_000);
    expect(discovery.groupVersion).to.equal(GV);
    expect(discovery.resources.map((r) => r.name)).to.deep.equal(['pings']);

    const list = await kubeRequest(kc, { method: 'GET', path: `/apis/${GV}/pings` });
    expect(list.status, list.text).to.equal(200);
    expect((list.body as { items: { metadata: { name: string }; seenUser: string }[] }).items).to.deep.equal([
      { kind: 'Ping', apiVersion: GV, metadata: { name: 'pong' }, seenUser: 'admin' },
    ]);

    const proxied = seen.filter((s) => s.path === `/apis/${GV}/pings`);
    expect(proxied).to.have.length.greaterThan(0);
    expect(proxied[0]).to.include({ user: 'admin', certVerified: true, certCn: 'front-proxy-client' });
    expect(proxied[0]?.groups).to.include('system:masters');
  });

  it('applies RBAC before proxying: an unbound user never reaches the backend', async () => {
    const before = seen.length;
    const r = await kubeRequest(sharedCluster().userKubeConfig('nobody'), { method: 'GET', path: `/apis/${GV}/pings` });
    expect(r.status).to.equal(403);
    expect(seen.slice(before).filter((s) => s.path === `/apis/${GV}/pings`)).to.deep.equal([]);
  });
});
