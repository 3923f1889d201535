// No native object with an invalid name, whatever the snapshot holds: names from files
// (`smictl translate`) never went through the API server. Fuzzing findings 1-3 in BENCHMARKS.md.
import { expect } from 'chai';
import fc from 'fast-check';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type ServiceInfo } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { formatProblem } from '../../../../schemas/problem.js';
import { scenario } from '../../fuzz/generators.js';
import { snapshot, split, svc, target, workload } from './fixtures.js';

const keyOf = (o: KubeObject): string => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

describe('buildSnapshot: Service and ServiceAccount names from files', () => {
  it('leaves out a Service or ServiceAccount whose name or namespace is not a Kubernetes name, naming the field', () => {
    const { snapshot: s, problems } = buildSnapshot([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'é', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'Shop' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: '*', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api.v1', namespace: 'shop' } },
    ]);
    expect(s.services.map((v) => `${v.namespace}/${v.name}`)).to.deep.equal(['shop/web']);
    expect(s.serviceAccounts.map((v) => `${v.namespace}/${v.name}`)).to.deep.equal(['shop/api.v1']);
    expect(problems.map(formatProblem)).to.deep.equal([
      'Service shop/é: metadata.name: must be a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit), got "é"; the Service is ignored',
      'Service Shop/web: metadata.namespace: must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit), got "Shop"; the Service is ignored',
      'ServiceAccount shop/*: metadata.name: must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit), got "*"; the ServiceAccount is ignored',
    ]);
  });
});

describe('adapters given names that bypassed validation', () => {
  // A snapshot built by hand: what the adapters must survive if a caller skips buildSnapshot.
  const wildcard = snapshot({
    trafficTargets: [target('t', '*', [{ kind: 'TCPRoute', name: 'tcp' }], [{ name: 'api' }], { ns: 'payments' })],
    tcpRoutes: [{ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'tcp', namespace: 'payments' }, spec: {} }],
    workloads: [workload('Deployment/api', 'api', { app: 'api' }, 'payments')],
  });

  it('consul: a destination `*` gives no ServiceIntentions (not on the wildcard, not named ""): no Service can name it', () => {
    const out = getAdapter('consul').translate(wildcard, DEFAULT_MESH_OPTIONS);
    expect(out.objects.filter((o) => o.kind === 'ServiceIntentions')).to.deep.equal([]);
    const r = out.results.find((x) => x.object === 'TrafficTarget payments/t');
    expect(r?.messages.join('\n')).to.include('no Service selects the pods of ServiceAccount payments/*, so they have no Consul service name');
  });

  it('consul: a source `*` is left out (denied), never an allowed wildcard', () => {
    const s = snapshot({
      ...wildcard,
      workloads: [...wildcard.workloads, workload('Deployment/db', 'db', { app: 'db' }, 'payments'), workload('Deployment/any', '*', { app: 'any' }, 'payments')],
      services: [svc('db', [5432], { ns: 'payments' }), svc('api', [80], { ns: 'payments' })],
      trafficTargets: [target('t', 'db', [{ kind: 'TCPRoute', name: 'tcp' }], [{ name: '*' }, { name: 'api' }], { ns: 'payments' })],
    });
    const out = getAdapter('consul').translate(s, DEFAULT_MESH_OPTIONS);
    const intentions = out.objects.filter((o) => o.kind === 'ServiceIntentions');
    expect(intentions.map((o) => (o.spec as { sources: unknown[] }).sources)).to.deep.equal([
      [
        { name: 'api', action: 'allow' },
        { name: '*', action: 'deny', description: ((intentions[0]!.spec as { sources: Array<{ description: string }> }).sources[1]!).description },
      ],
    ]);
    expect(out.results.find((x) => x.object === 'TrafficTarget payments/t')?.messages.join('\n')).to.include('source ServiceAccount payments/*: no Service selects its pods');
  });

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: a Service named "é" gives no object named ""`, () => {
      const s = snapshot({ trafficSplits: [split('canary', 'é', [['web-v1', 1], ['web-v2', 1]])], services: [svc('é'), svc('web-v1'), svc('web-v2')] });
      const out = getAdapter(mesh).translate(s, DEFAULT_MESH_OPTIONS);
      for (const o of out.objects) expect(o.metadata.name, keyOf(o)).to.match(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      // Consul names its config entries after the Consul service itself, so the split cannot be rendered.
      if (mesh === 'consul') expect(out.results.find((x) => x.object === 'TrafficSplit shop/canary')?.status).to.equal('Invalid');
    });
  }
});

describe('adapters: one object per apiVersion/kind/namespace/name', () => {
  it('linkerd: a root port listed for TCP and UDP, or twice, gives one HTTPRoute for it', () => {
    const twice = (name: string): ServiceInfo => ({ ...svc(name), ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }] });
    const s = snapshot({ trafficSplits: [split('canary', 'web', [['web-v1', 1], ['web-v2', 1]])], services: [twice('web'), twice('web-v1'), twice('web-v2')] });
    const out = getAdapter('linkerd').translate(s, DEFAULT_MESH_OPTIONS);
    expect(out.objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name)).to.deep.equal(['ts-canary-80']);
  });

  // Every fixture scenario, with each Service's ports repeated under every protocol and twice over.
  const doubled = (objs: KubeObject[], protocols: string[]): KubeObject[] =>
    objs.map((o) => {
      if (o.kind !== 'Service' || o.apiVersion !== 'v1') return o;
      const ports = ((o.spec as { ports?: Array<Record<string, unknown>> } | undefined)?.ports ?? []).flatMap((p) => protocols.map((protocol) => ({ ...p, protocol })));
      return { ...o, spec: { ...(o.spec as object), ports } };
    });

  for (const mesh of MESH_NAMES) {
    it(`${mesh}: translate never emits two objects with the same key`, () => {
      const adapter = getAdapter(mesh);
      fc.assert(
        fc.property(scenario, fc.subarray(['TCP', 'UDP', 'SCTP', 'TCP'], { minLength: 1 }), (objs, protocols) => {
          const out = adapter.translate(buildSnapshot(doubled(objs, protocols)).snapshot, DEFAULT_MESH_OPTIONS);
          const keys = out.objects.map(keyOf);
          expect(keys.filter((k, i) => keys.indexOf(k) !== i)).to.deep.equal([]);
        }),
        { numRuns: Number(process.env.SMI_FUZZ_RUNS ?? 100) },
      );
    });
  }
});
