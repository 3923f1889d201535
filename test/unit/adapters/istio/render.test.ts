import { expect } from 'chai';
import type { ResolvedModel } from '../../../../adapters/common/model.js';
import { capabilities } from '../../../../adapters/istio/capabilities.js';
import { renderer } from '../../../../adapters/istio/index.js';
import { cond, destination, OPTIONS, resolvedSplit, rule, service, ttObject, wl } from './model.js';
import { crdPlural, specErrors } from './crd-schema.js';

const tt = ttObject('allow', 'shop', 'u1');
const model = (): ResolvedModel => ({
  splits: [
    resolvedSplit(service('web', [{ port: 80, name: 'http' }, { port: 9000 }, { port: 443, name: 'https' }]), [[service('web-v1'), 90], [service('web-v2'), 10]]),
    resolvedSplit(service('shop', [{ port: 80, name: 'http' }]), [[service('shop-b'), 100]], [cond('ab/m', { pathRegex: '^/x|y', methods: ['GET', 'POST'], headers: [{ name: 'x-u', regex: 'a+' }] })]),
  ],
  destinations: [
    destination('api', [
      rule(tt, [['shop', 'web']], { ports: [80] }),
      rule(tt, [['shop', 'web']], { http: [cond('g/r', { pathRegex: '^/(a|b)$', methods: ['GET'], headers: [{ name: 'x-env', regex: '^qa' }] })] }, 'spec.rules[1]'),
    ], { targets: [tt] }),
  ],
  results: [],
});
const kinds = (objs: Array<{ apiVersion: string; kind: string }>) => [...new Set(objs.map((o) => `${o.apiVersion} ${o.kind}`))].sort();

