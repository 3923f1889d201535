// Admission webhooks at an https URL on 127.0.0.1 are called by the API server,
// and their verdict is enforced.

import { expect } from 'chai';
import { AdmissionregistrationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { expectApiError } from '../../support/api-errors.js';
import { until } from '../../../dev/world/kube.js';
import { sendJson, startLocalHttpsServer, type LocalHttpsServer } from '../../support/local-https.js';

interface Review {
  request: { uid: string; kind: { kind: string }; operation: string; userInfo: { username: string }; object: { metadata: { name?: string; generateName?: string; labels?: Record<string, string> } } };
}

describe('control plane: validating webhook on 127.0.0.1', () => {
  let server: LocalHttpsServer;
  let ns: string;
  let configName: string;
  const reviews: Review['request'][] = [];

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'cp-webhook');
    configName = `smi-test-${ns}`;
    server = await startLocalHttpsServer((req, body, res) => {
      if (req.url?.split('?')[0] !== '/validate') return sendJson(res, 404, {});
      const review = JSON.parse(body) as Review;
      reviews.push(review.request);
      const deny = review.request.object.metadata.labels?.deny === 'true';
      sendJson(res, 200, {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: review.request.uid,
          allowed: !deny,
          ...(deny ? { status: { code: 403, message: 'smi-test webhook says no' } } : {}),
        },
      });
    });
    await cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api).createValidatingWebhookConfiguration({
      body: {
        metadata: { name: configName },
        webhooks: [
          {
            name: 'deny.smi-test.io',
            clientConfig: { url: `${server.url}/validate`, caBundle: Buffer.from(server.caPem).toString('base64') },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
            // Only this test's namespace: other suites share the cluster.
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            failurePolicy: 'Fail',
            timeoutSeconds: 5,
          },
        ],
      },
    });
  });

  after(async () => {
    await sharedCluster()
      .kubeConfig.makeApiClient(AdmissionregistrationV1Api)
      .deleteValidatingWebhookConfiguration({ name: configName })
      .catch(() => undefined);
    await server?.close();
  });

  it('is called for matching requests and its denial is returned to the client', async () => {
    const core = sharedCluster().kubeConfig.makeApiClient(CoreV1Api);
    // The API server picks up new webhook configurations asynchronously.
    const denied = await until('the webhook to deny', async () => {
      try {
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { generateName: 'denied-', labels: { deny: 'true' } } } });
        return undefined;
      } catch (err) {
        return expectApiError(Promise.reject(err));
      }
    }, 15_000);
    expect(denied.status).to.equal(403);
    expect(denied.message).to.include('smi-test webhook says no');
    expect(denied.message).to.include('deny.smi-test.io');

    const allowed = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'allowed' } } });
    expect(allowed.metadata?.uid).to.be.a('string');
    const call = reviews.find((r) => r.object.metadata.name === 'allowed');
    expect(call, 'webhook saw the allowed ConfigMap').to.not.equal(undefined);
    expect(call).to.deep.include({ operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'ConfigMap' } });
    expect(call?.userInfo.username).to.equal('admin');
  });

  it('is not called outside its namespace selector', async () => {
    const cluster = sharedCluster();
    const elsewhere = await createTestNamespace(cluster, 'cp-webhook-other');
    const before = reviews.length;
    await cluster.kubeConfig.makeApiClient(CoreV1Api).createNamespacedConfigMap({
      namespace: elsewhere,
      body: { metadata: { name: 'free', labels: { deny: 'true' } } },
    });
    expect(reviews.length).to.equal(before);
  });
});
