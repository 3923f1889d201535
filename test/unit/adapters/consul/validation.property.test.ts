// Generated inputs through the whole Consul pipeline (resolve + render): multi-port
// Services with named target ports, gRPC/TCP/Redis/UDP ports, Services selecting pods of
// several ServiceAccounts, sources without Services, cross-namespace sources, splits.
// Every output must pass Consul's and consul-k8s's own validation (consul-validation.ts),
// and admit nothing the SMI input does not: for every source pod, destination pod, pod
// port and request, Consul allowing it implies an SMI rule allows it.

import { expect } from 'chai';
import fc from 'fast-check';
import { getAdapter } from '../../../../adapters/index.js';
import { serviceSelects } from '../../../../adapters/common/label-match.js';
import { podPortOf, proxiedPorts } from '../../../../adapters/common/ports.js';
import type { MeshOptions, ServiceInfo, ServicePort, Snapshot, WorkloadInfo } from '../../../../adapters/types.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';
import type { HTTPMatch, TrafficTarget, TrafficTargetRule } from '../../../../schemas/hub.js';
import { hrg, split, target, tcp } from '../common/fixtures.js';
import { decide, type Request } from './consul-intentions-oracle.js';
import { consulErrors } from './consul-validation.js';
import type { Spec } from './fixtures.js';

const NS = 'shop';
const OTHER = 'ops';
const SAS = ['api', 'web', 'batch'];
const TCP_ROUTES: Record<string, number[]> = { all: [], p8080: [8080], p8080_9090: [8080, 9090], p80: [80], p9000_6379: [9000, 6379] };
const MATCHES: HTTPMatch[] = [
  { name: 'a', pathRegex: '/a' },
  { name: 'get', methods: ['GET'] },
  { name: 'bc-post', pathRegex: '/b/c', methods: ['POST'] },
];
const REQUESTS: Request[] = ['/a', '/a/x', '/b/c', '/z'].flatMap((path) => ['GET', 'POST'].map((method) => ({ path, method, headers: {} })));

const portArb: fc.Arbitrary<ServicePort> = fc
  .record({
    name: fc.constantFrom(undefined, 'http', 'grpc', 'tcp-db', 'redis', 'web'),
    port: fc.constantFrom(80, 8080, 9000, 6379, 9090),
    targetPort: fc.constantFrom(undefined, 8080, 9090, 'named'),
    protocol: fc.constantFrom('TCP' as const, 'TCP' as const, 'UDP' as const),
    appProtocol: fc.constantFrom(undefined, undefined, 'http', 'grpc', 'kubernetes.io/h2c', 'postgresql'),
  })
  .map((r) => {
    const p: ServicePort = { port: r.port, protocol: r.protocol };
    if (r.name !== undefined) p.name = r.name;
    if (r.targetPort !== undefined) p.targetPort = r.targetPort;
    if (r.appProtocol !== undefined) p.appProtocol = r.appProtocol;
    return p;
  });

