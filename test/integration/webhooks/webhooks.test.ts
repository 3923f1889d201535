// The webhook server against a real API server: CRD conversion through
// /convert (v1alpha1 <-> v1alpha4 TrafficSplits) and admission through /validate.

import { expect } from 'chai';
import type { KubeConfig } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { until } from '../../../dev/world/kube.js';
import { kubeRequest, type KubeResponse } from '../../../dev/controlplane/kube-request.js';
import { DESTINATION_PORT_ANNOTATION, HUB_FIELDS_ANNOTATION, V1ALPHA1_WEIGHTS_ANNOTATION } from '../../../schemas/annotations.js';
import { generateWebhookCertificates } from '../../../release/certs.js';
import { startWebhookServer, type WebhookServer } from '../../../operator/webhooks/server.js';

const CONVERTED_CRDS = ['trafficsplits.split.smi-spec.io', 'traffictargets.access.smi-spec.io', 'httproutegroups.specs.smi-spec.io', 'tcproutes.specs.smi-spec.io'];
const crdPath = (name: string) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
const objects = (group: string, version: string, ns: string, plural: string) => `/apis/${group}/${version}/namespaces/${ns}/${plural}`;
const splits = (ns: string, version: string) => `/apis/split.smi-spec.io/${version}/namespaces/${ns}/trafficsplits`;

