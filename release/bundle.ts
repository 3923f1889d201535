// `make bundle`: the OLM bundle (registry+v1) from config/. The CSV carries the
// operator and metrics Deployments (install strategy deployment), their RBAC
// as permissions/clusterPermissions, webhook definitions (OLM issues the
// certificates, so the cert-bootstrap init container is dropped), the owned
// CRDs for every served version and the TrafficMetrics APIService.
// Output is deterministic (no timestamps): a test checks bundle/ is fresh.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { convert } from '../schemas/conversion.js';
import { isSmiGroup, KIND_TABLE } from '../schemas/versions.js';
import type { KubeObject } from '../schemas/hub.js';
import { APISERVICE, CERT_DIR, METRICS_SERVICE, NAMESPACE, OPERATOR, SERVICE_ACCOUNT, SMI_CRDS, VALIDATING_WEBHOOK } from './names.js';

export const PACKAGE = 'smi-operator';
export const CHANNEL = 'alpha';
/** Every CRD is apiextensions v1 with structural schemas; the admission and conversion APIs used are v1. */
export const MIN_KUBE_VERSION = '1.25.0';
/** Where OLM mounts the certificate it issues for an owned APIService. */
const OLM_APISERVICE_CERTS = '/apiserver.local.config/certificates';

export interface BundleOptions {
  root: string;
  version: string;
  image: string;
  kubectl?: string;
}

export type Files = Map<string, string>;

type Obj = KubeObject & Record<string, unknown>;
type Rule = Record<string, unknown>;
type PodSpec = { initContainers?: unknown[]; containers: Array<{ name: string; image?: string; command?: string[]; args?: string[]; volumeMounts?: Array<{ name: string; mountPath: string }> }>; volumes?: Array<{ name: string }> };

const DESCRIPTIONS: Record<string, string> = {
  TrafficSplit: 'Splits traffic for a root Service between backend Services by weight, optionally only for requests matching HTTPRouteGroups.',
  TrafficTarget: 'Allows traffic from source ServiceAccounts to a destination ServiceAccount, restricted by HTTPRouteGroup, TCPRoute or UDPRoute rules.',
  HTTPRouteGroup: 'Named HTTP request matches (path regex, methods, headers) referenced by TrafficTargets and TrafficSplits.',
  TCPRoute: 'TCP traffic to a destination, optionally restricted to ports, referenced by TrafficTargets.',
  UDPRoute: 'UDP traffic to a destination, optionally restricted to ports, referenced by TrafficTargets.',
  TimeoutPolicy: 'Request, per-try, idle and connect timeouts for a Service, optionally only for HTTPRouteGroup matches.',
  RetryPolicy: 'Retries (attempts, per-try timeout, failure classes, back-off) of requests to a Service.',
  CircuitBreakerPolicy: 'Connection limits and outlier detection for the endpoints of a Service.',
  FaultInjectionPolicy: 'Delays and HTTP errors injected into a share of the requests to a Service.',
  MirrorPolicy: 'A share of the requests to a Service copied to another Service (responses discarded).',
  RateLimitPolicy: 'A local (per pod) request rate limit for a Service.',
  TracingPolicy: 'Tracing sampling percentage and provider for a Service or a whole namespace.',
};

const UDP_EXAMPLE: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: { name: 'dns' }, spec: { matches: { name: 'dns', ports: [53] } } } as KubeObject;

const docs = (text: string) => (yaml.loadAll(text) as Array<Obj | null>).filter((o): o is Obj => o !== null);
const dump = (o: unknown) => yaml.dump(o, { noRefs: true, lineWidth: -1, sortKeys: false });

