// `smictl metrics <kind>[/<name>]`: TrafficMetrics straight from Prometheus,
// without the aggregation layer, printed as a table (or JSON).
// `smictl metrics-api`: serve metrics.smi-spec.io/v1alpha1 for an APIService.

import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { MESH_NAMES, type MeshName } from '../../../adapters/types.js';
import { loadFrontProxyConfig } from '../../metrics-api/auth.js';
import { BASE_PATH } from '../../metrics-api/discovery.js';
import { fail } from '../../metrics-api/errors.js';
import { createHandler } from '../../metrics-api/handler.js';
import { kindByAlias } from '../../metrics-api/kinds.js';
import { kubeAccess, type KubeAccess } from '../../metrics-api/kube.js';
import { createLogger, silentLogger } from '../../metrics-api/log.js';
import { httpPrometheus } from '../../metrics-api/prometheus.js';
import { createMetricsApiServer } from '../../metrics-api/server.js';
import { metricsTable } from '../../metrics-api/table.js';
import { selfSignedCert } from '../../metrics-api/tls.js';
import type { TrafficMetrics } from '../../metrics-api/traffic-metrics.js';

const DEFAULT_PROMETHEUS = process.env.SMI_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
// The operator ConfigMap's `mesh` key reaches the server as SMI_MESH (config/metrics/deployment.yaml).
const DEFAULT_MESH = (process.env.SMI_MESH || 'istio') as MeshName;

function meshOption(value: string): MeshName {
  if (!(MESH_NAMES as readonly string[]).includes(value)) throw new Error(`unknown mesh "${value}": one of ${MESH_NAMES.join(', ')}`);
  return value as MeshName;
}

function loadKubeConfig(path: string | undefined): KubeConfig | undefined {
  const kc = new KubeConfig();
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    return kc.getCurrentCluster() ? kc : undefined;
  } catch {
    return undefined;
  }
}

/** Without a cluster, only what needs no Kubernetes object (no selectors, no TrafficSplits) works. */
function noCluster(): KubeAccess {
  const why = () => Promise.resolve(fail('ServiceUnavailable', 'no usable kubeconfig: label selectors and trafficsplits need the Kubernetes API'));
  return { selectNames: why, getTrafficSplit: why, listTrafficSplits: why, authorize: why, getConfigMap: why };
}

interface QueryFlags {
  namespace?: string;
  edges?: boolean;
  mesh: MeshName;
  prometheus: string;
  window?: string;
  selector?: string;
  output: string;
  kubeconfig?: string;
  timeout: string;
}

