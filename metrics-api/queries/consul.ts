// Consul service mesh (Envoy sidecars; Consul >= 1.9 stats tags):
//   envoy_cluster_upstream_rq_xx          counter, label envoy_response_code_class (1..5)
//   envoy_cluster_upstream_rq_time_bucket histogram in ms
// These are upstream-cluster stats of the *client* sidecar, tagged with
// consul_source_{service,namespace} (the caller) and consul_destination_{service,
// namespace} (the callee). Consul names services, not workloads: only services,
// namespaces and TrafficSplit backends can be measured, all on the client side.
// Consul namespaces are taken to mirror Kubernetes namespaces (consul-k8s mirroring);
// with Consul CE everything is in Consul namespace "default".
// Failure = response class 5; everything else is success.

import { ok, type Result } from '../errors.js';
import { pin, present, unsupported } from './common.js';
import type { MeshQueries, Scope, Selection } from './types.js';

const DST = { name: 'consul_destination_service', namespace: 'consul_destination_namespace' };
const SRC = { name: 'consul_source_service', namespace: 'consul_source_namespace' };

function select(scope: Scope): Result<Selection> {
  if (scope.type === 'backend') {
    return ok({ matchers: [pin(DST.namespace, scope.namespace), pin(DST.name, scope.service)], resourceLabels: DST, side: 'client' });
  }
  if (scope.plural === 'services') {
    if (scope.type === 'resource') {
      return ok({ matchers: [pin(DST.namespace, scope.namespace), pin(DST.name, scope.name)], resourceLabels: DST, side: 'client' });
    }
    return scope.direction === 'from'
      ? ok({ matchers: [pin(DST.namespace, scope.namespace), pin(DST.name, scope.name), present(SRC.name)], edgeLabels: SRC, side: 'client' })
      : ok({ matchers: [pin(SRC.namespace, scope.namespace), pin(SRC.name, scope.name), present(DST.name)], edgeLabels: DST, side: 'client' });
  }
  if (scope.plural === 'namespaces') {
    if (scope.type === 'resource') return ok({ matchers: [pin(DST.namespace, scope.name)], resourceLabels: { name: DST.namespace }, side: 'client' });
    return scope.direction === 'from'
      ? ok({ matchers: [pin(DST.namespace, scope.name), present(SRC.namespace)], edgeLabels: { name: SRC.namespace }, side: 'client' })
      : ok({ matchers: [pin(SRC.namespace, scope.name), present(DST.namespace)], edgeLabels: { name: DST.namespace }, side: 'client' });
  }
  return unsupported('consul', scope, 'Consul metrics name services, not workloads or pods');
}

export const consulQueries: MeshQueries = {
  mesh: 'consul',
  latencyBucket: 'envoy_cluster_upstream_rq_time_bucket',
  latencyToSeconds: 0.001,
  requestCounter: 'envoy_cluster_upstream_rq_xx',
  success: [['envoy_response_code_class', '!=', '5']],
  failure: [['envoy_response_code_class', '=', '5']],
  select,
};
