// `smictl metrics` and `smictl metrics-api`, the part that runs: loaded by
// commands/metrics.ts only when one of them is invoked (the metrics API server and
// its Prometheus client cost memory no other command needs; credentials come from
// kube/credentials.ts, which loads client-node only for exec/auth-provider users).

import { readFileSync } from 'node:fs';
import { HttpKubeClient, type KubeClient } from '../../kube/client.js';
import { loadCredentials } from '../../kube/credentials.js';
import { metricsMeshProblem } from '../../adapters/types.js';
import type { QueryFlags, ServeFlags } from '../flags.js';
import { reachable } from '../kube-flags.js';
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
import { MeshConfigFollower } from '../../metrics-api/mesh-config.js';
import yaml from 'js-yaml';
import { selfSignedCert } from '../../metrics-api/tls.js';
import type { TrafficMetrics } from '../../metrics-api/traffic-metrics.js';

/** --kubeconfig, $KUBECONFIG, ~/.kube/config, in-cluster; undefined when none is usable. */
async function kubeClient(path: string | undefined, context?: string): Promise<KubeClient | undefined> {
  const creds = await loadCredentials({ path, homeKubeconfig: true, ...(context ? { context } : {}) });
  return creds.ok ? new HttpKubeClient(creds.value) : undefined;
}

/** Without a cluster, only what needs no Kubernetes object (no selectors, no TrafficSplits) works. */
function noCluster(): KubeAccess {
  const why = () => Promise.resolve(fail('ServiceUnavailable', 'no usable kubeconfig: label selectors and trafficsplits need the Kubernetes API'));
  return { selectNames: why, getTrafficSplit: why, listTrafficSplits: why, authorize: why, getConfigMap: why };
}

export async function runQuery(target: string, f: QueryFlags): Promise<number> {
  const meshProblem = metricsMeshProblem(f.mesh); // SMI_MESH bypasses commander's parser
  if (meshProblem) {
    process.stderr.write(`smictl metrics: --mesh ${meshProblem}\n`);
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
  if (!['table', 'json', 'yaml'].includes(f.output)) {
    process.stderr.write(`smictl metrics: unknown output "${f.output}": one of table, json, yaml\n`);
    return 2;
  }
  // Label selectors and trafficsplits read the cluster; other queries need only Prometheus, so a
  // missing kubeconfig matters only for them or when one was asked for (--kubeconfig, --context).
  const needsKube = !!f.selector || kind.plural === 'trafficsplits';
  const creds = await loadCredentials({ path: f.kubeconfig, homeKubeconfig: true, ...(f.context ? { context: f.context } : {}) });
  if (!creds.ok && (needsKube || f.kubeconfig || f.context)) {
    const why = needsKube ? `; ${f.selector ? 'a label selector' : 'trafficsplits'} needs the Kubernetes API` : '';
    process.stderr.write(`smictl metrics: ${creds.error} (pass --kubeconfig or --context, or set KUBECONFIG)${why}\n`);
    return 2;
  }
  const kc = creds.ok ? new HttpKubeClient(creds.value) : undefined;
  if (kc && creds.ok && needsKube) {
    const up = await reachable(kc, creds.value.getCurrentCluster()?.server ?? '');
    if (!up.ok) {
      process.stderr.write(`smictl metrics: ${up.error}\n`);
      return 1;
    }
  }
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
  if (f.output === 'yaml') {
    process.stdout.write(yaml.dump(r.body, { lineWidth: 140, noRefs: true }));
    return 0;
  }
  const body = r.body as TrafficMetrics | { items: TrafficMetrics[] };
  const items = 'items' in body ? body.items : [body];
  process.stdout.write(items.length ? metricsTable(items) : 'no traffic in the window\n');
  return 0;
}

export async function serve(f: ServeFlags): Promise<void> {
  const meshProblem = metricsMeshProblem(f.mesh); // SMI_MESH bypasses commander's parser
  if (meshProblem) throw new Error(`smictl metrics-api: --mesh ${meshProblem}`);
  const logger = createLogger();
  const kc = await kubeClient(f.kubeconfig);
  if (!kc && f.auth) throw new Error('smictl metrics-api: no usable kubeconfig (in-cluster or --kubeconfig): needed for authentication and SubjectAccessReviews');
  const kube = kc ? kubeAccess(kc) : noCluster();
  let frontProxy;
  if (f.auth) {
    const cfg = await loadFrontProxyConfig(kube);
    if (!cfg.ok) throw new Error(`smictl metrics-api: ${cfg.error.message}`);
    frontProxy = cfg.value;
  }
  const tls = f.tlsCert && f.tlsKey ? { certPem: readFileSync(f.tlsCert, 'utf8'), keyPem: readFileSync(f.tlsKey, 'utf8') } : selfSignedCert(['localhost', '127.0.0.1']);
  // Follow the adapter ConfigMap (mesh, prometheusUrl); the flags/env are the defaults.
  const defaults = { mesh: f.mesh, prometheusUrl: f.prometheus };
  const [cmNs, cmName] = f.configMap.includes('/') ? f.configMap.split('/', 2) : ['', ''];
  const follower = kc && cmNs && cmName ? new MeshConfigFollower(kube, { namespace: cmNs, name: cmName }, defaults) : undefined;
  if (follower) {
    await follower.refresh();
    follower.start();
  }
  const clients = new Map<string, ReturnType<typeof httpPrometheus>>();
  const prometheus = (): ReturnType<typeof httpPrometheus> => {
    const url = (follower?.settings() ?? defaults).prometheusUrl;
    let c = clients.get(url);
    if (!c) clients.set(url, (c = httpPrometheus(url, Number(f.timeout) * 1000)));
    return c;
  };
  const server = createMetricsApiServer({ mesh: () => (follower?.settings() ?? defaults).mesh, prometheus, kube, frontProxy, logger, tls });
  await server.listen(Number(f.port), f.host);
  const stop = (): void => {
    logger.info('shutting down');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

