// `smictl metrics <kind>[/<name>]`: TrafficMetrics straight from Prometheus,
// without the aggregation layer, printed as a table (or JSON).
// `smictl metrics-api`: serve metrics.smi-spec.io/v1alpha1 for an APIService.
// This file only declares the flags; ../run/metrics.ts is imported when one runs.

import type { Command } from 'commander';
import { METRICS_MESHES, type MetricsMesh } from '../../adapters/types.js';
import { metricsMeshName, type QueryFlags, type ServeFlags } from '../flags.js';

const DEFAULT_PROMETHEUS = process.env.SMI_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
// The operator ConfigMap's `mesh` key reaches the server as SMI_MESH (config/metrics/deployment.yaml).
const DEFAULT_MESH = (process.env.SMI_MESH || 'istio') as MetricsMesh;

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('show SMI TrafficMetrics for a resource, a kind, or the edges of a resource, straight from Prometheus')
    .argument('<target>', 'kind or kind/name, e.g. deployments, deploy/web, ns/shop, ts/web-split')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .option('--edges', 'list the edges of the resource (traffic to and from its peers)')
    .option('--mesh <mesh>', `mesh whose metric names to query: ${METRICS_MESHES.join(', ')} (env SMI_MESH)`, metricsMeshName, DEFAULT_MESH)
    .option('--prometheus <url>', 'Prometheus base URL (env SMI_PROMETHEUS_URL)', DEFAULT_PROMETHEUS)
    .option('--window <duration>', 'aggregation window, e.g. 30s, 1m', '30s')
    .option('-l, --selector <labels>', 'only resources whose objects match this label selector')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option('--kubeconfig <path>', 'kubeconfig for selectors and trafficsplits (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--timeout <seconds>', 'Prometheus query timeout', '10')
    .action(async (target: string, flags: QueryFlags) => {
      const { runQuery } = await import('../run/metrics.js');
      process.exitCode = await runQuery(target, flags);
    });

  program
    .command('metrics-api')
    .description('serve metrics.smi-spec.io/v1alpha1 over HTTPS for the APIService (config/metrics/)')
    .option('--mesh <mesh>', `mesh whose metric names to query: ${METRICS_MESHES.join(', ')} (env SMI_MESH)`, metricsMeshName, DEFAULT_MESH)
    .option('--prometheus <url>', 'Prometheus base URL (env SMI_PROMETHEUS_URL)', DEFAULT_PROMETHEUS)
    .option('--port <port>', 'HTTPS port', '8443')
    .option('--host <addr>', 'listen address', '0.0.0.0')
    .option('--tls-cert <file>', 'serving certificate PEM (default: self-signed)')
    .option('--tls-key <file>', 'serving key PEM')
    .option('--kubeconfig <path>', 'kubeconfig (default: in-cluster, KUBECONFIG or ~/.kube/config)')
    .option('--timeout <seconds>', 'Prometheus query timeout', '10')
    .option('--no-auth', 'serve without front-proxy authentication and authorization (local debugging only)')
    .option('--config-map <ns/name>', "follow the operator's adapter ConfigMap: its `mesh` and optional `prometheusUrl` override --mesh/--prometheus ('' to not follow)", `${process.env.POD_NAMESPACE || 'smi-system'}/smi-operator-config`)
    .action(async (flags: ServeFlags) => {
      const { serve } = await import('../run/metrics.js');
      await serve(flags);
    });
}