async function ok(r: Promise<KubeResponse>): Promise<Record<string, unknown>> {
  const res = await r;
  if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${res.text}`);
  return res.body as Record<string, unknown>;
}

describe('webhooks against the API server', function () {
  let kc: KubeConfig;
  let server: WebhookServer;
  let ns: string;
  let caBundle: string;
  const calls: string[] = [];

  before(async () => {
    const cluster = sharedCluster();
    kc = cluster.kubeConfig;
    ns = await createTestNamespace(cluster, 'smi-webhooks');
    const certs = generateWebhookCertificates();
    caBundle = Buffer.from(certs.caCert).toString('base64');
    server = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: certs.cert, key: certs.key, onRequest: (i) => calls.push(`${i.path} ${i.status}`) });
  });

  after(async () => {
    await server?.close();
  });

  describe('conversion (/convert)', () => {
    const patchAll = (conversion: unknown) =>
      Promise.all(CONVERTED_CRDS.map((crd) => ok(kubeRequest(kc, { method: 'PATCH', path: crdPath(crd), contentType: 'application/merge-patch+json', body: { spec: { conversion } } }))));

    before(async () => {
      await patchAll({
        strategy: 'Webhook',
        webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: `https://127.0.0.1:${server.port}/convert`, caBundle } },
      });
      // The API server switches a CRD's conversion strategy asynchronously, and an object created before the
      // switch is stored without conversion (strategy None only rewrites apiVersion). So wait, per CRD, until
      // reading a storage-version probe through an older version really reaches /convert.
      const probes: Array<{ group: string; plural: string; hub: string; old: string; spec: unknown }> = [
        { group: 'split.smi-spec.io', plural: 'trafficsplits', hub: 'v1alpha4', old: 'v1alpha1', spec: { service: 'probe', backends: [{ service: 'probe-v1', weight: 1 }] } },
        {
          group: 'access.smi-spec.io', plural: 'traffictargets', hub: 'v1alpha3', old: 'v1alpha2',
          spec: { destination: { kind: 'ServiceAccount', name: 'probe' }, rules: [{ kind: 'TCPRoute', name: 'probe' }], sources: [{ kind: 'ServiceAccount', name: 'probe' }] },
        },
        { group: 'specs.smi-spec.io', plural: 'httproutegroups', hub: 'v1alpha4', old: 'v1alpha1', spec: { matches: [{ name: 'all', pathRegex: '/' }] } },
        { group: 'specs.smi-spec.io', plural: 'tcproutes', hub: 'v1alpha4', old: 'v1alpha1', spec: { matches: { ports: [80] } } },
      ];
      for (const p of probes) {
        const kind = { trafficsplits: 'TrafficSplit', traffictargets: 'TrafficTarget', httproutegroups: 'HTTPRouteGroup', tcproutes: 'TCPRoute' }[p.plural];
        const probe = { apiVersion: `${p.group}/${p.hub}`, kind, metadata: { name: 'conversion-probe' }, spec: p.spec };
        await ok(kubeRequest(kc, { method: 'POST', path: objects(p.group, p.hub, ns, p.plural), body: probe }));
        await until(`${p.plural}: reads through ${p.old} reach the conversion webhook`, async () => {
          const before = calls.filter((c) => c.startsWith('/convert')).length;
          const r = await kubeRequest(kc, { method: 'GET', path: `${objects(p.group, p.old, ns, p.plural)}/conversion-probe` });
          return r.status === 200 && calls.filter((c) => c.startsWith('/convert')).length > before ? true : undefined;
        }, 30_000);
        await ok(kubeRequest(kc, { method: 'DELETE', path: `${objects(p.group, p.hub, ns, p.plural)}/conversion-probe` }));
      }
    });

    after(async () => {
      // Other suites share the cluster: back to the standalone (None) strategy.
      await patchAll({ strategy: 'None', webhook: null });
    });

    it('stores a v1alpha1 split with Quantity weights and serves it as v1alpha4 and back', async () => {
      const body = {
        apiVersion: 'split.smi-spec.io/v1alpha1',
        kind: 'TrafficSplit',
        metadata: { name: 'quantities' },
        spec: { service: 'web', backends: [{ service: 'web-v1', weight: 1 }, { service: 'web-v2', weight: '500m' }] },
      };
      // The API server picks up the new conversion config asynchronously.
      await until('a v1alpha1 create through the conversion webhook', async () => {
        const r = await kubeRequest(kc, { method: 'POST', path: splits(ns, 'v1alpha1'), body });
        return r.status === 201 || r.status === 409 ? r : undefined;
      }, 20_000);
      const hub = await ok(kubeRequest(kc, { method: 'GET', path: `${splits(ns, 'v1alpha4')}/quantities` }));
      expect(hub.apiVersion).to.equal('split.smi-spec.io/v1alpha4');
      expect(hub.spec).to.deep.equal({ service: 'web', backends: [{ service: 'web-v1', weight: 1000 }, { service: 'web-v2', weight: 500 }] });
      expect((hub.metadata as { annotations: Record<string, string> }).annotations[V1ALPHA1_WEIGHTS_ANNOTATION]).to.equal('[1,"500m"]');

      const old = await ok(kubeRequest(kc, { method: 'GET', path: `${splits(ns, 'v1alpha1')}/quantities` }));
      expect(old.apiVersion).to.equal('split.smi-spec.io/v1alpha1');
      expect(old.spec).to.deep.equal(body.spec);
      expect((old.metadata as { annotations?: Record<string, string> }).annotations?.[V1ALPHA1_WEIGHTS_ANNOTATION]).to.equal(undefined);
      expect(calls.some((c) => c === '/convert 200')).to.equal(true);
    });

    it('stores a v1alpha4 split with matches and serves it as v1alpha2 and v1alpha1 without losing them', async () => {
      const body = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'ab' },
        spec: { service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }], matches: [{ kind: 'HTTPRouteGroup', name: 'firefox' }] },
      };
      await ok(kubeRequest(kc, { method: 'POST', path: splits(ns, 'v1alpha4'), body }));
      const v2 = await ok(kubeRequest(kc, { method: 'GET', path: `${splits(ns, 'v1alpha2')}/ab` }));
      expect(v2.spec).to.deep.equal({ service: 'web', backends: body.spec.backends });
      const kept = JSON.parse((v2.metadata as { annotations: Record<string, string> }).annotations[HUB_FIELDS_ANNOTATION]!);
      expect(kept).to.deep.equal({ 'spec.matches': body.spec.matches });

      // An update through v1alpha2 keeps the matches it cannot see.
      const updated = { ...v2, spec: { service: 'web', backends: [{ service: 'web-v1', weight: 50 }, { service: 'web-v2', weight: 50 }] } };
      await ok(kubeRequest(kc, { method: 'PUT', path: `${splits(ns, 'v1alpha2')}/ab`, body: updated }));
      const hub = await ok(kubeRequest(kc, { method: 'GET', path: `${splits(ns, 'v1alpha4')}/ab` }));
      expect(hub.spec).to.deep.equal({ ...updated.spec, matches: body.spec.matches });

      const v1 = await ok(kubeRequest(kc, { method: 'GET', path: `${splits(ns, 'v1alpha1')}/ab` }));
      expect((v1.spec as { backends: unknown }).backends).to.deep.equal(updated.spec.backends);
    });

    it('serves a v1alpha1 TrafficTarget (no spec wrapper, destination.port) as v1alpha3 and back', async () => {
      const body = {
        apiVersion: 'access.smi-spec.io/v1alpha1',
        kind: 'TrafficTarget',
        metadata: { name: 'scrape' },
        destination: { kind: 'ServiceAccount', name: 'api', namespace: ns, port: 8080 },
        specs: [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['metrics'] }],
        sources: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: ns }],
      };
      await ok(kubeRequest(kc, { method: 'POST', path: objects('access.smi-spec.io', 'v1alpha1', ns, 'traffictargets'), body }));
      const hub = await ok(kubeRequest(kc, { method: 'GET', path: `${objects('access.smi-spec.io', 'v1alpha3', ns, 'traffictargets')}/scrape` }));
      expect(hub.spec).to.deep.equal({ destination: { kind: 'ServiceAccount', name: 'api', namespace: ns }, rules: body.specs, sources: body.sources });
      expect((hub.metadata as { annotations: Record<string, string> }).annotations[DESTINATION_PORT_ANNOTATION]).to.equal('8080');
      const old = await ok(kubeRequest(kc, { method: 'GET', path: `${objects('access.smi-spec.io', 'v1alpha1', ns, 'traffictargets')}/scrape` }));
      expect({ destination: old.destination, specs: old.specs, sources: old.sources, spec: old.spec }).to.deep.equal({ destination: body.destination, specs: body.specs, sources: body.sources, spec: undefined });
    });

    it('keeps HTTPRouteGroup headers through an update made at v1alpha1 (which has none)', async () => {
      const path = (v: string) => objects('specs.smi-spec.io', v, ns, 'httproutegroups');
      const body = {
        apiVersion: 'specs.smi-spec.io/v1alpha4',
        kind: 'HTTPRouteGroup',
        metadata: { name: 'routes' },
        spec: { matches: [{ name: 'firefox', headers: [{ 'user-agent': '.*Firefox.*' }] }] },
      };
      await ok(kubeRequest(kc, { method: 'POST', path: path('v1alpha4'), body }));
      const v1 = await ok(kubeRequest(kc, { method: 'GET', path: `${path('v1alpha1')}/routes` }));
      expect(v1.matches).to.deep.equal([{ name: 'firefox' }]);
      await ok(kubeRequest(kc, { method: 'PUT', path: `${path('v1alpha1')}/routes`, body: { ...v1, matches: [{ name: 'firefox', pathRegex: '/app/.*' }] } }));
      const hub = await ok(kubeRequest(kc, { method: 'GET', path: `${path('v1alpha4')}/routes` }));
      // List-shaped headers were normalised to the map on the way through the hub.
      expect(hub.spec).to.deep.equal({ matches: [{ name: 'firefox', pathRegex: '/app/.*', headers: { 'user-agent': '.*Firefox.*' } }] });
    });

    it('serves a v1alpha4 TCPRoute as v1alpha1 (no spec) and back without losing its ports', async () => {
      const path = (v: string) => objects('specs.smi-spec.io', v, ns, 'tcproutes');
      await ok(kubeRequest(kc, { method: 'POST', path: path('v1alpha4'), body: { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'db' }, spec: { matches: { ports: [5432] } } } }));
      const v1 = await ok(kubeRequest(kc, { method: 'GET', path: `${path('v1alpha1')}/db` }));
      expect(v1.spec).to.equal(undefined);
      const v4 = await ok(kubeRequest(kc, { method: 'GET', path: `${path('v1alpha4')}/db` }));
      expect(v4.spec).to.deep.equal({ matches: { ports: [5432] } });
    });
  });

  describe('admission (/validate)', () => {
    const configName = () => `smi-validate-${ns}`;
    before(async () => {
      await ok(
        kubeRequest(kc, {
          method: 'POST',
          path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
          body: {
            apiVersion: 'admissionregistration.k8s.io/v1',
            kind: 'ValidatingWebhookConfiguration',
            metadata: { name: configName() },
            webhooks: [
              {
                name: 'validate.smi-operator.io',
                clientConfig: { url: `https://127.0.0.1:${server.port}/validate`, caBundle },
                rules: [
                  { apiGroups: ['split.smi-spec.io', 'access.smi-spec.io', 'specs.smi-spec.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: 'Namespaced' },
                ],
                // Only this suite's namespace: the cluster is shared.
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
                sideEffects: 'None',
                admissionReviewVersions: ['v1'],
                failurePolicy: 'Fail',
                timeoutSeconds: 5,
              },
            ],
          },
        }),
      );
    });

    after(async () => {
      await kubeRequest(kc, { method: 'DELETE', path: `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${configName()}` });
    });

    it('rejects an invalid TrafficSplit with every problem, naming the fields', async () => {
      const bad = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { generateName: 'bad-' },
        // Weights the CRD schema accepts (it has minimum: 0 and runs before admission), so the webhook decides.
        spec: { service: 'web', backends: [{ service: 'web-v2', weight: 0 }, { service: 'web-v2', weight: 0 }] },
      };
      const denied = await until('the validating webhook to deny', async () => {
        const r = await kubeRequest(kc, { method: 'POST', path: splits(ns, 'v1alpha4'), body: bad });
        if (r.status === 201) {
          // Not active yet: remove what slipped through and try again.
          const name = (r.body as { metadata: { name: string } }).metadata.name;
          await kubeRequest(kc, { method: 'DELETE', path: `${splits(ns, 'v1alpha4')}/${name}` });
          return undefined;
        }
        return r;
      }, 20_000);
      expect(denied.status).to.equal(422);
      const message = (denied.body as { message: string }).message;
      expect(message).to.include('validate.smi-operator.io');
      // The API server has generated the name by the time validating admission runs.
      const ref = `TrafficSplit ${ns}/bad-[a-z0-9]+`;
      expect(message).to.match(new RegExp(`${ref}: spec\\.backends\\[1\\]\\.service: duplicate backend web-v2 \\(also spec\\.backends\\[0\\]\\)`));
      expect(message).to.match(new RegExp(`${ref}: spec\\.backends: at least one backend needs a positive weight`));
    });

    it('admits a split whose root Service is also a backend (Argo Rollouts\' default: root = stable Service)', async () => {
      const argo = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'rollouts-demo' },
        spec: { service: 'web-stable', backends: [{ service: 'web-canary', weight: 5 }, { service: 'web-stable', weight: 95 }] },
      };
      await ok(kubeRequest(kc, { method: 'POST', path: splits(ns, 'v1alpha4'), body: argo }));
    });

    it('leaves a negative weight to the CRD schema (minimum: 0), which the API server checks first', async () => {
      const negative = {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { generateName: 'negative-' },
        spec: { service: 'web', backends: [{ service: 'web-v2', weight: -1 }] },
      };
      const r = await kubeRequest(kc, { method: 'POST', path: splits(ns, 'v1alpha4'), body: negative });
      expect(r.status).to.equal(422);
      expect((r.body as { message: string }).message).to.include('spec.backends[0].weight');
    });

    it('rejects a TrafficTarget whose HTTPRouteGroup regex is not RE2, and admits valid objects', async () => {
      const group = (pathRegex: string, name: string) => ({
        apiVersion: 'specs.smi-spec.io/v1alpha4',
        kind: 'HTTPRouteGroup',
        metadata: { name },
        spec: { matches: [{ name: 'm', pathRegex }] },
      });
      const r = await kubeRequest(kc, { method: 'POST', path: `/apis/specs.smi-spec.io/v1alpha4/namespaces/${ns}/httproutegroups`, body: group('/(?!admin)', 'lookahead') });
      expect(r.status).to.equal(422);
      expect((r.body as { message: string }).message).to.include(`HTTPRouteGroup ${ns}/lookahead: spec.matches[0].pathRegex: not a valid RE2 regex`);
      await ok(kubeRequest(kc, { method: 'POST', path: `/apis/specs.smi-spec.io/v1alpha4/namespaces/${ns}/httproutegroups`, body: group('/api/.*', 'fine') }));
    });

    it('refuses oversized regexes in the API server (CRD maxLength) and empty or case-duplicated headers in the webhook', async () => {
      const path = `/apis/specs.smi-spec.io/v1alpha4/namespaces/${ns}/httproutegroups`;
      const body = (name: string, match: Record<string, unknown>) => ({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name }, spec: { matches: [{ name: 'm', ...match }] } });
      // 48 KB of valid RE2 that took our old scanner 1.6 s: the CRD schema refuses it before any webhook runs.
      const huge = await kubeRequest(kc, { method: 'POST', path, body: body('huge', { pathRegex: `${'x\\Q'.repeat(16_000)}\\E` }) });
      expect(huge.status).to.equal(422);
      expect((huge.body as { message: string }).message).to.include('spec.matches[0].pathRegex: Too long');
      const empty = await kubeRequest(kc, { method: 'POST', path, body: body('empty', { headers: { 'x-debug': '' } }) });
      expect(empty.status).to.equal(422);
      expect((empty.body as { message: string }).message).to.include(`HTTPRouteGroup ${ns}/empty: spec.matches[0].headers.x-debug: is an empty regex`);
      const twice = await kubeRequest(kc, { method: 'POST', path, body: body('twice', { headers: { 'X-Cohort': 'beta', 'x-cohort': 'beta|internal-.*' } }) });
      expect(twice.status).to.equal(422);
      expect((twice.body as { message: string }).message).to.include(`HTTPRouteGroup ${ns}/twice: spec.matches[0].headers.x-cohort: names the same header as X-Cohort`);
    });
  });
});
