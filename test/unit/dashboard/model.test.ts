// The dashboard's pure view model: the access overlay agrees with the resolved
// SMI model, edges are deduplicated (server side wins), splits compare weights
// with observed shares, and everything stays fast at 200 services.
import { expect } from 'chai';
import { resolve } from '../../../adapters/common/resolve.js';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS } from '../../../adapters/types.js';
import type { TrafficMetrics } from '../../../metrics-api/traffic-metrics.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { AccessIndex } from '../../../dashboard/server/model/access.js';
import { buildSplits } from '../../../dashboard/server/model/splits.js';
import { buildTopology } from '../../../dashboard/server/model/topology.js';
import { edgeLabel, latency, percent, rate } from '../../../dashboard/ui/format.js';

const NS = 'shop';
const deploy = (name: string, sa: string, labels: Record<string, string> = { app: name }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: sa } } },
});
const svc = (name: string, selector: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector, ports: [{ port: 80 }] } });
const sa = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NS } });
const target = (name: string, dest: string, sources: string[]): KubeObject => ({
  apiVersion: 'access.smi-spec.io/v1alpha3',
  kind: 'TrafficTarget',
  metadata: { name, namespace: NS },
  spec: { destination: { kind: 'ServiceAccount', name: dest, namespace: NS }, rules: [{ kind: 'TCPRoute', name: 'any' }], sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: NS })) },
});
const tcp: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'any', namespace: NS }, spec: { matches: { ports: [] } } };

const metric = (success: number, failure: number, p99?: string): TrafficMetrics['metrics'] => [
  ...(p99 ? [{ name: 'p99_response_latency' as const, unit: 'seconds', value: p99 }] : []),
  { name: 'success_count', value: String(success) },
  { name: 'failure_count', value: String(failure) },
];

function edge(self: string, direction: 'from' | 'to', peer: string, side: 'server' | 'client', success: number, failure = 0, peerNs = NS): TrafficMetrics {
  return {
    kind: 'TrafficMetrics',
    apiVersion: 'metrics.smi-spec.io/v1alpha1',
    metadata: { selfLink: '', creationTimestamp: '' },
    timestamp: '2024-01-01T00:00:00Z',
    window: '10s',
    resource: { kind: 'Deployment', namespace: NS, name: self },
    edge: { direction, side, resource: { kind: 'Deployment', namespace: peerNs, name: peer } },
    metrics: metric(success, failure, '25m'),
  };
}

function world(objects: KubeObject[], mode: 'enforce' | 'permissive' = 'enforce') {
  const { snapshot } = buildSnapshot(objects);
  const model = resolve(snapshot, { ...DEFAULT_MESH_OPTIONS, accessMode: mode });
  return { snapshot, access: new AccessIndex(model.destinations, mode) };
}