/** Services in `shop`: named after a ServiceAccount, a canary of one, or `shared` (selects by tier: several ServiceAccounts). */
const serviceArb = (name: string, selector: Record<string, string>): fc.Arbitrary<ServiceInfo> =>
  fc.uniqueArray(portArb, { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol}` }).map((ports) => ({ namespace: NS, name, ports, selector }));

const ruleArb: fc.Arbitrary<TrafficTargetRule> = fc.oneof(
  fc.constantFrom(...Object.keys(TCP_ROUTES)).map((name) => ({ kind: 'TCPRoute', name })),
  fc.subarray(MATCHES.map((m) => m.name)).map((matches) => ({ kind: 'HTTPRouteGroup', name: 'rg', ...(matches.length > 0 ? { matches } : {}) })),
);

const sourceArb = fc.oneof(fc.constantFrom(...SAS).map((name) => ({ name })), fc.constant({ name: 'ops', namespace: OTHER }), fc.constant({ name: 'ghost' }));

const inputArb = fc.record({
  tiers: fc.tuple(...SAS.map(() => fc.constantFrom('front', 'back'))),
  services: fc.tuple(
    fc.option(serviceArb('api', { app: 'api' }), { nil: undefined }),
    fc.option(serviceArb('api-admin', { app: 'api' }), { nil: undefined }),
    fc.option(serviceArb('web', { app: 'web' }), { nil: undefined }),
    fc.option(serviceArb('shared', { tier: 'back' }), { nil: undefined }),
    fc.option(serviceArb('batch', { app: 'batch' }), { nil: undefined }),
  ),
  opsService: fc.boolean(),
  targets: fc.array(fc.record({ dest: fc.constantFrom(...SAS), rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }), sources: fc.array(sourceArb, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  splitOf: fc.option(fc.constantFrom('api', 'web'), { nil: undefined }),
  mtlsMode: fc.constantFrom('strict' as const, 'permissive' as const, 'disabled' as const),
});

type Input = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function snapshotOf(input: Input): Snapshot {
  const workloads: WorkloadInfo[] = SAS.map((sa, i) => ({ namespace: NS, owner: `Deployment/${sa}`, serviceAccount: sa, podLabels: { app: sa, tier: input.tiers[i] as string } }));
  workloads.push({ namespace: OTHER, owner: 'Deployment/ops', serviceAccount: 'ops', podLabels: { app: 'ops' } });
  const services = input.services.filter((s): s is ServiceInfo => !!s);
  if (input.opsService) services.push({ namespace: OTHER, name: 'ops-console', ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'ops' } });
  const trafficTargets: TrafficTarget[] = input.targets.map((t, i) => target(`t${i}`, t.dest, t.rules, t.sources));
  const names = new Set(services.map((s) => s.name));
  const trafficSplits = input.splitOf && names.has(input.splitOf) && names.has('shared') ? [split('canary', input.splitOf, [['shared', 1], [input.splitOf, 3]])] : [];
  return {
    trafficSplits,
    trafficTargets,
    httpRouteGroups: [hrg('rg', MATCHES)],
    tcpRoutes: Object.entries(TCP_ROUTES).map(([n, ports]) => tcp(n, ports)),
    udpRoutes: [],
    services,
    serviceAccounts: [],
    workloads,
  };
}

const selects = (s: ServiceInfo, w: WorkloadInfo): boolean => s.namespace === w.namespace && serviceSelects(s.selector, w.podLabels);

/** What SMI allows: some rule of a target for the destination ServiceAccount admits this source, pod port and request. */
function smiAllows(snapshot: Snapshot, src: WorkloadInfo, dest: WorkloadInfo, podPort: number, req: Request | undefined): boolean {
  return snapshot.trafficTargets.some((tt) => {
    if (tt.metadata.namespace !== dest.namespace || tt.spec.destination.name !== dest.serviceAccount) return false;
    if (!(tt.spec.sources ?? []).some((s) => (s.namespace ?? tt.metadata.namespace) === src.namespace && s.name === src.serviceAccount)) return false;
    return (tt.spec.rules ?? []).some((r) => {
      if (r.kind === 'TCPRoute') {
        const ports = TCP_ROUTES[r.name] ?? [];
        return ports.length === 0 || ports.includes(podPort);
      }
      if (!req) return false; // an HTTP rule never admits a raw TCP connection
      const matches = MATCHES.filter((m) => !r.matches || r.matches.includes(m.name));
      return matches.some((m) => (m.pathRegex === undefined || new RegExp(`^(?:${m.pathRegex})`).test(req.path)) && (m.methods === undefined || (m.methods as string[]).includes(req.method)));
    });
  });
}

describe('consul: generated inputs (property)', function () {
  this.timeout(60_000);

  it('every object passes Consul and consul-k8s validation, and nothing is admitted that SMI does not admit', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const snapshot = snapshotOf(input);
        const options: MeshOptions = { ...DEFAULT_MESH_OPTIONS, mtlsMode: input.mtlsMode };
        const out = getAdapter('consul').translate(snapshot, options);
        expect(consulErrors(out.objects)).to.deep.equal([]);
        // Under enforce, plaintext must never bypass the intentions.
        expect(JSON.stringify(out.objects)).to.not.include('mutualTLSMode');

        for (const si of out.objects.filter((o) => o.kind === 'ServiceIntentions')) {
          const spec = si.spec as Spec;
          const destService = snapshot.services.find((s) => s.namespace === si.metadata.namespace && s.name === spec.destination.name) as ServiceInfo;
          expect(destService, spec.destination.name).to.not.equal(undefined);
          const defaults = out.objects.find((o) => o.kind === 'ServiceDefaults' && o.metadata.namespace === si.metadata.namespace && o.metadata.name === destService.name);
          const l7 = ['http', 'http2', 'grpc'].includes(((defaults?.spec ?? {}) as Spec).protocol);
          // A named target port's number is unknown: one no rule lists.
          const podPorts = proxiedPorts(destService.ports).map((p) => podPortOf(p)).map((p) => (typeof p === 'number' ? p : -1));
          for (const source of spec.sources as Spec[]) {
            if (source.name === '*') continue;
            // Every pod that can be registered as this Consul service name (any namespace: names are global without Enterprise).
            const srcPods = snapshot.services.filter((s) => s.name === source.name).flatMap((s) => snapshot.workloads.filter((w) => selects(s, w)));
            // Pods of ServiceAccounts no TrafficTarget governs keep the mesh default (SMI says nothing about them here).
            const governed = (w: WorkloadInfo) => snapshot.trafficTargets.some((tt) => tt.metadata.namespace === w.namespace && tt.spec.destination.name === w.serviceAccount);
            const destPods = snapshot.workloads.filter((w) => selects(destService, w) && governed(w));
            for (const p of srcPods) {
              for (const q of destPods) {
                for (const port of podPorts) {
                  const requests: Array<Request | undefined> = l7 ? REQUESTS : [undefined];
                  for (const req of requests) {
                    const allowed = req ? decide(spec, source.name, req, 'allow') === 'allow' : source.action === 'allow';
                    if (allowed) {
                      expect(smiAllows(snapshot, p, q, port, req), `${source.name} (${p.namespace}/${p.serviceAccount}) -> ${destService.name} (${q.serviceAccount}) port ${port} ${req ? `${req.method} ${req.path}` : 'TCP'}`).to.equal(true);
                    }
                  }
                }
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
