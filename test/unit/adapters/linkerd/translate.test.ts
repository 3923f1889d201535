// End to end: snapshot -> resolve() -> linkerd renderer -> results.
import { expect } from 'chai';
import { renderer } from '../../../../adapters/linkerd/index.js';
import { translateWith } from '../../../../adapters/translate.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { hrg, snapshot, split, svc, target, tcp, workload } from '../common/fixtures.js';
import { schemaErrors } from './crd-schema.js';

const find = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('linkerd translateWith', () => {
  const snap = snapshot({
    services: [
      svc('web', [80], { selector: { app: 'web' } }),
      svc('web-v1', [80], { selector: { app: 'web', version: 'v1' } }),
      svc('web-v2', [80], { selector: { app: 'web', version: 'v2' } }),
    ],
    workloads: [
      workload('Deployment/web-v1', 'web', { app: 'web', version: 'v1' }),
      workload('Deployment/web-v2', 'web', { app: 'web', version: 'v2' }),
      workload('Deployment/front', 'front', { app: 'front' }),
    ],
    httpRouteGroups: [
      hrg('ab', [{ name: 'android', headers: { 'User-Agent': '.*Android.*' } }]),
      hrg('api', [{ name: 'read', pathRegex: '/api', methods: ['GET', 'HEAD'] }]),
    ],
    tcpRoutes: [tcp('all')],
    trafficSplits: [split('canary', 'web', [['web-v1', 90], ['web-v2', 10]], { matches: ['ab'] })],
    trafficTargets: [
      target('front-reads', 'web', [{ kind: 'HTTPRouteGroup', name: 'api', matches: ['read'] }], [{ name: 'front' }]),
      target('ops-all', 'web', [{ kind: 'TCPRoute', name: 'all' }], [{ name: 'ops', namespace: 'infra' }]),
    ],
  });

  it('splits gated by an HTTPRouteGroup: raw weights on the backends, root Service for the rest', () => {
    const out = translateWith(renderer, snap, DEFAULT_MESH_OPTIONS);
    const route = find(out.objects, 'HTTPRoute', 'ts-canary-80')!;
    const rules = (route.spec as { rules: Array<{ matches: unknown[]; backendRefs: Array<{ name: string; weight?: number }> }> }).rules;
    expect(rules.map((r) => r.backendRefs.map((b) => `${b.name}:${b.weight ?? '-'}`))).to.deep.equal([['web-v1:90', 'web-v2:10'], ['web:-']]);
    expect(rules[0]!.matches).to.deep.equal([
      { path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'user-agent', value: '^(?:.*Android.*)$' }] },
    ]);
  });

  it('access: deny Server on the pods of the ServiceAccount, whole-port and per-route authorizations', () => {
    const out = translateWith(renderer, snap, DEFAULT_MESH_OPTIONS);
    const server = find(out.objects, 'Server', 'tt-web-80')!;
    expect(server.spec).to.deep.equal({ podSelector: { matchLabels: { app: 'web' } }, port: 80, accessPolicy: 'deny' });
    const routes = out.objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.name.startsWith('ttroute'));
    const ids = (name: string) => ((find(out.objects, 'MeshTLSAuthentication', name)!.spec as { identityRefs: Array<{ namespace: string; name: string }> }).identityRefs).map((i) => `${i.namespace}/${i.name}`);
    expect(routes.map((r) => ids(r.metadata.name)).sort()).to.deep.equal([['infra/ops'], ['infra/ops', 'shop/front']]);
    expect(ids('tt-web-80')).to.deep.equal(['infra/ops']);
    const api = routes.find((r) => ids(r.metadata.name).length === 2)!;
    const matches = (api.spec as { rules: Array<{ matches: Array<{ method: string; path: { value: string } }> }> }).rules[0]!.matches;
    expect(matches.map((m) => `${m.method} ${m.path.value}`)).to.deep.equal(['GET ^(?:^/api)(?s:.*)', 'HEAD ^(?:^/api)(?s:.*)']);
    for (const o of out.objects) expect(schemaErrors(o), `${o.kind}/${o.metadata.name}`).to.deep.equal([]);
  });

  it('reports every SMI object Accepted with no message: nothing here is approximated', () => {
    const out = translateWith(renderer, snap, DEFAULT_MESH_OPTIONS);
    expect(out.results.map((r) => `${r.object} ${r.status} ${r.messages.length}`)).to.deep.equal([
      'HTTPRouteGroup shop/ab Accepted 0',
      'HTTPRouteGroup shop/api Accepted 0',
      'TCPRoute shop/all Accepted 0',
      'TrafficSplit shop/canary Accepted 0',
      'TrafficTarget shop/front-reads Accepted 0',
      'TrafficTarget shop/ops-all Accepted 0',
    ]);
  });

  it('disabled mTLS is reported on the TrafficTargets without changing their status', () => {
    const out = translateWith(renderer, snap, { ...DEFAULT_MESH_OPTIONS, mtlsMode: 'disabled' });
    for (const r of out.results.filter((x) => x.kind === 'TrafficTarget')) {
      expect(r.status).to.equal('Accepted');
      expect(r.messages.some((m) => /mtlsMode disabled/.test(m))).to.equal(true);
    }
  });
});