function build(o: BundleOptions, dir: string): Obj[] {
  return docs(execFileSync(o.kubectl ?? 'kubectl', ['kustomize', join(o.root, dir)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

function one(objs: Obj[], kind: string, name: string): Obj {
  const x = objs.find((y) => y.kind === kind && y.metadata.name === name);
  if (!x) throw new Error(`bundle: config/default has no ${kind}/${name}`);
  return x;
}

/** The Deployment as OLM runs it: image pinned, OLM's certificates instead of ours. */
function deploymentSpec(d: Obj, image: string, certs: 'webhook' | 'apiservice'): Record<string, unknown> {
  const spec = structuredClone((d as unknown as { spec: Record<string, unknown> }).spec);
  const pod = (spec.template as { spec: PodSpec }).spec;
  delete pod.initContainers;
  const ours = new Set(['serving-certs', 'serving-cert']);
  pod.volumes = (pod.volumes ?? []).filter((v) => !ours.has(v.name));
  if (pod.volumes.length === 0) delete pod.volumes;
  for (const c of pod.containers) {
    c.image = image;
    c.volumeMounts = (c.volumeMounts ?? []).filter((m) => !ours.has(m.name));
    if (c.volumeMounts.length === 0) delete c.volumeMounts;
    if (certs === 'apiservice' && c.command) {
      c.command = c.command.map((a) => a.replace(/^--tls-cert=.*/, `--tls-cert=${OLM_APISERVICE_CERTS}/apiserver.crt`).replace(/^--tls-key=.*/, `--tls-key=${OLM_APISERVICE_CERTS}/apiserver.key`));
    }
  }
  return spec;
}

/** Rules of the Roles/ClusterRoles bound to `sa` (built-in roles by their well-known rules). */
function rulesFor(objs: Obj[], sa: string, scope: 'namespace' | 'cluster'): Rule[] {
  const builtin: Record<string, Rule[]> = {
    'system:auth-delegator': [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
    // kube-system is outside the install namespace: granted cluster-wide, by name.
    'extension-apiserver-authentication-reader': [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: ['get', 'list', 'watch'] }],
  };
  const out: Rule[] = [];
  for (const b of objs.filter((x) => x.kind === 'RoleBinding' || x.kind === 'ClusterRoleBinding')) {
    const subjects = (b.subjects as Array<{ kind: string; name: string }> | undefined) ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa)) continue;
    const ref = b.roleRef as { kind: string; name: string };
    if (b.metadata.name === 'smi-operator-cert-bootstrap') continue; // OLM issues the certificates
    const isCluster = b.kind === 'ClusterRoleBinding' || b.metadata.namespace === 'kube-system';
    if ((scope === 'cluster') !== isCluster) continue;
    const role = objs.find((r) => r.kind === ref.kind && r.metadata.name === ref.name);
    out.push(...(role ? ((role.rules as Rule[]) ?? []) : (builtin[ref.name] ?? [])));
    if (!role && !builtin[ref.name]) throw new Error(`bundle: ${b.kind}/${b.metadata.name} binds unknown ${ref.kind}/${ref.name}`);
  }
  return out;
}

/** The listing icon: a split arrow, drawn here so no binary asset is needed. */
const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#2f6fde"/><path d="M10 32h18l12-14h14M28 32l12 14h14" stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** OperatorHub form/detail hints: where Ready and the weights are, per kind (hub version only). */
function descriptors(kind: string, hub: boolean): Record<string, unknown> {
  if (!hub) return {};
  const status = [
    { path: 'conditions', displayName: 'Conditions', description: 'Accepted (the adapter can translate it) and Ready (the native objects are applied).', 'x-descriptors': ['urn:alm:descriptor:io.kubernetes.conditions'] },
    { path: 'observedGeneration', displayName: 'Observed generation', description: 'The generation the conditions describe.' },
  ];
  const spec = kind === 'TrafficSplit'
    ? [
      { path: 'service', displayName: 'Root service', description: 'The Service clients address.', 'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Service'] },
      { path: 'backends[0].weight', displayName: 'Backend weight', description: 'Relative share of the traffic for this backend.', 'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:number'] },
    ]
    : [];
  return { specDescriptors: spec, statusDescriptors: status };
}

function examples(root: string): KubeObject[] {
  const dir = join(root, 'config/samples');
  const samples = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => docs(readFileSync(join(dir, f), 'utf8')));
  const byKind = new Map<string, KubeObject>();
  for (const s of [...samples, UDP_EXAMPLE]) if (isSmiGroup(s.apiVersion) && !byKind.has(s.kind)) byKind.set(s.kind, s);
  const out: KubeObject[] = [];
  for (const info of KIND_TABLE) {
    const hub = byKind.get(info.kind);
    if (!hub) throw new Error(`bundle: no sample for ${info.kind} in config/samples`);
    const clean = { ...hub, metadata: { name: hub.metadata.name } } as KubeObject;
    for (const v of info.versions) {
      const c = convert(clean, `${info.group}/${v}`);
      if (!c.object) throw new Error(`bundle: cannot convert the ${info.kind} sample to ${v}: ${JSON.stringify(c.problems)}`);
      out.push({ ...c.object, metadata: { name: clean.metadata.name } } as KubeObject);
    }
  }
  return out;
}

