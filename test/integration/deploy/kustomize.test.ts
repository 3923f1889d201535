// config/default (and the cert-manager overlay) is deployable: the real API
// server accepts every object (server-side dry run, strict field validation),
// and the Deployment runs `smictl operator` with flags it really has.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsNames } from '../../../release/cert-bootstrap.js';
import { APISERVICE, CERT_DIR, NAMESPACE, SERVING_SECRET, SMI_CRDS, VALIDATING_WEBHOOK, WEBHOOK_SERVICE } from '../../../release/names.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster } from '../../support/cluster.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { find, helpFlags, kubectl, kustomize, toYaml } from './manifests.js';

type Container = { name: string; command?: string[]; args?: string[]; volumeMounts?: Array<{ name: string; mountPath: string }>; ports?: Array<{ name: string; containerPort: number }> };
const podSpec = (d: KubeObject) => (d as unknown as { spec: { template: { spec: { initContainers?: Container[]; containers: Container[]; volumes?: Array<Record<string, unknown>>; serviceAccountName?: string } } } }).spec.template.spec;
const smictlHelp = (args: string[]) => execFileSync('node', [join(repoRoot(), 'dist/cli/smictl.js'), ...args, '--help'], { encoding: 'utf8' });
const flagName = (a: string) => a.split('=')[0]!;

function ensureNamespace(name: string): void {
  const kc = sharedCluster().kubeconfigPath;
  kubectl(kc, ['create', 'namespace', name]);
}

function dryRun(file: string): { code: number; out: string } {
  return kubectl(sharedCluster().kubeconfigPath, ['apply', '--server-side', '--force-conflicts', '--field-manager=smi-deploy-test', '--dry-run=server', '--validate=strict', '-f', file]);
}

