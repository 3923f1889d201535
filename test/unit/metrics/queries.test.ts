import { expect } from 'chai';
import { MESH_QUERIES, renderQueries } from '../../../metrics-api/queries/index.js';
import type { Scope } from '../../../metrics-api/queries/types.js';

function render(mesh: 'istio' | 'linkerd' | 'consul', scope: Scope, window = 30) {
  const sel = MESH_QUERIES[mesh].select(scope);
  if (!sel.ok) throw new Error(sel.error.message);
  return { sel: sel.value, q: renderQueries(MESH_QUERIES[mesh], sel.value, window) };
}

describe('metrics-api query templates', () => {
  describe('istio (standard metrics, no Mixer)', () => {
    it('measures a deployment at the server proxy (reporter=destination), counting 5xx as failure', () => {
      const { sel, q } = render('istio', { type: 'resource', plural: 'deployments', namespace: 'shop', name: 'web' });
      expect(sel.side).to.equal('server');
      expect(q.p99_response_latency).to.equal(
        'histogram_quantile(0.99,sum by (le,destination_workload,destination_workload_namespace)(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="shop",destination_workload="web"}[30s])))',
      );
      expect(q.success_count).to.equal(
        'sum by (destination_workload,destination_workload_namespace)(increase(istio_requests_total{reporter="destination",destination_workload_namespace="shop",destination_workload="web",response_code!~"5.."}[30s]))',
      );
      expect(q.failure_count).to.contain('response_code=~"5.."');
    });
    it('lists only series that name a workload when no name is given', () => {
      const { q } = render('istio', { type: 'resource', plural: 'deployments', namespace: 'shop' });
      expect(q.p50_response_latency).to.contain('destination_workload!=""');
    });
    it('edges: "to" is measured by the client (reporter=source), "from" by the server', () => {
      const to = render('istio', { type: 'edges', plural: 'deployments', namespace: 'shop', name: 'web', direction: 'to' });
      expect(to.sel.side).to.equal('client');
      expect(to.q.success_count).to.equal(
        'sum by (destination_workload,destination_workload_namespace)(increase(istio_requests_total{reporter="source",source_workload_namespace="shop",source_workload="web",destination_workload!="",response_code!~"5.."}[30s]))',
      );
      const from = render('istio', { type: 'edges', plural: 'deployments', namespace: 'shop', name: 'web', direction: 'from' });
      expect(from.sel.side).to.equal('server');
      expect(from.q.success_count).to.contain('by (source_workload,source_workload_namespace)');
      expect(from.q.success_count).to.contain('reporter="destination"');
    });
    it('cannot name the peer pod of an edge', () => {
      const r = MESH_QUERIES.istio.select({ type: 'edges', plural: 'pods', namespace: 'shop', name: 'web-1', direction: 'to' });
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.error.reason).to.equal('NotFound');
    });
  });

  describe('linkerd', () => {
    it('measures resources inbound and classifies with Linkerd\'s own classification label', () => {
      const { q } = render('linkerd', { type: 'resource', plural: 'statefulsets', namespace: 'db', name: 'pg' }, 60);
      expect(q.p50_response_latency).to.equal(
        'histogram_quantile(0.5,sum by (le,statefulset,namespace)(rate(response_latency_ms_bucket{direction="inbound",namespace="db",statefulset="pg"}[60s])))',
      );
      expect(q.failure_count).to.equal(
        'sum by (statefulset,namespace)(increase(response_total{direction="inbound",namespace="db",statefulset="pg",classification="failure"}[60s]))',
      );
    });
    it('edges come from outbound series: dst_<kind> for "to", <kind> for "from"', () => {
      const to = render('linkerd', { type: 'edges', plural: 'deployments', namespace: 'shop', name: 'web', direction: 'to' });
      expect(to.q.success_count).to.equal(
        'sum by (dst_deployment,dst_namespace)(increase(response_total{direction="outbound",namespace="shop",deployment="web",dst_deployment!="",classification="success"}[30s]))',
      );
      const from = render('linkerd', { type: 'edges', plural: 'deployments', namespace: 'shop', name: 'web', direction: 'from' });
      expect(from.q.success_count).to.equal(
        'sum by (deployment,namespace)(increase(response_total{direction="outbound",dst_namespace="shop",dst_deployment="web",deployment!="",classification="success"}[30s]))',
      );
    });
    it('measures a TrafficSplit backend at the clients (dst_service)', () => {
      const { sel, q } = render('linkerd', { type: 'backend', namespace: 'shop', service: 'web-v2' });
      expect(sel.side).to.equal('client');
      expect(q.success_count).to.contain('direction="outbound",dst_namespace="shop",dst_service="web-v2"');
    });
  });

  describe('consul', () => {
    it('uses the client sidecar upstream stats, failure = response class 5', () => {
      const { q } = render('consul', { type: 'resource', plural: 'services', namespace: 'shop', name: 'web' });
      expect(q.p90_response_latency).to.equal(
        'histogram_quantile(0.9,sum by (le,consul_destination_service,consul_destination_namespace)(rate(envoy_cluster_upstream_rq_time_bucket{consul_destination_namespace="shop",consul_destination_service="web"}[30s])))',
      );
      expect(q.failure_count).to.equal(
        'sum by (consul_destination_service,consul_destination_namespace)(increase(envoy_cluster_upstream_rq_xx{consul_destination_namespace="shop",consul_destination_service="web",envoy_response_code_class="5"}[30s]))',
      );
    });
    it('does not serve workload kinds (Consul names services, not workloads)', () => {
      const r = MESH_QUERIES.consul.select({ type: 'resource', plural: 'deployments', namespace: 'shop', name: 'web' });
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.error.message).to.contain('deployments not supported for mesh consul');
    });
  });

  it('escapes quotes and backslashes in label values', () => {
    const { q } = render('istio', { type: 'resource', plural: 'services', namespace: 'a"b', name: 'c\\d' });
    expect(q.success_count).to.contain('destination_service_namespace="a\\"b",destination_service_name="c\\\\d"');
  });
});
