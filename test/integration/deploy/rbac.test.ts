// Least privilege, checked against what the code really does: the operator (and
// the cert bootstrap) run under the ServiceAccount bound to config/rbac, every
// request they make is recorded, and the rules are compared with the requests
// both ways: nothing is denied, and every granted verb is one the code used.

import { expect } from 'chai';
import type { KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAdapter } from '../../../adapters/index.js';
import { MESH_NAMES } from '../../../adapters/types.js';
import { HttpKubeClient } from '../../../kube/client.js';
import { RecordingClient, type RecordedCall } from '../../support/recording-client.js';
import { runConfigLevel } from '../../../conformance/runner.js';
import { bootstrapCertificates } from '../../../release/cert-bootstrap.js';
import { APISERVICE, NAMESPACE, SERVICE_ACCOUNT, SERVING_SECRET, VALIDATING_WEBHOOK } from '../../../release/names.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { generateWebhookCertificates } from '../../../release/certs.js';
import { startWebhookServer } from '../../../operator/webhooks/index.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { kubectl, kustomize, toYaml } from './manifests.js';

type Call = RecordedCall;

/** A 403 from the authorizer (not, say, a write into a namespace being deleted, also a 403). */
const rbacDenied = (c: Call) => c.status === 403 && /cannot \w+ resource/.test(c.message ?? '');

interface Attr {
  verb: string;
  group: string;
  resource: string;
  name?: string;
  namespace?: string;
}