async function runQuery(target: string, f: QueryFlags): Promise<number> {
  if (!(MESH_NAMES as readonly string[]).includes(f.mesh)) {
    process.stderr.write(`smictl metrics: unknown mesh "${f.mesh}": one of ${MESH_NAMES.join(', ')}\n`);
    return 2;
  }
  const [kindText = '', name] = target.split('/', 2);
  const kind = kindByAlias(kindText);
  if (!kind) {
    process.stderr.write(`smictl metrics: unknown kind "${kindText}" (namespaces, pods, deployments, statefulsets, daemonsets, services, trafficsplits)\n`);
    return 2;
  }
  if (f.edges && !name) {
    process.stderr.write('smictl metrics: --edges needs one resource: <kind>/<name>\n');
    return 2;
  }
  const ns = f.namespace ?? 'default';
  const path = !kind.namespaced
    ? `${BASE_PATH}/namespaces${name ? `/${encodeURIComponent(name)}` : ''}`
    : `${BASE_PATH}/namespaces/${encodeURIComponent(ns)}/${kind.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  const params = new URLSearchParams();
  if (f.window) params.set('window', f.window);
  if (f.selector) params.set('labelSelector', f.selector);
  const kc = loadKubeConfig(f.kubeconfig);
  const handle = createHandler({
    mesh: f.mesh,
    prometheus: httpPrometheus(f.prometheus, Number(f.timeout) * 1000),
    kube: kc ? kubeAccess(kc) : noCluster(),
    frontProxy: undefined,
    logger: silentLogger(),
  });
  const url = `${path}${f.edges ? '/edges' : ''}${params.size ? `?${params}` : ''}`;
  const r = await handle({ method: 'GET', url, headers: {}, peer: { verified: false } });
  if (r.status !== 200) {
    const s = r.body as { reason?: string; message?: string };
    process.stderr.write(`smictl metrics: ${s.reason ?? r.status}: ${s.message ?? JSON.stringify(r.body)}\n`);
    return 1;
  }
  if (f.output === 'json') {
    process.stdout.write(`${JSON.stringify(r.body, null, 2)}\n`);
    return 0;
  }
  const body = r.body as TrafficMetrics | { items: TrafficMetrics[] };
  const items = 'items' in body ? body.items : [body];
  process.stdout.write(items.length ? metricsTable(items) : 'no traffic in the window\n');
  return 0;
}

interface ServeFlags {
  mesh: MeshName;
  prometheus: string;
  port: string;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  kubeconfig?: string;
  timeout: string;
  auth: boolean;
}

async function serve(f: ServeFlags): Promise<void> {
  meshOption(f.mesh); // SMI_MESH bypasses commander's parser
  const logger = createLogger();
  const kc = loadKubeConfig(f.kubeconfig);
  if (!kc && f.auth) throw new Error('smictl metrics-api: no usable kubeconfig (in-cluster or --kubeconfig): needed for authentication and SubjectAccessReviews');
  const kube = kc ? kubeAccess(kc) : noCluster();
  let frontProxy;
  if (f.auth) {
    const cfg = await loadFrontProxyConfig(kube);
    if (!cfg.ok) throw new Error(`smictl metrics-api: ${cfg.error.message}`);
    frontProxy = cfg.value;
  }
  const tls = f.tlsCert && f.tlsKey ? { certPem: readFileSync(f.tlsCert, 'utf8'), keyPem: readFileSync(f.tlsKey, 'utf8') } : selfSignedCert(['localhost', '127.0.0.1']);
  const server = createMetricsApiServer({ mesh: f.mesh, prometheus: httpPrometheus(f.prometheus, Number(f.timeout) * 1000), kube, frontProxy, logger, tls });
  await server.listen(Number(f.port), f.host);
  const stop = (): void => {
    logger.info('shutting down');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('show SMI TrafficMetrics for a resource, a kind, or the edges of a resource, straight from Prometheus')
    .argument('<target>', 'kind or kind/name, e.g. deployments, deploy/web, ns/shop, ts/web-split')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .option('--edges', 'list the edges of the resource (traffic to and from its peers)')
    .option('--mesh <mesh>', `mesh whose metric names to query: ${MESH_NAMES.join(', ')} (env SMI_MESH)`, meshOption, DEFAULT_MESH)
    .option('--prometheus <url>', 'Prometheus base URL (env SMI_PROMETHEUS_URL)', DEFAULT_PROMETHEUS)
    .option('--window <duration>', 'aggregation window, e.g. 30s, 1m', '30s')
    .option('-l, --selector <labels>', 'only resources whose objects match this label selector')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--kubeconfig <path>', 'kubeconfig for selectors and trafficsplits (default: KUBECONFIG or ~/.kube/config)')
    .option('--timeout <seconds>', 'Prometheus query timeout', '10')
    .action(async (target: string, flags: QueryFlags) => {
      process.exitCode = await runQuery(target, flags);
    });

  program
    .command('metrics-api')
    .description('serve metrics.smi-spec.io/v1alpha1 over HTTPS for the APIService (config/metrics/)')
    .option('--mesh <mesh>', `mesh whose metric names to query: ${MESH_NAMES.join(', ')} (env SMI_MESH)`, meshOption, DEFAULT_MESH)
    .option('--prometheus <url>', 'Prometheus base URL (env SMI_PROMETHEUS_URL)', DEFAULT_PROMETHEUS)
    .option('--port <port>', 'HTTPS port', '8443')
    .option('--host <addr>', 'listen address', '0.0.0.0')
    .option('--tls-cert <file>', 'serving certificate PEM (default: self-signed)')
    .option('--tls-key <file>', 'serving key PEM')
    .option('--kubeconfig <path>', 'kubeconfig (default: in-cluster, KUBECONFIG or ~/.kube/config)')
    .option('--timeout <seconds>', 'Prometheus query timeout', '10')
    .option('--no-auth', 'serve without front-proxy authentication and authorization (local debugging only)')
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}