export function generateBundle(o: BundleOptions): Files {
  const objs = build(o, 'config/default');
  const files: Files = new Map();
  const crds = SMI_CRDS.map((n) => {
    const base = KIND_TABLE.find((k) => `${k.plural}.${k.group}` === n)!;
    const crd = docs(readFileSync(join(o.root, 'config/crd/bases', `${base.group}_${base.plural}.yaml`), 'utf8'))[0]!;
    return { info: base, crd };
  });
  for (const { info, crd } of crds) files.set(`manifests/${info.group}_${info.plural}.yaml`, dump(crd));

  const vwc = one(objs, 'ValidatingWebhookConfiguration', VALIDATING_WEBHOOK);
  const webhook = (vwc.webhooks as Array<Record<string, unknown>>)[0]!;
  const manager = one(objs, 'Deployment', OPERATOR);
  const webhookPort = Number(((manager as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec.containers[0]!.args ?? []).find((a) => a.startsWith('--webhook-port='))!.split('=')[1]);
  const metrics = one(objs, 'Deployment', METRICS_SERVICE);
  const metricsSa = (metrics as unknown as { spec: { template: { spec: { serviceAccountName: string } } } }).spec.template.spec.serviceAccountName;
  const metricsPort = 8443;

  const csv = {
    apiVersion: 'operators.coreos.com/v1alpha1',
    kind: 'ClusterServiceVersion',
    metadata: {
      name: `${PACKAGE}.v${o.version}`,
      namespace: 'placeholder',
      annotations: {
        'alm-examples': JSON.stringify(examples(o.root), null, 2),
        capabilities: 'Basic Install',
        categories: 'Networking',
        containerImage: o.image,
        description: 'Translates Service Mesh Interface (SMI) objects into Istio, Linkerd or Consul native objects.',
        repository: 'https://github.com/smi-operator/smi-operator',
        support: 'smi-operator maintainers',
        'operatorframework.io/suggested-namespace': NAMESPACE,
        'operators.operatorframework.io/builder': 'smi-operator-bundle',
      },
    },
    spec: {
      displayName: 'SMI Operator',
      description: [
        'smi-operator reconciles Service Mesh Interface objects (TrafficSplit, TrafficTarget, HTTPRouteGroup, TCPRoute, UDPRoute)',
        'and translates them into the native objects of the mesh selected in the `smi-operator-config` ConfigMap (istio, linkerd or consul).',
        'It serves TrafficMetrics as an aggregated API (metrics.smi-spec.io/v1alpha1).',
        '\n\n**Choosing the mesh**: the operator uses Istio by default. To use another mesh, install its control plane first, then',
        '`kubectl -n <operator namespace> patch configmap smi-operator-config --type merge -p \'{"data":{"mesh":"linkerd"}}\'` (istio, linkerd or consul);',
        'the operator switches at once and removes the previous mesh\'s objects. `smictl check` verifies the mesh control plane and its CRD versions.',
        '\n\n**Versions**: every SMI version is served and converted losslessly; the newest of each group is the storage version,',
        'older ones are deprecated.',
      ].join(' '),
      icon: [{ base64data: Buffer.from(ICON_SVG).toString('base64'), mediatype: 'image/svg+xml' }],
      version: o.version,
      minKubeVersion: MIN_KUBE_VERSION,
      maturity: 'alpha',
      provider: { name: 'smi-operator maintainers' },
      maintainers: [{ name: 'smi-operator maintainers', email: 'maintainers@smi-operator.invalid' }],
      links: [{ name: 'Service Mesh Interface', url: 'https://smi-spec.io' }],
      keywords: ['smi', 'service mesh', 'istio', 'linkerd', 'consul', 'traffic split', 'access control'],
      // Conversion webhooks serve every namespace's objects: OLM allows only AllNamespaces then.
      installModes: [
        { type: 'OwnNamespace', supported: false },
        { type: 'SingleNamespace', supported: false },
        { type: 'MultiNamespace', supported: false },
        { type: 'AllNamespaces', supported: true },
      ],
      customresourcedefinitions: {
        owned: crds.flatMap(({ info }) =>
          info.versions.map((v) => ({
            name: `${info.plural}.${info.group}`,
            version: v,
            kind: info.kind,
            displayName: v === info.storageVersion ? info.kind : `${info.kind} (${v}, deprecated)`,
            description: `${DESCRIPTIONS[info.kind]}${v === info.storageVersion ? '' : ` Deprecated: ${v} is served and converted to ${info.storageVersion}, the storage version; use ${info.storageVersion}.`}`,
            ...descriptors(info.kind, v === info.storageVersion),
          })),
        ),
      },
      apiservicedefinitions: {
        owned: [
          {
            group: 'metrics.smi-spec.io',
            version: 'v1alpha1',
            kind: 'TrafficMetrics',
            name: 'trafficmetrics',
            displayName: 'TrafficMetrics',
            description: 'Golden metrics (requests, success rate, latency) of pods, workloads, namespaces and TrafficSplits, read from the mesh\'s Prometheus.',
            deploymentName: METRICS_SERVICE,
            containerPort: metricsPort,
          },
        ],
      },
      install: {
        strategy: 'deployment',
        spec: {
          deployments: [
            { name: OPERATOR, label: (manager.metadata.labels ?? {}) as Record<string, string>, spec: deploymentSpec(manager, o.image, 'webhook') },
            { name: METRICS_SERVICE, label: (metrics.metadata.labels ?? {}) as Record<string, string>, spec: deploymentSpec(metrics, o.image, 'apiservice') },
          ],
          permissions: [
            { serviceAccountName: SERVICE_ACCOUNT, rules: rulesFor(objs, SERVICE_ACCOUNT, 'namespace') },
          ],
          clusterPermissions: [
            { serviceAccountName: SERVICE_ACCOUNT, rules: rulesFor(objs, SERVICE_ACCOUNT, 'cluster') },
            { serviceAccountName: metricsSa, rules: rulesFor(objs, metricsSa, 'cluster') },
          ],
        },
      },
      webhookdefinitions: [
        {
          type: 'ValidatingAdmissionWebhook',
          generateName: webhook.name,
          deploymentName: OPERATOR,
          containerPort: webhookPort,
          targetPort: webhookPort,
          webhookPath: '/validate',
          admissionReviewVersions: webhook.admissionReviewVersions,
          sideEffects: webhook.sideEffects,
          failurePolicy: webhook.failurePolicy,
          timeoutSeconds: webhook.timeoutSeconds,
          rules: webhook.rules,
        },
        {
          type: 'ConversionWebhook',
          generateName: 'csmi.smi-spec.io',
          deploymentName: OPERATOR,
          containerPort: webhookPort,
          targetPort: webhookPort,
          webhookPath: '/convert',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          conversionCRDs: [...SMI_CRDS],
        },
      ],
      relatedImages: [{ name: 'smi-operator', image: o.image }],
    },
  };
  delete (csv.metadata as { namespace?: string }).namespace;
  files.set(`manifests/${PACKAGE}.clusterserviceversion.yaml`, dump(csv));

  // Other objects OLM does not derive: the adapter ConfigMap and the aggregated `view` role for metrics.
  const cm = structuredClone(one(objs, 'ConfigMap', 'smi-operator-config'));
  delete cm.metadata.namespace;
  files.set('manifests/smi-operator-config_v1_configmap.yaml', dump(cm));
  const view = objs.find((x) => x.kind === 'ClusterRole' && (x.metadata.labels ?? {})['rbac.authorization.k8s.io/aggregate-to-view'] === 'true');
  if (view) files.set(`manifests/${view.metadata.name}_rbac.authorization.k8s.io_v1_clusterrole.yaml`, dump(view));

  files.set('metadata/annotations.yaml', dump({ annotations: bundleAnnotations() }));
  return files;
}

export function bundleAnnotations(): Record<string, string> {
  return {
    'operators.operatorframework.io.bundle.mediatype.v1': 'registry+v1',
    'operators.operatorframework.io.bundle.manifests.v1': 'manifests/',
    'operators.operatorframework.io.bundle.metadata.v1': 'metadata/',
    'operators.operatorframework.io.bundle.package.v1': PACKAGE,
    'operators.operatorframework.io.bundle.channels.v1': CHANNEL,
    'operators.operatorframework.io.bundle.channel.default.v1': CHANNEL,
  };
}

/** bundle.Dockerfile: FROM scratch, the annotations as labels, manifests/ and metadata/ copied. */
export function bundleDockerfile(): string {
  return [
    '# Generated by `make bundle` (release/bundle.ts). Build: make bundle-image',
    'FROM scratch',
    ...Object.entries(bundleAnnotations()).map(([k, v]) => `LABEL ${k}=${v}`),
    'COPY bundle/manifests /manifests/',
    'COPY bundle/metadata /metadata/',
    '',
  ].join('\n');
}

export function writeBundle(files: Files, out: string): void {
  rmSync(out, { recursive: true, force: true });
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), text);
  }
}

export { CERT_DIR, APISERVICE };

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const args = process.argv.slice(2);
  const flag = (n: string, d: string) => {
    const i = args.indexOf(n);
    return i >= 0 && args[i + 1] ? args[i + 1]! : d;
  };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const version = flag('--version', pkg.version);
  const image = flag('--image', process.env.IMG ?? `smi-operator:${version}`);
  const out = flag('--out', join(root, 'bundle'));
  writeBundle(generateBundle({ root, version, image }), out);
  writeFileSync(flag('--dockerfile', join(root, 'bundle.Dockerfile')), bundleDockerfile());
  process.stdout.write(`bundle: ${out} (${PACKAGE}.v${version}, image ${image})\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