/** The RBAC attributes of a request, as the API server's RequestInfo derives them. */
export function attributes(c: Call): Attr[] {
  const parts = c.path.split('?')[0]!.split('/').filter(Boolean);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api') rest = parts.slice(2);
  else {
    group = parts[1]!;
    rest = parts.slice(3);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  // Discovery (`/apis/<group>/<version>`, the operator's served-CRD probe) is a non-resource
  // request every authenticated user may make (system:discovery): no rule grants or needs it.
  if (rest.length === 0) return [];
  const [res, name, sub] = rest;
  const resource = sub ? `${res}/${sub}` : res!;
  const fieldName = /(?:^|,)metadata\.name=([^,]+)/.exec(String(c.query?.fieldSelector ?? ''))?.[1];
  const base = { group, resource, ...(namespace ? { namespace } : {}) };
  switch (c.method) {
    case 'GET':
      return [{ ...base, verb: name ? 'get' : c.query?.watch ? 'watch' : 'list', ...(name ?? fieldName ? { name: name ?? fieldName } : {}) }];
    case 'WATCH':
      return [{ ...base, verb: 'watch', ...(fieldName ? { name: fieldName } : {}) }];
    case 'POST':
      return [{ ...base, verb: 'create' }];
    case 'PUT':
      return [{ ...base, verb: 'update', name: name! }];
    case 'PATCH':
      // A server-side apply that creates the object is authorized for create as well.
      return [{ ...base, verb: 'patch', name: name! }, ...(c.status === 201 ? [{ ...base, verb: 'create', name: name! }] : [])];
    case 'DELETE':
      return [{ ...base, verb: 'delete', name: name! }];
    default:
      throw new Error(`unexpected method ${c.method}`);
  }
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const rulesOf = (o: KubeObject) => ((o as { rules?: Rule[] }).rules ?? []);

function grants(rules: Rule[], a: Attr): boolean {
  return rules.some((r) => r.apiGroups.includes(a.group) && r.resources.includes(a.resource) && r.verbs.includes(a.verb) && (!r.resourceNames || (a.name !== undefined && r.resourceNames.includes(a.name))));
}

const key = (a: { verb: string; group: string; resource: string }) => `${a.verb} ${a.group}/${a.resource}`;

const NATIVE_GROUPS = new Set(MESH_NAMES.flatMap((m) => getAdapter(m).nativeKinds.map((k) => k.apiVersion.split('/')[0]!)));

function ungranted(rules: Rule[], attrs: Attr[]): string[] {
  return [...new Set(attrs.filter((a) => !grants(rules, a)).map((a) => `${key(a)}${a.name ? ` (${a.name})` : ''}`))].sort();
}

/**
 * Granted verbs no request used. Native kinds the scenarios never produce (e.g. Consul ServiceResolver) are
 * justified by the one write path that serves every native kind: that verb was used on another native kind.
 */
function unjustified(rules: Rule[], attrs: Attr[]): string[] {
  const used = new Set(attrs.map(key));
  const usedOnNatives = new Set(attrs.filter((a) => NATIVE_GROUPS.has(a.group)).map((a) => a.verb));
  const out: string[] = [];
  for (const r of rules) for (const g of r.apiGroups) for (const res of r.resources) for (const verb of r.verbs) {
    const k = key({ verb, group: g, resource: res });
    if (!used.has(k) && !(NATIVE_GROUPS.has(g) && usedOnNatives.has(verb))) out.push(k);
  }
  return out.sort();
}

describe('deploy: RBAC is least privilege (recorded against the real API server)', function () {
  this.timeout(600_000);
  const objs = kustomize('config/default');
  const rbac = objs.filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind) && o.metadata.name.startsWith('smi-operator'));
  const operatorRules = [...rulesOf(objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'smi-operator-manager')!), ...rulesOf(objs.find((o) => o.kind === 'Role' && o.metadata.name === 'smi-operator-leader-election')!)];
  const bootstrapRules = objs.filter((o) => o.metadata.name === 'smi-operator-cert-bootstrap' && (o.kind === 'Role' || o.kind === 'ClusterRole')).flatMap(rulesOf);
  let sa: KubeConfig;

  before(() => {
    const cluster = sharedCluster();
    kubectl(cluster.kubeconfigPath, ['create', 'namespace', NAMESPACE]);
    const dir = mkdtempSync(join(tmpdir(), 'smi-rbac-'));
    const file = join(dir, 'rbac.yaml');
    writeFileSync(file, toYaml(rbac));
    const r = kubectl(cluster.kubeconfigPath, ['apply', '--server-side', '--force-conflicts', '--field-manager=smi-rbac-test', '-f', file]);
    expect(r.code, r.out).to.equal(0);
    sa = cluster.userKubeConfig(`system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`, ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACE}`, 'system:authenticated']);
  });

  it('has no wildcards and nothing cluster-admin', () => {
    for (const o of rbac.filter((x) => x.kind.endsWith('Role'))) {
      for (const r of rulesOf(o)) for (const v of [...r.apiGroups, ...r.resources, ...r.verbs]) expect(v, o.metadata.name).to.not.equal('*');
    }
    for (const b of rbac.filter((x) => x.kind.endsWith('Binding'))) expect((b as unknown as { roleRef: { name: string } }).roleRef.name).to.not.match(/^(cluster-admin|admin|edit)$/);
  });

  it('grants the native kinds of every adapter, exactly (derived from getAdapter(m).nativeKinds)', () => {
    const derived = new Set(MESH_NAMES.flatMap((m) => getAdapter(m).nativeKinds.map((k) => `${k.apiVersion.split('/')[0]}/${k.plural}`)));
    const nativeGroups = new Set([...derived].map((d) => d.split('/')[0]!));
    const granted = new Set(operatorRules.filter((r) => r.apiGroups.some((g) => nativeGroups.has(g))).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))));
    expect([...granted].sort()).to.deep.equal([...derived].sort());
  });

  it('the operator, run as the ServiceAccount for every mesh, is never denied and uses every verb it is granted', async () => {
    // Every request the operator makes goes through the client it is given: record them there.
    const rec = new RecordingClient(new HttpKubeClient(sa));
    for (const mesh of MESH_NAMES) {
      const results = await runConfigLevel({ kubeConfig: sharedCluster().kubeConfig, operatorKubeConfig: sa, operatorClient: rec, operatorNamespace: NAMESPACE, leaderElect: true, mesh, conversion: 'skip' });
      const bad = results.filter((r) => r.outcome === 'failed' || r.outcome === 'unexpectedly-passed');
      expect(bad.map((b) => `${b.scenario}: ${b.assertion}: ${b.detail}`), mesh).to.deep.equal([]);
    }
    const attrs = rec.calls.flatMap(attributes);
    const denied = rec.calls.filter(rbacDenied).map((c) => `${c.method} ${c.path} ${JSON.stringify(c.query ?? {})}: ${c.message}`);
    expect(denied.length, `denied requests:\n${denied.join('\n')}`).to.equal(0);
    expect(ungranted(operatorRules, attrs), 'requests the rules do not grant').to.deep.equal([]);
    expect(unjustified(operatorRules, attrs), 'granted but never used').to.deep.equal([]);
    // The comparison can fail both ways: an extra verb, or a missing rule, is caught.
    expect(unjustified([...operatorRules, { apiGroups: ['networking.istio.io'], resources: ['virtualservices'], verbs: ['update'] }], attrs)).to.deep.equal(['update networking.istio.io/virtualservices']);
    expect(unjustified([...operatorRules, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], attrs)).to.deep.equal(['list /secrets']);
    expect(ungranted(operatorRules.filter((r) => !r.resources.includes('events')), attrs)).to.include('create /events');
  });

  describe('cert-bootstrap as the ServiceAccount', () => {
    const admin = () => sharedCluster().kubeConfig;
    const UDP_CRD = 'udproutes.specs.smi-spec.io';
    const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${UDP_CRD}`;

    before(async () => {
      // Harmless stand-ins for what config/ installs: a webhook for a group nobody uses, an APIService with
      // no endpoints, and webhook conversion on the one single-version SMI CRD (never converts anything).
      const vwc = await kubeRequest(admin(), { method: 'POST', path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', body: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: VALIDATING_WEBHOOK }, webhooks: [{ name: 'v.smi-test.invalid', admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', clientConfig: { url: 'https://127.0.0.1:1/validate' }, rules: [{ apiGroups: ['smi-test.invalid'], apiVersions: ['*'], resources: ['nothing'], operations: ['CREATE'] }] }] } });
      expect(vwc.status, vwc.text).to.equal(201);
      const api = await kubeRequest(admin(), { method: 'POST', path: '/apis/apiregistration.k8s.io/v1/apiservices', body: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: APISERVICE }, spec: { group: 'metrics.smi-spec.io', version: 'v1alpha1', service: { name: 'smi-metrics', namespace: NAMESPACE, port: 443 }, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 } } });
      expect(api.status, api.text).to.equal(201);
      const crd = await kubeRequest(admin(), { method: 'PATCH', path: crdPath, contentType: 'application/merge-patch+json', body: { spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { url: 'https://127.0.0.1:1/convert' }, conversionReviewVersions: ['v1'] } } } } });
      expect(crd.status, crd.text).to.equal(200);
    });

    after(async () => {
      await kubeRequest(admin(), { method: 'PATCH', path: crdPath, contentType: 'application/merge-patch+json', body: { spec: { conversion: { strategy: 'None', webhook: null } } } });
      await kubeRequest(admin(), { method: 'DELETE', path: `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${VALIDATING_WEBHOOK}` });
      await kubeRequest(admin(), { method: 'DELETE', path: `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}` });
      await kubeRequest(admin(), { method: 'DELETE', path: `/api/v1/namespaces/${NAMESPACE}/secrets/${SERVING_SECRET}` });
    });

    it('creates the Secret, injects the CA everywhere, reuses it next time, and uses exactly its granted verbs', async () => {
      const rec = new RecordingClient(new HttpKubeClient(sa));
      const dir = mkdtempSync(join(tmpdir(), 'smi-certs-'));
      const first = await bootstrapCertificates({ kubeConfig: sa, client: rec, namespace: NAMESPACE, certDir: dir });
      const second = await bootstrapCertificates({ kubeConfig: sa, client: rec, namespace: NAMESPACE });
      // A Secret that no longer fits (wrong names) is replaced.
      const bad = await kubeRequest(admin(), { method: 'PATCH', path: `/api/v1/namespaces/${NAMESPACE}/secrets/${SERVING_SECRET}`, contentType: 'application/merge-patch+json', body: { data: { 'tls.crt': Buffer.from('not a certificate').toString('base64') } } });
      expect(bad.status, bad.text).to.equal(200);
      const third = await bootstrapCertificates({ kubeConfig: sa, client: rec, namespace: NAMESPACE });
      expect(third.created).to.equal(true);
      expect(third.caBundle).to.not.equal(first.caBundle);
      expect(first.created).to.equal(true);
      expect(second.created).to.equal(false);
      expect(second.caBundle).to.equal(first.caBundle);
      expect(first.patched.sort()).to.deep.equal([`APIService/${APISERVICE}`, `CustomResourceDefinition/${UDP_CRD}`, `ValidatingWebhookConfiguration/${VALIDATING_WEBHOOK}`]);
      expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).to.equal(Buffer.from(first.caBundle, 'base64').toString('utf8'));

      const crd = JSON.parse((await kubeRequest(admin(), { method: 'GET', path: crdPath })).text) as { spec: { conversion: { webhook: { clientConfig: { caBundle: string } } } } };
      const api = JSON.parse((await kubeRequest(admin(), { method: 'GET', path: `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}` })).text) as { spec: { caBundle: string; insecureSkipTLSVerify?: boolean } };
      const vwc = JSON.parse((await kubeRequest(admin(), { method: 'GET', path: `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${VALIDATING_WEBHOOK}` })).text) as { webhooks: Array<{ clientConfig: { caBundle: string } }> };
      const latest = crd.spec.conversion.webhook.clientConfig.caBundle;
      expect(api.spec.caBundle).to.equal(latest);
      expect(api.spec.insecureSkipTLSVerify ?? false).to.equal(false);
      expect(vwc.webhooks[0]!.clientConfig.caBundle).to.equal(latest);

      const attrs = rec.calls.flatMap(attributes);
      expect(rec.calls.filter(rbacDenied).map((c) => `${c.method} ${c.path}`)).to.deep.equal([]);
      expect(ungranted(bootstrapRules, attrs)).to.deep.equal([]);
      expect(unjustified(bootstrapRules, attrs)).to.deep.equal([]);
    });

    it('the API server trusts the webhook server through the injected CA (and refuses another CA)', async () => {
      const secret = JSON.parse((await kubeRequest(admin(), { method: 'GET', path: `/api/v1/namespaces/${NAMESPACE}/secrets/${SERVING_SECRET}` })).text) as { data: Record<string, string> };
      const pem = (k: string) => Buffer.from(secret.data[k]!, 'base64').toString('utf8');
      const seen: string[] = [];
      const ours = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: pem('tls.crt'), key: pem('tls.key'), onRequest: (i) => seen.push(i.path) });
      const stranger = generateWebhookCertificates({ dnsNames: ['localhost'] });
      const other = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: stranger.cert, key: stranger.key });
      const ns = await createTestNamespace(sharedCluster(), 'cert-trust');
      const marker = `m${Date.now()}`;
      const vwcPath = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${VALIDATING_WEBHOOK}`;
      // Route UDPRoute creates carrying our marker label to a server; failurePolicy Fail makes TLS errors visible.
      const pointAt = async (port: number) => {
        const r = await kubeRequest(admin(), {
          method: 'PATCH',
          path: vwcPath,
          contentType: 'application/json-patch+json',
          body: [
            { op: 'replace', path: '/webhooks/0/clientConfig/url', value: `https://127.0.0.1:${port}/validate` },
            { op: 'replace', path: '/webhooks/0/failurePolicy', value: 'Fail' },
            { op: 'replace', path: '/webhooks/0/rules', value: [{ apiGroups: ['specs.smi-spec.io'], apiVersions: ['*'], resources: ['udproutes'], operations: ['CREATE'] }] },
            { op: 'add', path: '/webhooks/0/objectSelector', value: { matchLabels: { 'smi-cert-test': marker } } },
          ],
        });
        expect(r.status, r.text).to.equal(200);
      };
      // The API server picks up webhook configuration changes asynchronously: retry, bounded.
      const eventually = async (what: string, attempt: (i: number) => Promise<boolean>) => {
        const deadline = Date.now() + 15_000;
        for (let i = 0; ; i++) {
          if (await attempt(i)) return;
          if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
          await new Promise((res) => setTimeout(res, 300));
        }
      };
      const create = (name: string, ports: unknown) =>
        kubeRequest(admin(), { method: 'POST', path: `/apis/specs.smi-spec.io/v1alpha4/namespaces/${ns}/udproutes`, body: { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: { name, labels: { 'smi-cert-test': marker } }, spec: { matches: { ports } } } });
      try {
        await pointAt(ours.port);
        await eventually('the API server calls our webhook over TLS', async (i) => {
          const ok = await create(`dns-${i}`, [53]);
          expect(ok.status, ok.text).to.equal(201);
          return seen.includes('/validate');
        });
        const invalid = await create('bad', [70000]);
        expect(invalid.status, invalid.text).to.be.oneOf([400, 422]);
        await pointAt(other.port);
        let refused = { status: 0, text: '' };
        await eventually('a server with another CA is refused', async (i) => {
          refused = await create(`other-${i}`, [53]);
          return refused.status !== 201;
        });
        expect(refused.status).to.equal(500);
        expect(refused.text).to.match(/x509|certificate/);
      } finally {
        await ours.close();
        await other.close();
      }
    });
  });
});
