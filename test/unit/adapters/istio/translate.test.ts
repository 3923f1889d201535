// End to end: SMI snapshot -> resolve() -> Istio renderer -> merged results.
import { expect } from 'chai';
import { renderer } from '../../../../adapters/istio/index.js';
import { translateWith } from '../../../../adapters/translate.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';
import { hrg, snapshot, split, svc, target, tcp, workload } from '../common/fixtures.js';
import { specErrors } from './crd-schema.js';

const snap = () =>
  snapshot({
    services: [svc('web'), svc('web-v1'), svc('web-v2'), { ...svc('api'), ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, name: 'http' }] }],
    workloads: [workload('Deployment/api', 'api', { app: 'api', version: 'v1' }), workload('Deployment/web', 'web', { app: 'web' })],
    httpRouteGroups: [hrg('routes', [{ name: 'items', pathRegex: '/items', methods: ['GET'] }, { name: 'ids', pathRegex: '/items/[0-9]+' }, { name: 'mobile', headers: { 'User-Agent': 'Android' } }])],
    tcpRoutes: [tcp('http-port', [8080])],
    trafficSplits: [split('canary', 'web', [['web-v1', 1], ['web-v2', 2]], { matches: ['routes'] })],
    trafficTargets: [
      target('api-access', 'api', [{ kind: 'HTTPRouteGroup', name: 'routes', matches: ['items', 'ids'] }, { kind: 'TCPRoute', name: 'http-port' }], [{ name: 'web' }]),
    ],
  });

describe('istio: translateWith end to end', () => {
  it('renders the resolved model into CRD-valid objects, sorted', () => {
    const out = translateWith(renderer, snap(), DEFAULT_MESH_OPTIONS);
    expect(out.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal([
      'VirtualService shop/smi-split-canary',
      'AuthorizationPolicy shop/smi-access-api',
      'PeerAuthentication shop/smi-mtls-api',
    ]);
    for (const o of out.objects) expect(specErrors(o), o.kind).to.deep.equal([]);
  });

  it('split: the relative weights as they are, one route per match, default to the root', () => {
    const vs = translateWith(renderer, snap(), DEFAULT_MESH_OPTIONS).objects.find((o) => o.kind === 'VirtualService');
    const http = (vs?.spec as { http: Array<{ name: string; match?: unknown; route: Array<{ weight?: number }> }> }).http;
    expect(http.map((r) => r.name)).to.deep.equal(['routes/items', 'routes/ids', 'routes/mobile', 'smi-default']);
    expect(http[0]!.match).to.deep.equal([{ uri: { regex: '^/items.*' }, method: { exact: 'GET' } }]);
    expect(http[2]!.match).to.deep.equal([{ headers: { 'user-agent': { regex: 'Android' } } }]);
    // Istio weights are relative (istiod rejects only a zero total): 1:2 stays 1:2, not 33/67.
    expect(http[0]!.route.map((d) => d.weight)).to.deep.equal([1, 2]);
    // Splits with matches only apply to HTTP; no tcp route even though the port is sniffed.
    expect(vs?.spec).to.not.have.property('tcp');
  });

  it('access: exact rules kept, the inexpressible regex dropped and reported, rule ports are pod ports', () => {
    const out = translateWith(renderer, snap(), DEFAULT_MESH_OPTIONS);
    const ap = out.objects.find((o) => o.kind === 'AuthorizationPolicy');
    const from = [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }];
    expect(ap?.spec).to.deep.equal({
      selector: { matchLabels: { app: 'api', version: 'v1' } },
      action: 'ALLOW',
      rules: [
        { from, to: [{ operation: { paths: ['/items*'], methods: ['GET'] } }] },
        { from, to: [{ operation: { ports: ['8080'] } }] },
      ],
    });
    const result = out.results.find((r) => r.object === 'TrafficTarget shop/api-access');
    expect(result?.status).to.equal('Unsupported');
    expect(result?.messages.some((m) => m.includes('routes/ids') && m.includes('allows nothing'))).to.equal(true);
  });
});
