// Failed requests as alerts a user can act on: which of the usual causes it is
// (API server down, credentials refused, RBAC, metrics API missing, Prometheus
// down) and what to do about it. Pure.

import type { KubeStatusError } from '../../kube/client.js';
import type { Alert } from './model/types.js';

export const METRICS_APISERVICE = 'v1alpha1.metrics.smi-spec.io';

export function apiAlert(server: string, what: string, e: KubeStatusError): Alert {
  if (e.status === 0) {
    return {
      kind: 'api-unreachable',
      severity: 'error',
      title: `Cannot reach the Kubernetes API server at ${server}`,
      detail: `${what}: ${e.message}`,
      hint: 'Check that the cluster is running and that --kubeconfig / --context point at it (kubectl cluster-info).',
    };
  }
  if (e.status === 401) {
    return {
      kind: 'unauthorized',
      severity: 'error',
      title: 'The API server rejected your credentials (401)',
      detail: `${what}: ${e.message}`,
      hint: 'Your token or client certificate is not accepted: log in again or pick another --context.',
    };
  }
  if (e.status === 403) {
    return {
      kind: 'forbidden',
      severity: 'warning',
      title: `RBAC: you may not ${what}`,
      detail: e.message,
      hint: 'The dashboard reads with your own credentials; ask for read access (the built-in "view" ClusterRole covers the SMI kinds and TrafficMetrics), or pick a namespace you can read.',
    };
  }
  return { kind: 'error', severity: 'error', title: `Request failed: ${what} (HTTP ${e.status} ${e.reason})`, detail: e.message, hint: 'See the API server\'s message above.' };
}

/** A failed TrafficMetrics request, through the aggregation layer or the in-process fallback. */
export function metricsAlert(source: string, what: string, e: KubeStatusError, prometheusUrl: string | undefined): Alert {
  const text = `${e.reason} ${e.message}`.toLowerCase();
  if (text.includes('prometheus') && (e.status === 503 || e.status === 504 || e.status === 500 || e.status === 0)) {
    return {
      kind: 'prometheus-down',
      severity: 'error',
      title: 'Prometheus does not answer: no traffic data',
      detail: `${what}: ${e.message}`,
      hint: prometheusUrl
        ? `Check that Prometheus is up at ${prometheusUrl} (--prometheus).`
        : 'The TrafficMetrics API server cannot query the mesh\'s Prometheus: check its --prometheus URL (SMI_PROMETHEUS_URL in config/metrics) and that Prometheus is running.',
    };
  }
  if (e.status === 403) return apiAlert(source, what, e);
  return {
    kind: 'metrics-unavailable',
    severity: 'error',
    title: `TrafficMetrics request failed (${source})`,
    detail: `${what}: HTTP ${e.status} ${e.reason}: ${e.message}`,
    hint: `Check the APIService (kubectl get apiservice ${METRICS_APISERVICE}) and the metrics API server's logs.`,
  };
}

export function metricsMissingAlert(detail: string, status: number): Alert {
  return {
    kind: 'metrics-missing',
    severity: 'warning',
    title: status === 404 ? 'The TrafficMetrics API is not installed: no traffic data' : 'The TrafficMetrics API is not available: no traffic data',
    detail,
    hint: `Install it (kubectl apply -k config/metrics, APIService ${METRICS_APISERVICE}), or run smictl dashboard --prometheus <url> to query the mesh's Prometheus directly.`,
  };
}

/** Several 403s in one snapshot read as one alert per verb/resource, not a wall of red. */
export function dedupe(alerts: readonly Alert[]): Alert[] {
  const seen = new Set<string>();
  return alerts.filter((a) => {
    const k = `${a.kind}|${a.title}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
