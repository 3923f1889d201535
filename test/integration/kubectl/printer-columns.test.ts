// `kubectl get` on SMI objects, against the real kube-apiserver: the printer
// columns of every served version render (the API server evaluates them, see
// schemas/printer-columns.ts) and show what an operator reads first — Ready, why,
// and what the object says (backends with weights, destination and sources).

import { expect } from 'chai';
import { serveConversion, type ServedConversion } from '../../../conformance/conversion.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { restMapper } from '../../../kube/rest-mapper.js';
import { kubectl } from '../deploy/manifests.js';

const TABLE = 'application/json;as=Table;g=meta.k8s.io;v=v1';
const NOW = '2024-01-01T00:00:00Z';

interface Table {
  kind: string;
  columnDefinitions: Array<{ name: string; priority: number }>;
  rows: Array<{ cells: unknown[] }>;
}

const conditions = (ready: 'True' | 'False', reason: string, message: string) => ({
  conditions: [
    { type: 'Accepted', status: ready === 'True' || reason !== 'Invalid' ? 'True' : 'False', reason: reason === 'Invalid' ? 'Invalid' : 'Accepted', message: '', lastTransitionTime: NOW },
    { type: 'Ready', status: ready, reason, message, lastTransitionTime: NOW },
  ],
});

const mapper = restMapper();

/** One object per kind and served version, in that version's shape, with the cells its default columns must show. */
function objectsFor(): Array<{ apiVersion: string; kind: string; name: string; body: Record<string, unknown>; want: Record<string, unknown> }> {
  const split = (v: string, weights: [unknown, unknown]) => ({
    apiVersion: `split.smi-spec.io/${v}`,
    kind: 'TrafficSplit',
    name: `split-${v}`,
    body: { spec: { service: 'web', backends: [{ service: 'web-v1', weight: weights[0] }, { service: 'web-v2', weight: weights[1] }] } },
    want: { Service: 'web', Backends: JSON.stringify([{ service: 'web-v1', weight: weights[0] }, { service: 'web-v2', weight: weights[1] }]) },
  });
  const dest = { kind: 'ServiceAccount', name: 'api', namespace: 'x' };
  const sources = [{ kind: 'ServiceAccount', name: 'web', namespace: 'x' }];
  const target = (v: string) => ({
    apiVersion: `access.smi-spec.io/${v}`,
    kind: 'TrafficTarget',
    name: `target-${v}`,
    body: v === 'v1alpha1' ? { destination: dest, sources, specs: [{ kind: 'HTTPRouteGroup', name: 'r' }] } : { spec: { destination: dest, sources, rules: [{ kind: 'HTTPRouteGroup', name: 'r' }] } },
    want: { Destination: 'api', Sources: JSON.stringify(sources) },
  });
  const matches = [{ name: 'all', pathRegex: '/.*' }];
  const group = (v: string) => ({
    apiVersion: `specs.smi-spec.io/${v}`,
    kind: 'HTTPRouteGroup',
    name: `group-${v}`,
    body: v === 'v1alpha1' || v === 'v1alpha2' ? { matches } : { spec: { matches } },
    want: {},
  });
  const tcp = (v: string) => ({
    apiVersion: `specs.smi-spec.io/${v}`,
    kind: 'TCPRoute',
    name: `tcp-${v}`,
    body: v === 'v1alpha4' ? { spec: { matches: { ports: [9000, 9001] } } } : v === 'v1alpha3' ? { spec: {} } : {},
    want: v === 'v1alpha4' ? { Ports: '[9000,9001]' } : {},
  });
  return [
    split('v1alpha1', ['900m', 100]),
    ...['v1alpha2', 'v1alpha3', 'v1alpha4'].map((v) => split(v, [90, 10])),
    ...['v1alpha1', 'v1alpha2', 'v1alpha3'].map(target),
    ...['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'].map(group),
    ...['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'].map(tcp),
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', name: 'udp-v1alpha4', body: { spec: { matches: { ports: [53] } } }, want: { Ports: '[53]' } },
  ];
}

