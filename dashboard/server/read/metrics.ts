// TrafficMetrics for the dashboard: through the aggregated API
// (metrics.smi-spec.io, so the user's RBAC applies), or — when that APIService is
// absent and --prometheus was given — through the same handler run in-process
// against Prometheus. The API has no "all edges of a namespace" call, so the
// topology costs one list per node kind plus one `edges` call per resource with
// traffic, run a few at a time.

import type { MeshName, MetricsMesh } from '../../../adapters/types.js';
import { HttpKubeClient, type KubeClient, type KubeStatusError } from '../../../kube/client.js';
import type { KubeCredentials } from '../../../kube/credentials.js';
import { BASE_PATH } from '../../../metrics-api/discovery.js';
import { createHandler } from '../../../metrics-api/handler.js';
import { kubeAccess } from '../../../metrics-api/kube.js';
import { silentLogger } from '../../../metrics-api/log.js';
import { httpPrometheus } from '../../../metrics-api/prometheus.js';
import type { TrafficMetrics, TrafficMetricsList } from '../../../metrics-api/traffic-metrics.js';
import { METRICS_APISERVICE, metricsAlert, metricsMissingAlert } from '../alerts.js';
import type { Alert, MetricsSourceView } from '../model/types.js';

type Got<T> = { ok: true; body: T } | { ok: false; error: KubeStatusError };

export interface MetricsSource {
  view: MetricsSourceView;
  /** GET a path below /apis/metrics.smi-spec.io/v1alpha1 with the window. */
  get<T>(path: string, window: string): Promise<Got<T>>;
}

export interface MetricsOptions {
  prometheus?: string;
  prometheusTimeoutMs?: number;
  mesh: MeshName;
  credentials: KubeCredentials;
}

function aggregated(client: KubeClient): MetricsSource {
  return {
    view: { type: 'aggregated', description: `TrafficMetrics API (APIService ${METRICS_APISERVICE}), with your credentials` },
    async get<T>(path: string, window: string): Promise<Got<T>> {
      const r = await client.request<T>('GET', `${BASE_PATH}${path}`, { query: { window }, timeoutMs: 20_000 });
      return r.ok ? { ok: true, body: r.body } : { ok: false, error: r.error };
    },
  };
}

function inProcess(o: MetricsOptions & { prometheus: string }): MetricsSource {
  const handle = createHandler({
    // readTraffic never queries for gamma (it lists no kinds), so its handler is never asked.
    mesh: o.mesh === 'gamma' ? 'istio' : o.mesh,
    prometheus: httpPrometheus(o.prometheus, o.prometheusTimeoutMs ?? 10_000),
    kube: kubeAccess(new HttpKubeClient(o.credentials)),
    frontProxy: undefined,
    logger: silentLogger(),
  });
  return {
    view: { type: 'prometheus', description: `Prometheus at ${o.prometheus} (--prometheus; mesh ${o.mesh}), queried by the dashboard` },
    async get<T>(path: string, window: string): Promise<Got<T>> {
      const r = await handle({ method: 'GET', url: `${BASE_PATH}${path}?window=${encodeURIComponent(window)}`, headers: {}, peer: { verified: false } });
      if (r.status === 200) return { ok: true, body: r.body as T };
      const s = r.body as { reason?: string; message?: string };
      return { ok: false, error: { status: r.status, reason: s.reason ?? String(r.status), message: s.message ?? JSON.stringify(r.body) } };
    },
  };
}

/** The aggregated API when it answers discovery; else --prometheus; else none, with the reason as an alert. */
export async function chooseMetricsSource(client: KubeClient, o: MetricsOptions): Promise<{ source?: MetricsSource; alerts: Alert[] }> {
  const probe = await client.request('GET', BASE_PATH, { timeoutMs: 10_000 });
  if (probe.ok) return { source: aggregated(client), alerts: [] };
  const why =
    probe.error.status === 404
      ? `GET ${BASE_PATH}: 404 — APIService ${METRICS_APISERVICE} is not registered`
      : `GET ${BASE_PATH}: HTTP ${probe.error.status} ${probe.error.reason}: ${probe.error.message}`;
  if (o.prometheus) {
    const source = inProcess({ ...o, prometheus: o.prometheus });
    return {
      source,
      alerts: [{ kind: 'metrics-missing', severity: 'info', title: `TrafficMetrics API not available: using Prometheus at ${o.prometheus} directly`, detail: why, hint: 'Metrics are read without your RBAC (Prometheus has its own access control).' }],
    };
  }
  return { alerts: [metricsMissingAlert(why, probe.error.status)] };
}

