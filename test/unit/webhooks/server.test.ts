import { expect } from 'chai';
import { request } from 'node:https';
import { generateWebhookCertificates, type WebhookCertificates } from '../../../release/certs.js';
import { startWebhookServer, type WebhookServer } from '../../../operator/webhooks/server.js';

function call(port: number, ca: string, method: string, path: string, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, ca, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('webhook server', function () {
  this.timeout(20_000);
  let certs: WebhookCertificates;
  let server: WebhookServer;
  const seen: string[] = [];

  before(async () => {
    certs = generateWebhookCertificates();
    server = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: certs.cert, key: certs.key, maxBodyBytes: 64 * 1024, onRequest: (i) => seen.push(`${i.path} ${i.status}`) });
  });
  after(() => server.close());

  it('serves /convert over TLS trusted through the generated CA', async () => {
    const review = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: {
        uid: 'u1',
        desiredAPIVersion: 'specs.smi-spec.io/v1alpha2',
        objects: [{ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'g' }, spec: { matches: [{ name: 'm', pathRegex: '/x' }] } }],
      },
    };
    const r = await call(server.port, certs.caCert, 'POST', '/convert', JSON.stringify(review));
    expect(r.status).to.equal(200);
    const response = r.json.response as { uid: string; convertedObjects: unknown[] };
    expect(response.uid).to.equal('u1');
    expect(response.convertedObjects).to.deep.equal([{ apiVersion: 'specs.smi-spec.io/v1alpha2', kind: 'HTTPRouteGroup', metadata: { name: 'g' }, matches: [{ name: 'm', pathRegex: '/x' }] }]);
  });

  it('serves /validate', async () => {
    const r = await call(server.port, certs.caCert, 'POST', '/validate', JSON.stringify({ request: { uid: 'a', operation: 'CREATE', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } } }));
    expect(r.json.response).to.deep.equal({ uid: 'a', allowed: true });
  });

  it('answers health checks, unknown paths, wrong methods, bad JSON and oversized bodies with clear errors', async () => {
    expect((await call(server.port, certs.caCert, 'GET', '/healthz')).status).to.equal(200);
    expect(await call(server.port, certs.caCert, 'POST', '/mutate', '{}')).to.deep.equal({ status: 404, json: { error: 'no handler for /mutate' } });
    expect(await call(server.port, certs.caCert, 'GET', '/convert')).to.deep.equal({ status: 405, json: { error: '/convert takes POST' } });
    const bad = await call(server.port, certs.caCert, 'POST', '/validate', '{"request":');
    expect(bad.status).to.equal(400);
    expect(String(bad.json.error)).to.match(/^request body is not JSON: /);
    const big = await call(server.port, certs.caCert, 'POST', '/convert', JSON.stringify({ pad: 'x'.repeat(100 * 1024) }));
    expect(big).to.deep.equal({ status: 413, json: { error: 'request body over 65536 bytes' } });
    expect(seen).to.include('/healthz 200');
  });

  it('refuses clients that do not trust its CA', async () => {
    const other = generateWebhookCertificates();
    let failure: unknown;
    await call(server.port, other.caCert, 'GET', '/healthz').catch((e: unknown) => (failure = e));
    expect(String(failure)).to.match(/self-signed|unable to verify|certificate/i);
  });
});
