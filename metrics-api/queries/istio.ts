// Istio standard metrics (Envoy telemetry, Istio >= 1.5; Mixer is gone):
//   istio_requests_total                       counter, label response_code
//   istio_request_duration_milliseconds_bucket histogram in ms
// Each request is reported twice, by the client proxy (reporter="source") and the
// server proxy (reporter="destination"): always pin reporter so it is counted once.
// Workloads are named by {source,destination}_workload[_namespace] (the owning
// Deployment/StatefulSet/DaemonSet name). Pods have no standard label; `pod` and
// `namespace` come from Prometheus' kubernetes-pods relabelling of the scraped
// (server) proxy. Failure = 5xx response_code; everything else is success.

import { ok, type Result } from '../errors.js';
import { pin, present, unsupported } from './common.js';
import type { MeshQueries, Scope, Selection } from './types.js';

const WORKLOAD = { name: 'destination_workload', namespace: 'destination_workload_namespace' };
const SOURCE_WORKLOAD = { name: 'source_workload', namespace: 'source_workload_namespace' };
const SERVICE = { name: 'destination_service_name', namespace: 'destination_service_namespace' };

function select(scope: Scope): Result<Selection> {
  if (scope.type === 'backend') {
    // Traffic split backends are measured where the split happens: at the clients.
    return ok({
      matchers: [['reporter', '=', 'source'], pin(SERVICE.namespace, scope.namespace), pin(SERVICE.name, scope.service)],
      resourceLabels: SERVICE,
      side: 'client',
    });
  }
  const { plural } = scope;
  if (plural === 'deployments' || plural === 'statefulsets' || plural === 'daemonsets') {
    if (scope.type === 'resource') {
      return ok({
        matchers: [['reporter', '=', 'destination'], pin(WORKLOAD.namespace, scope.namespace), pin(WORKLOAD.name, scope.name)],
        resourceLabels: WORKLOAD,
        side: 'server',
      });
    }
    if (scope.direction === 'from') {
      return ok({
        matchers: [['reporter', '=', 'destination'], pin(WORKLOAD.namespace, scope.namespace), pin(WORKLOAD.name, scope.name), present(SOURCE_WORKLOAD.name)],
        edgeLabels: SOURCE_WORKLOAD,
        side: 'server',
      });
    }
    return ok({
      matchers: [['reporter', '=', 'source'], pin(SOURCE_WORKLOAD.namespace, scope.namespace), pin(SOURCE_WORKLOAD.name, scope.name), present(WORKLOAD.name)],
      edgeLabels: WORKLOAD,
      side: 'client',
    });
  }
  if (plural === 'namespaces') {
    const name = scope.name;
    if (scope.type === 'resource') {
      return ok({ matchers: [['reporter', '=', 'destination'], pin(WORKLOAD.namespace, name)], resourceLabels: { name: WORKLOAD.namespace }, side: 'server' });
    }
    return scope.direction === 'from'
      ? ok({ matchers: [['reporter', '=', 'destination'], pin(WORKLOAD.namespace, name), present(SOURCE_WORKLOAD.namespace)], edgeLabels: { name: SOURCE_WORKLOAD.namespace }, side: 'server' })
      : ok({ matchers: [['reporter', '=', 'source'], pin(SOURCE_WORKLOAD.namespace, name), present(WORKLOAD.namespace)], edgeLabels: { name: WORKLOAD.namespace }, side: 'client' });
  }
  if (plural === 'pods' && scope.type === 'resource') {
    return ok({ matchers: [['reporter', '=', 'destination'], pin('namespace', scope.namespace), pin('pod', scope.name)], resourceLabels: { name: 'pod', namespace: 'namespace' }, side: 'server' });
  }
  if (plural === 'services' && scope.type === 'resource') {
    return ok({ matchers: [['reporter', '=', 'destination'], pin(SERVICE.namespace, scope.namespace), pin(SERVICE.name, scope.name)], resourceLabels: SERVICE, side: 'server' });
  }
  return unsupported('istio', scope, 'Istio standard metrics do not name the peer pod or the calling service');
}

export const istioQueries: MeshQueries = {
  mesh: 'istio',
  latencyBucket: 'istio_request_duration_milliseconds_bucket',
  latencyToSeconds: 0.001,
  requestCounter: 'istio_requests_total',
  success: [['response_code', '!~', '5..']],
  failure: [['response_code', '=~', '5..']],
  select,
};
