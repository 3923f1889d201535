// Linkerd proxy metrics (linkerd2-proxy, admin port 4191):
//   response_total            counter, label classification="success"|"failure"
//   response_latency_ms_bucket histogram in ms (time to first byte)
// direction="inbound" series are recorded by the server's proxy and name it with
// <kind>/namespace labels (deployment, statefulset, daemonset, pod). direction=
// "outbound" series are recorded by the client's proxy: <kind>/namespace name the
// client, dst_<kind>/dst_namespace the server (and dst_service the Service).
// So resources are measured inbound (server side) and edges outbound (client side).
// Success/failure is Linkerd's own classification: 5xx (and gRPC errors) fail.

import { ok, type Result } from '../errors.js';
import type { ResourcePlural } from '../kinds.js';
import { pin, present, unsupported } from './common.js';
import type { MeshQueries, Scope, Selection } from './types.js';

const WORKLOAD_LABEL: Partial<Record<ResourcePlural, string>> = {
  deployments: 'deployment',
  statefulsets: 'statefulset',
  daemonsets: 'daemonset',
  pods: 'pod',
};

const INBOUND = ['direction', '=', 'inbound'] as const;
const OUTBOUND = ['direction', '=', 'outbound'] as const;

function select(scope: Scope): Result<Selection> {
  if (scope.type === 'backend') {
    return ok({
      matchers: [[...OUTBOUND], pin('dst_namespace', scope.namespace), pin('dst_service', scope.service)],
      resourceLabels: { name: 'dst_service', namespace: 'dst_namespace' },
      side: 'client',
    });
  }
  const label = WORKLOAD_LABEL[scope.plural];
  if (label !== undefined) {
    const self = { name: label, namespace: 'namespace' };
    const dst = { name: `dst_${label}`, namespace: 'dst_namespace' };
    if (scope.type === 'resource') {
      return ok({ matchers: [[...INBOUND], pin('namespace', scope.namespace), pin(label, scope.name)], resourceLabels: self, side: 'server' });
    }
    return scope.direction === 'from'
      ? ok({ matchers: [[...OUTBOUND], pin('dst_namespace', scope.namespace), pin(dst.name, scope.name), present(label)], edgeLabels: self, side: 'client' })
      : ok({ matchers: [[...OUTBOUND], pin('namespace', scope.namespace), pin(label, scope.name), present(dst.name)], edgeLabels: dst, side: 'client' });
  }
  if (scope.plural === 'namespaces') {
    if (scope.type === 'resource') {
      return ok({ matchers: [[...INBOUND], pin('namespace', scope.name)], resourceLabels: { name: 'namespace' }, side: 'server' });
    }
    return scope.direction === 'from'
      ? ok({ matchers: [[...OUTBOUND], pin('dst_namespace', scope.name), present('namespace')], edgeLabels: { name: 'namespace' }, side: 'client' })
      : ok({ matchers: [[...OUTBOUND], pin('namespace', scope.name), present('dst_namespace')], edgeLabels: { name: 'dst_namespace' }, side: 'client' });
  }
  if (scope.plural === 'services' && scope.type === 'resource') {
    // Inbound series do not name the Service; its clients' outbound series do.
    return ok({
      matchers: [[...OUTBOUND], pin('dst_namespace', scope.namespace), pin('dst_service', scope.name)],
      resourceLabels: { name: 'dst_service', namespace: 'dst_namespace' },
      side: 'client',
    });
  }
  return unsupported('linkerd', scope, 'edges are served for workloads, pods and namespaces');
}

export const linkerdQueries: MeshQueries = {
  mesh: 'linkerd',
  latencyBucket: 'response_latency_ms_bucket',
  latencyToSeconds: 0.001,
  requestCounter: 'response_total',
  success: [['classification', '=', 'success']],
  failure: [['classification', '=', 'failure']],
  select,
};