describe('dashboard model', () => {
  const objects = [sa('web'), sa('api'), sa('db'), deploy('web', 'web'), deploy('api', 'api'), deploy('db', 'db'), svc('api', { app: 'api' }), tcp, target('api-from-web', 'api', ['web'])];

  it('judges edges as the adapters would: allowed, denied under enforce, ungoverned destinations left to the mesh', () => {
    const { snapshot, access } = world(objects);
    const t = buildTopology({
      nodesAre: 'workloads',
      namespaces: new Set([NS]),
      workloads: snapshot.workloads,
      services: snapshot.services,
      resources: [],
      edges: [edge('api', 'from', 'web', 'server', 90, 10), edge('api', 'from', 'db', 'server', 5), edge('db', 'from', 'api', 'server', 3), edge('api', 'from', 'gateway', 'server', 1, 0, 'edge')],
      access,
      windowSeconds: 10,
    });
    const by = Object.fromEntries(t.edges.map((e) => [`${e.source.split('/')[2]}->${e.target.split('/')[2]}`, e]));
    expect(by['web->api']).to.deep.include({ access: 'allowed', allowedBy: [`${NS}/api-from-web (all ports)`] });
    expect(by['web->api']!.traffic).to.deep.equal({ rps: 10, requests: 100, successRate: 0.9, p99: 0.025 });
    expect(by['db->api']!.access).to.equal('denied');
    expect(by['db->api']!.reason).to.include(`no TrafficTarget allows ${NS}/db -> ${NS}/api`);
    expect(by['api->db']!.access).to.equal('ungoverned');
    // A peer in a namespace not listed: its identity is unknown, and api is governed.
    expect(by['gateway->api']!.access).to.equal('unknown');
    expect(t.nodes.find((n) => n.name === 'gateway')).to.deep.include({ external: true, namespace: 'edge' });
    expect(t.nodes.find((n) => n.name === 'api')).to.deep.include({ serviceAccount: 'api', related: ['api'] });
  });

  it('under permissive access mode an unallowed edge is reported, not denied', () => {
    const { access } = world(objects, 'permissive');
    expect(access.pair({ namespace: NS, serviceAccount: 'db' }, { namespace: NS, serviceAccount: 'api' }).access).to.equal('not-allowed-permissive');
  });

  it('keeps one edge per pair, preferring the server-side measurement, and draws allowed edges without traffic', () => {
    const { snapshot, access } = world(objects);
    const t = buildTopology({
      nodesAre: 'workloads',
      namespaces: new Set([NS]),
      workloads: snapshot.workloads,
      services: snapshot.services,
      resources: [],
      edges: [edge('web', 'to', 'api', 'client', 50), edge('api', 'from', 'web', 'server', 40)],
      access,
      windowSeconds: 10,
    });
    expect(t.edges).to.have.length(1);
    expect(t.edges[0]).to.deep.include({ side: 'server' });
    expect(t.edges[0]!.traffic!.requests).to.equal(40);
    const quiet = buildTopology({ nodesAre: 'workloads', namespaces: new Set([NS]), workloads: snapshot.workloads, services: snapshot.services, resources: [], edges: [], access, windowSeconds: 10 });
    expect(quiet.allowedOnly.map((e) => e.id)).to.deep.equal([`Deployment/${NS}/web->Deployment/${NS}/api`]);
  });

  it('splits: configured percent from weights, observed share from the backend requests', () => {
    const split: KubeObject = { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 's', namespace: NS }, spec: { service: 'web', backends: [{ service: 'v1', weight: 3 }, { service: 'v2', weight: 1 }] } };
    const item = (backend: string, success: number, failure: number): TrafficMetrics => ({
      ...edge('x', 'from', 'y', 'client', 0),
      resource: { kind: 'TrafficSplit', namespace: NS, name: 's' },
      backend: { apex: 'web', name: backend, weight: 0 },
      metrics: metric(success, failure, '5m'),
    });
    const [view] = buildSplits([split], [item('v1', 60, 0), item('v2', 30, 10)], 10);
    expect(view!.backends.map((b) => [b.service, b.configuredPercent, b.observedPercent, b.traffic?.successRate])).to.deep.equal([
      ['v1', 75, 60, 1],
      ['v2', 25, 40, 0.75],
    ]);
    expect(view!.requests).to.equal(100);
    // Without traffic there is no observed share (not 0 %).
    expect(buildSplits([split], [], 10)[0]!.backends[0]!.observedPercent).to.equal(undefined);
  });

  it('builds a 200-service topology with 400 edges quickly', () => {
    const objs: KubeObject[] = [];
    for (let i = 0; i < 200; i++) objs.push(sa(`s${i}`), deploy(`s${i}`, `s${i}`), svc(`s${i}`, { app: `s${i}` }));
    for (let i = 0; i < 200; i += 2) objs.push(target(`t${i}`, `s${i}`, [`s${(i + 1) % 200}`]));
    objs.push(tcp);
    const { snapshot, access } = world(objs);
    // Each service called by its two successors: 400 distinct edges.
    const edges = Array.from({ length: 400 }, (_, k) => edge(`s${k % 200}`, 'from', `s${((k % 200) + 1 + 2 * Math.floor(k / 200)) % 200}`, 'server', 10));
    const t0 = performance.now();
    const t = buildTopology({ nodesAre: 'workloads', namespaces: new Set([NS]), workloads: snapshot.workloads, services: snapshot.services, resources: [], edges, access, windowSeconds: 10 });
    expect(performance.now() - t0).to.be.lessThan(1_000);
    expect(t.nodes).to.have.length(200);
    expect(t.edges).to.have.length(400);
    expect(t.edges.filter((e) => e.access === 'allowed').length).to.be.greaterThan(0);
    expect(t.edges.filter((e) => e.access === 'denied').length).to.be.greaterThan(0);
  });

  it('formats numbers in words, so nothing depends on colour', () => {
    expect(rate(9)).to.equal('9.0 rps');
    expect(rate(0.05)).to.equal('3.0 rpm');
    expect(percent(0.8)).to.equal('80.0%');
    expect(percent(1)).to.equal('100%');
    expect(latency(0.0247)).to.equal('24.7 ms');
    expect(latency(0.0099)).to.equal('9.9 ms');
    expect(edgeLabel({ rps: 0.5, requests: 5, successRate: 1, p99: 0.0099 }, 'denied', true)).to.equal('DENIED · 0.5 rps · 100% ok · p99 9.9 ms');
    expect(edgeLabel({ rps: 0.5, requests: 5, successRate: 1 }, 'denied', false)).to.equal('0.5 rps · 100% ok · p99 –');
  });
});