describe('istio renderer', () => {
  it('emits only the kinds nativeKinds lists, and nativeKinds lists exactly what it emits', () => {
    const { objects } = renderer.render(model(), OPTIONS);
    // DestinationRule and Telemetry come from policies: test/unit/adapters/policy/policy.test.ts.
    const policyKinds = new Set(['DestinationRule', 'Telemetry']);
    expect(kinds(objects)).to.deep.equal(kinds([...renderer.nativeKinds].filter((k) => !policyKinds.has(k.kind))));
  });

  it('nativeKinds plurals are the CRDs\' plurals', () => {
    for (const k of renderer.nativeKinds) expect(crdPlural(k.apiVersion, k.kind), k.kind).to.equal(k.plural);
  });

  it('every emitted spec fits the real Istio 1.30 CRD schema', () => {
    const { objects } = renderer.render(model(), OPTIONS);
    expect(objects.length).to.be.greaterThan(3);
    for (const o of objects) expect(specErrors(o), `${o.kind} ${o.metadata.name}`).to.deep.equal([]);
  });

  it('the schema check does catch wrong field names, types and enums', () => {
    const bad = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'x' }, spec: { action: 'PERMIT', rules: [{ to: [{ operation: { ports: [80] } }], form: [] }] } };
    expect(specErrors(bad)).to.have.length(3);
  });

  it('is deterministic, sorted, and leaves its input untouched', () => {
    const m = model();
    const before = JSON.stringify(m);
    const a = renderer.render(m, OPTIONS);
    expect(JSON.stringify(renderer.render(model(), OPTIONS))).to.equal(JSON.stringify(a));
    expect(JSON.stringify(m)).to.equal(before);
    const keys = a.objects.map((o) => [o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name].join(' '));
    expect(keys).to.deep.equal([...keys].sort());
  });

  it('maps mtlsMode to a selector-scoped PeerAuthentication (never namespace- or mesh-wide)', () => {
    for (const [mode, want] of [['strict', 'STRICT'], ['permissive', 'PERMISSIVE'], ['disabled', 'DISABLE']] as const) {
      const pa = renderer.render(model(), { ...OPTIONS, mtlsMode: mode }).objects.filter((o) => o.kind === 'PeerAuthentication');
      expect(pa.map((o) => o.spec)).to.deep.equal([{ selector: { matchLabels: { app: 'api', version: 'v1' } }, mtls: { mode: want } }]);
    }
  });

  it('accessMode permissive: PeerAuthentication but no AuthorizationPolicy, with a note', () => {
    const out = renderer.render(model(), { ...OPTIONS, accessMode: 'permissive' });
    expect(out.objects.filter((o) => o.kind === 'AuthorizationPolicy')).to.deep.equal([]);
    expect(out.notes.some((n) => n.object === 'TrafficTarget shop/allow' && /permissive/.test(n.message) && !n.status)).to.equal(true);
  });

  it('mTLS disabled under enforce: the TrafficTarget is reported Unsupported (everything is denied)', () => {
    const out = renderer.render(model(), { ...OPTIONS, mtlsMode: 'disabled' });
    expect(out.notes.filter((n) => n.status === 'Unsupported' && /mTLS is disabled/.test(n.message)).map((n) => n.object)).to.deep.equal(['TrafficTarget shop/allow']);
  });

  it('no allow that could select other pods, governed or not: their shared labels get deny-all + STRICT, Unsupported naming them', () => {
    const m = model();
    const api = wl('Deployment/api', 'api', { app: 'shop' });
    // `admin` is not governed by any TrafficTarget: only namespaceWorkloads shows it.
    const admin = wl('Deployment/admin', 'admin', { app: 'shop', role: 'admin' });
    const elsewhere = wl('Deployment/other', 'other', { app: 'shop' }, 'other-ns');
    m.destinations = [destination('api', [rule(tt, [['shop', 'web']])], { targets: [tt], workloads: [api], otherWorkloads: [admin, elsewhere] })];
    const out = renderer.render(m, OPTIONS);
    expect(out.objects.filter((o) => o.kind !== 'VirtualService').map((o) => [o.kind, o.spec])).to.deep.equal([
      ['AuthorizationPolicy', { selector: { matchLabels: { app: 'shop' } }, action: 'ALLOW' }],
      ['PeerAuthentication', { selector: { matchLabels: { app: 'shop' } }, mtls: { mode: 'STRICT' } }],
    ]);
    const note = out.notes.find((n) => n.object === 'TrafficTarget shop/allow');
    expect(note?.status).to.equal('Unsupported');
    expect(note?.message).to.equal(
      "spec.destination: the pod labels shared by ServiceAccount shop/api's workloads (app=shop) also select Deployment/admin (ServiceAccount admin); pods labelled app=shop (also Deployment/admin of ServiceAccount admin) cannot be told apart, so they are closed instead: an AuthorizationPolicy that allows nothing and STRICT mTLS (fail-closed, until they can be selected exactly)",
    );
  });

  it('other pods the selector does not pick leave the policy in place', () => {
    const m = model();
    m.destinations = [destination('api', [rule(tt, [['shop', 'web']])], { targets: [tt], otherWorkloads: [wl('Deployment/admin', 'admin', { app: 'api', version: 'v2' })] })];
    const out = renderer.render(m, OPTIONS);
    expect(out.objects.filter((o) => o.kind === 'AuthorizationPolicy').map((o) => (o.spec as { selector: unknown }).selector)).to.deep.equal([{ matchLabels: { app: 'api', version: 'v1' } }]);
    expect(out.notes.filter((n) => n.status === 'Unsupported')).to.deep.equal([]);
  });

  it('no workloads yet: nothing emitted, a message but no worse status', () => {
    const m = model();
    m.destinations = [destination('api', [rule(tt, [['shop', 'web']])], { targets: [tt], workloads: [] })];
    const out = renderer.render(m, OPTIONS);
    expect(out.objects.filter((o) => o.kind !== 'VirtualService')).to.deep.equal([]);
    expect(out.notes.filter((n) => n.object === 'TrafficTarget shop/allow').map((n) => n.status)).to.deep.equal([undefined]);
  });

  it('capabilities: every entry is exact, approximated: how, or unsupported: why', () => {
    for (const [k, v] of Object.entries(capabilities)) expect(v, k).to.match(/^(exact|exact: .+|approximated: .+|unsupported: .+)$/);
  });
});