describe('kubectl get: printer columns of every served version (real kube-apiserver)', function () {
  this.timeout(120_000);
  let ns: string;
  let conversion: ServedConversion | undefined;
  const objects = objectsFor();

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'columns');
    // Without the conversion webhook (strategy None), an object written at an older version is pruned
    // to the storage version's schema (a v1alpha1 TrafficTarget loses its top-level destination).
    conversion = await serveConversion(cluster.kubeConfig);
    for (const [i, o] of objects.entries()) {
      const base = mapper.path({ apiVersion: o.apiVersion, kind: o.kind, metadata: { namespace: ns } });
      const created = await kubeRequest(cluster.kubeConfig, { method: 'POST', path: base, body: { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name }, ...o.body } });
      expect(created.status, `${o.apiVersion} ${o.kind}: ${created.text}`).to.equal(201);
      // Alternate Ready and a failure, so a column stuck on one value cannot pass.
      const status = i % 2 === 0 ? conditions('True', 'Applied', 'applied 2 objects') : conditions('False', 'InvalidReference', `${o.kind} names a missing Service`);
      const patched = await kubeRequest(cluster.kubeConfig, {
        method: 'PATCH',
        path: `${base}/${o.name}/status`,
        contentType: 'application/merge-patch+json',
        body: { status },
      });
      expect(patched.status, patched.text).to.equal(200);
    }
  });

  after(async () => {
    await conversion?.stop();
  });

  it('the Table API renders Ready, Reason and the spec columns at each object\'s own version', async () => {
    const cluster = sharedCluster();
    for (const [i, o] of objects.entries()) {
      const path = mapper.path({ apiVersion: o.apiVersion, kind: o.kind, metadata: { namespace: ns, name: o.name } });
      const t = await kubeRequest(cluster.kubeConfig, { method: 'GET', path, accept: TABLE });
      const table = t.body as Table;
      expect(table.kind, `${o.apiVersion} ${o.kind}: ${t.text.slice(0, 300)}`).to.equal('Table');
      const cells = Object.fromEntries(table.columnDefinitions.map((c, j) => [c.name, table.rows[0]!.cells[j]]));
      const ready = i % 2 === 0;
      expect(cells, `${o.apiVersion} ${o.kind}`).to.deep.include({
        Name: o.name,
        Ready: ready ? 'True' : 'False',
        Reason: ready ? 'Applied' : 'InvalidReference',
        Message: ready ? 'applied 2 objects' : `${o.kind} names a missing Service`,
        ...o.want,
      });
    }
  });

  it('kubectl get trafficsplits shows SERVICE, BACKENDS with weights, READY and REASON', () => {
    const r = kubectl(sharedCluster().kubeconfigPath, ['get', 'trafficsplits.v1alpha4.split.smi-spec.io', '-n', ns, 'split-v1alpha4']);
    expect(r.code, r.out).to.equal(0);
    const [head, row] = r.out.split('\n').filter((l) => l && !l.startsWith('Warning'));
    expect(head!.split(/\s+/)).to.deep.equal(['NAME', 'SERVICE', 'BACKENDS', 'READY', 'REASON', 'AGE']);
    const cells = row!.split(/\s+/);
    expect(cells.slice(0, 5)).to.deep.equal(['split-v1alpha4', 'web', '[{"service":"web-v1","weight":90},{"service":"web-v2","weight":10}]', 'False', 'InvalidReference']);
  });

  it('kubectl get traffictargets -o wide adds the rules and the Ready message', () => {
    const r = kubectl(sharedCluster().kubeconfigPath, ['get', 'traffictargets.v1alpha3.access.smi-spec.io', '-n', ns, 'target-v1alpha3', '-o', 'wide']);
    expect(r.code, r.out).to.equal(0);
    const [head, row] = r.out.split('\n').filter((l) => l && !l.startsWith('Warning'));
    expect(head!.split(/\s{2,}/)).to.deep.equal(['NAME', 'DESTINATION', 'SOURCES', 'READY', 'REASON', 'AGE', 'RULES', 'MESSAGE']);
    expect(row).to.match(/^target-v1alpha3\s+api\s+\[\{"kind":"ServiceAccount","name":"web","namespace":"x"\}\]\s+True\s+Applied\s+\S+\s+\[\{"kind":"HTTPRouteGroup","name":"r"\}\]\s+applied 2 objects$/);
  });
});