export interface TrafficRead {
  resources: TrafficMetrics[];
  edges: TrafficMetrics[];
  splits: TrafficMetrics[];
  alerts: Alert[];
  /** The window the API reported (e.g. `1m`). */
  window?: string;
  windowEnd?: string;
}

/** Runs `tasks` with at most `limit` in flight; stops starting new ones once `stop()` says so. */
async function pool(tasks: Array<() => Promise<void>>, limit: number, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !stop()) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

const NODE_KINDS: Record<MetricsMesh, string[]> = {
  // Istio's workload labels do not say which kind a workload is: every kind's list answers the same
  // series, so one list covers Deployments, StatefulSets and DaemonSets alike.
  istio: ['deployments'],
  // Linkerd labels each kind separately (deployment, statefulset, daemonset).
  linkerd: ['deployments', 'statefulsets', 'daemonsets'],
  // Consul names services, not workloads (its workload kinds answer 404).
  consul: ['services'],
};

export const nodesAre = (mesh: MeshName): 'workloads' | 'services' => (mesh === 'consul' ? 'services' : 'workloads');

export async function readTraffic(source: MetricsSource, o: { mesh: MeshName; namespaces: string[]; splitNamespaces: string[]; window: string; prometheus?: string }): Promise<TrafficRead> {
  const out: TrafficRead = { resources: [], edges: [], splits: [], alerts: [] };
  let fatal = false;
  const fail = (what: string, e: KubeStatusError): void => {
    const alert = metricsAlert(source.view.description, what, e, o.prometheus);
    // Prometheus down or the API gone: every further call would fail the same way, slowly.
    if (alert.kind === 'prometheus-down' || e.status === 0 || e.status === 503) fatal = true;
    out.alerts.push(alert);
  };
  const note = (items: TrafficMetrics[]): void => {
    const first = items[0];
    if (first && !out.window) {
      out.window = first.window;
      out.windowEnd = first.timestamp;
    }
  };

  const measured: Array<{ plural: string; namespace: string; name: string }> = [];
  const lists: Array<() => Promise<void>> = [];
  for (const ns of o.namespaces) {
    // gamma: the traffic is the underlying mesh's, whose metrics this mesh name does not say how to read.
    for (const plural of o.mesh === 'gamma' ? [] : NODE_KINDS[o.mesh]) {
      lists.push(async () => {
        const r = await source.get<TrafficMetricsList>(`/namespaces/${encodeURIComponent(ns)}/${plural}`, o.window);
        if (!r.ok) {
          if (r.error.status !== 404) fail(`list ${plural} metrics in ${ns}`, r.error);
          return;
        }
        note(r.body.items);
        out.resources.push(...r.body.items);
        for (const i of r.body.items) if (i.resource.name) measured.push({ plural, namespace: i.resource.namespace ?? ns, name: i.resource.name });
      });
    }
  }
  for (const ns of o.splitNamespaces) {
    lists.push(async () => {
      const r = await source.get<TrafficMetricsList>(`/namespaces/${encodeURIComponent(ns)}/trafficsplits`, o.window);
      if (!r.ok) return fail(`trafficsplit metrics in ${ns}`, r.error);
      note(r.body.items);
      out.splits.push(...r.body.items);
    });
  }
  await pool(lists, 6, () => fatal);
  if (fatal) return out;

  const edgeCalls = measured.map((m) => async () => {
    const r = await source.get<TrafficMetricsList>(`/namespaces/${encodeURIComponent(m.namespace)}/${m.plural}/${encodeURIComponent(m.name)}/edges`, o.window);
    if (!r.ok) return fail(`edges of ${m.plural}/${m.name} in ${m.namespace}`, r.error);
    out.edges.push(...r.body.items);
  });
  await pool(edgeCalls, 6, () => fatal);
  return out;
}