describe('deploy: kustomize config/default', function () {
  this.timeout(120_000);
  const objs = kustomize('config/default');

  before(() => ensureNamespace(NAMESPACE));

  it('installs everything into smi-system: CRDs, RBAC, operator + ConfigMap, webhook, metrics API', () => {
    const kinds = objs.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).to.include.members([
      'Namespace/smi-system', 'Deployment/smi-operator', 'ConfigMap/smi-operator-config', 'ServiceAccount/smi-operator',
      'ClusterRole/smi-operator-manager', `Service/${WEBHOOK_SERVICE}`, `ValidatingWebhookConfiguration/${VALIDATING_WEBHOOK}`,
      `APIService/${APISERVICE}`, 'Deployment/smi-metrics', 'Service/smi-metrics',
      ...SMI_CRDS.map((c) => `CustomResourceDefinition/${c}`),
    ]);
    for (const o of objs.filter((x) => x.metadata.namespace)) {
      // The one exception: the metrics server reads kube-system's front-proxy ConfigMap.
      if (o.kind === 'RoleBinding' && o.metadata.namespace === 'kube-system') continue;
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).to.equal(NAMESPACE);
    }
  });

  it('the real API server accepts every object (server-side dry run, strict validation)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-deploy-'));
    const r = kubectl(sharedCluster().kubeconfigPath, ['apply', '-k', join(repoRoot(), 'config/default'), '--server-side', '--force-conflicts', '--field-manager=smi-deploy-test', '--dry-run=server']);
    expect(r.code, r.out).to.equal(0);
    expect(r.out.match(/serverside-applied \(server dry run\)/g)).to.have.lengthOf(objs.length);
    // The plain (client-side apply) form a user types is accepted too.
    const plain = kubectl(sharedCluster().kubeconfigPath, ['apply', '-k', join(repoRoot(), 'config/default'), '--dry-run=server']);
    expect(plain.code, plain.out).to.equal(0);
    expect(plain.out.match(/\(server dry run\)/g)).to.have.lengthOf(objs.length);
    // The same path rejects a broken object, so the check above can fail.
    const broken = structuredClone(find(objs, 'Deployment', 'smi-operator')) as KubeObject & { spec: Record<string, unknown> };
    broken.spec.replicass = 2;
    writeFileSync(join(dir, 'broken.yaml'), toYaml([broken]));
    const bad = dryRun(join(dir, 'broken.yaml'));
    expect(bad.code).to.not.equal(0);
    expect(bad.out).to.match(/replicass/);
  });

  it('the operator container runs `node dist/cli/smictl.js operator` with flags smictl operator --help documents', () => {
    const spec = podSpec(find(objs, 'Deployment', 'smi-operator'));
    const manager = spec.containers.find((c) => c.name === 'manager')!;
    expect(manager.command!.filter((a) => !a.startsWith('--'))).to.deep.equal(['node', 'dist/cli/smictl.js', 'operator']);
    const documented = helpFlags(smictlHelp(['operator']));
    for (const a of manager.args ?? []) expect(documented, `smictl operator ${flagName(a)}`).to.include(flagName(a));
    const arg = (f: string) => (manager.args ?? []).find((a) => a.startsWith(`${f}=`))?.split('=')[1];
    // The webhook Service reaches the webhook port, and the cert dir is where the certificate is mounted.
    expect(manager.ports?.find((p) => p.name === 'webhook')?.containerPort).to.equal(Number(arg('--webhook-port')));
    expect(arg('--webhook-cert-dir')).to.equal(CERT_DIR);
    expect(manager.volumeMounts?.map((m) => m.mountPath)).to.include(CERT_DIR);
    expect(spec.serviceAccountName).to.equal('smi-operator');
    const svc = find(objs, 'Service', WEBHOOK_SERVICE) as KubeObject & { spec: { ports: Array<{ port: number; targetPort: string }> } };
    expect(svc.spec.ports[0]).to.include({ port: 443, targetPort: 'webhook' });
  });

  it('the cert-bootstrap init container uses only flags it has, and writes where the manager reads', () => {
    const init = podSpec(find(objs, 'Deployment', 'smi-operator')).initContainers!.find((c) => c.name === 'cert-bootstrap')!;
    expect(init.command).to.deep.equal(['node', 'dist/release/cert-bootstrap.js']);
    const help = execFileSync('node', [join(repoRoot(), init.command![1]!), '--help'], { encoding: 'utf8' });
    for (const a of init.args ?? []) expect(helpFlags(help), flagName(a)).to.include(flagName(a));
    expect(init.args).to.include(`--cert-dir=${CERT_DIR}`);
  });

  it('every conversion and admission webhook points at the webhook Service, on paths the server serves', () => {
    for (const name of SMI_CRDS) {
      const crd = find(objs, 'CustomResourceDefinition', name) as KubeObject & { spec: { conversion: { strategy: string; webhook: { clientConfig: { service: Record<string, unknown> } } } } };
      expect(crd.spec.conversion.strategy, name).to.equal('Webhook');
      expect(crd.spec.conversion.webhook.clientConfig.service).to.include({ name: WEBHOOK_SERVICE, namespace: NAMESPACE, path: '/convert', port: 443 });
    }
    const vwc = find(objs, 'ValidatingWebhookConfiguration', VALIDATING_WEBHOOK) as KubeObject & { webhooks: Array<{ clientConfig: { service: Record<string, unknown> }; rules: Array<{ resources: string[] }> }> };
    for (const w of vwc.webhooks) expect(w.clientConfig.service).to.include({ name: WEBHOOK_SERVICE, namespace: NAMESPACE, path: '/validate' });
    // Every kind the operator serves, policies included (their field-naming denials and reference warnings).
    const covered = vwc.webhooks.flatMap((w) => (w.rules as Array<{ apiGroups: string[]; resources: string[] }>).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${res}.${g}`))));
    expect(covered.sort()).to.deep.equal([...SMI_CRDS].sort());
  });

  it('the metrics API server serves the operator-managed certificate and the APIService verifies it', () => {
    const m = podSpec(find(objs, 'Deployment', 'smi-metrics'));
    expect(m.containers[0]!.command).to.include.members(['--tls-cert=/etc/smi-metrics/tls/tls.crt', '--tls-key=/etc/smi-metrics/tls/tls.key']);
    expect(m.volumes).to.deep.include({ name: 'serving-cert', secret: { secretName: SERVING_SECRET } });
    expect((find(objs, 'APIService', APISERVICE) as KubeObject & { spec: { insecureSkipTLSVerify: boolean } }).spec.insecureSkipTLSVerify).to.equal(false);
  });
});

describe('deploy: kustomize config/certmanager', function () {
  this.timeout(120_000);
  const objs = kustomize('config/certmanager');
  const INJECT = 'cert-manager.io/inject-ca-from';

  before(() => ensureNamespace(NAMESPACE));

  it('asks cainjector for the CA on every CRD, the webhook configuration and the APIService', () => {
    const annotated = objs.filter((o) => o.metadata.annotations?.[INJECT] === `${NAMESPACE}/${SERVING_SECRET}`).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(annotated.sort()).to.deep.equal([`APIService/${APISERVICE}`, ...SMI_CRDS.map((c) => `CustomResourceDefinition/${c}`), `ValidatingWebhookConfiguration/${VALIDATING_WEBHOOK}`].sort());
  });

  it('issues one certificate for both Services into the Secret both Deployments mount, and drops the bootstrap', () => {
    const cert = find(objs, 'Certificate', SERVING_SECRET) as KubeObject & { spec: { secretName: string; dnsNames: string[] } };
    expect(cert.spec.secretName).to.equal(SERVING_SECRET);
    expect(cert.spec.dnsNames).to.include.members(dnsNames(NAMESPACE).filter((n) => n.endsWith('.svc') || n.endsWith('.svc.cluster.local')));
    const op = podSpec(find(objs, 'Deployment', 'smi-operator'));
    expect(op.initContainers).to.equal(undefined);
    expect(op.volumes).to.deep.include({ name: 'serving-certs', secret: { secretName: SERVING_SECRET } });
    expect(objs.filter((o) => o.metadata.name === 'smi-operator-cert-bootstrap')).to.deep.equal([]);
  });

  it('the real API server accepts every object but the cert-manager ones (their CRDs are not installed here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-certmanager-'));
    const rest = objs.filter((o) => !o.apiVersion.startsWith('cert-manager.io/'));
    expect(objs.length - rest.length).to.equal(2);
    writeFileSync(join(dir, 'all.yaml'), toYaml(rest));
    const r = dryRun(join(dir, 'all.yaml'));
    expect(r.code, r.out).to.equal(0);
  });
});
