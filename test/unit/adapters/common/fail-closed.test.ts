// Fail closed (issue 18.2): a destination whose pods cannot be selected exactly
// (a look-alike pod of another ServiceAccount, or no shared label) must stay
// closed on Istio and Linkerd, never fall open; and policy that grants access may
// never land on another identity's pods. Checked per pod with fast-check over
// random namespaces, plus the concrete look-alike case.

import { expect } from 'chai';
import fc from 'fast-check';
import type { AccessRule, ResolvedDestination, ResolvedModel } from '../../../../adapters/common/model.js';
import { renderer as istio } from '../../../../adapters/istio/index.js';
import { renderer as linkerd } from '../../../../adapters/linkerd/index.js';
import { renderer as consul } from '../../../../adapters/consul/index.js';
import { specErrors } from '../istio/crd-schema.js';
import type { MeshOptions, WorkloadInfo } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { destination, OPTIONS, rule, service, ttObject, wl } from '../istio/model.js';

const tt = ttObject('allow', 'shop', 'u1');
const RULES: AccessRule[] = [rule(tt, [['shop', 'web']])];
const modelOf = (d: ResolvedDestination): ResolvedModel => ({ splits: [], destinations: [d], results: [] });
const labelsOf = (o: KubeObject): Record<string, string> => {
  const s = o.spec as { selector?: { matchLabels?: Record<string, string> }; podSelector?: { matchLabels?: Record<string, string> } };
  return s.selector?.matchLabels ?? s.podSelector?.matchLabels ?? {};
};
const selects = (o: KubeObject, w: WorkloadInfo): boolean => Object.entries(labelsOf(o)).every(([k, v]) => w.podLabels[k] === v);
/** An Istio policy that admits someone: an ALLOW with rules. */
const grants = (o: KubeObject): boolean => o.kind === 'AuthorizationPolicy' && ((o.spec as { rules?: unknown[] }).rules?.length ?? 0) > 0;
/** Linkerd Servers that carry an authorization (directly, or through an HTTPRoute on them). */
function authorizedServers(objects: KubeObject[]): Set<string> {
  const out = new Set<string>();
  const routeParent = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== 'HTTPRoute') continue;
    for (const p of (o.spec as { parentRefs: Array<{ kind: string; name: string }> }).parentRefs) if (p.kind === 'Server') routeParent.set(o.metadata.name, p.name);
  }
  for (const o of objects) {
    if (o.kind !== 'AuthorizationPolicy') continue;
    const ref = (o.spec as { targetRef: { kind: string; name: string } }).targetRef;
    if (ref.kind === 'Server') out.add(ref.name);
    const parent = routeParent.get(ref.name);
    if (ref.kind === 'HTTPRoute' && parent) out.add(parent);
  }
  return out;
}

describe('fail closed: destinations that cannot be selected exactly', () => {
  const api = wl('Deployment/api', 'api', { app: 'api' });
  const lookAlike = wl('Pod/evil', 'intruder', { app: 'api' });

  it('istio: a look-alike Pod of another ServiceAccount turns the policy into deny-all + STRICT on the shared labels, never into nothing', () => {
    const before = istio.render(modelOf(destination('api', RULES, { workloads: [api] })), OPTIONS).objects;
    const after = istio.render(modelOf(destination('api', RULES, { workloads: [api], otherWorkloads: [lookAlike] })), OPTIONS);
    // Same objects (names), so the operator updates them in place: nothing is pruned.
    expect(after.objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal(before.map((o) => `${o.kind}/${o.metadata.name}`));
    const ap = after.objects.find((o) => o.kind === 'AuthorizationPolicy')!;
    expect(ap.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' });
    const pa = after.objects.find((o) => o.kind === 'PeerAuthentication')!;
    expect(pa.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'STRICT' } });
    const note = after.notes.find((n) => n.object === 'TrafficTarget shop/allow' && n.status === 'Unsupported');
    expect(note?.message).to.contain('Pod/evil of ServiceAccount intruder').and.contain('closed instead');
  });

  it('istio: a weaker mTLS mode is not put on the look-alikes; permissive access keeps only STRICT mTLS', () => {
    const d = destination('api', RULES, { workloads: [api], otherWorkloads: [lookAlike] });
    expect(istio.render(modelOf(d), { ...OPTIONS, mtlsMode: 'permissive' }).objects.map((o) => o.kind)).to.deep.equal(['AuthorizationPolicy']);
    const permissive = istio.render(modelOf(d), { ...OPTIONS, accessMode: 'permissive' });
    expect(permissive.objects.map((o) => `${o.kind} ${JSON.stringify(o.spec)}`)).to.deep.equal(['PeerAuthentication {"selector":{"matchLabels":{"app":"api"}},"mtls":{"mode":"STRICT"}}']);
    expect(permissive.notes.every((n) => n.status === undefined), 'permissive access promised no restriction').to.equal(true);
  });

  it('istio: workloads with no shared label each get the exact policy on their own labels', () => {
    const d = destination('api', RULES, { workloads: [api, wl('StatefulSet/api-db', 'api', { app: 'api-db' })] });
    const out = istio.render(modelOf(d), OPTIONS);
    const aps = out.objects.filter((o) => o.kind === 'AuthorizationPolicy');
    expect(aps.map((o) => [o.metadata.name, labelsOf(o)])).to.deep.equal([
      ['smi-access-api', { app: 'api' }],
      ['smi-accessby-api-2', { app: 'api-db' }],
    ]);
    expect(aps[0]!.spec).to.deep.equal({ ...(aps[1]!.spec as object), selector: { matchLabels: { app: 'api' } } });
    expect(aps.every(grants)).to.equal(true);
    expect(out.notes.filter((n) => n.status === 'Unsupported')).to.deep.equal([]);
  });

  it('linkerd: a look-alike Pod turns the Servers into deny Servers on the shared labels with no authorization', () => {
    const services = [service('api', [{ port: 80, name: 'http', targetPort: 8080 }])];
    const before = linkerd.render(modelOf(destination('api', RULES, { workloads: [api], services })), OPTIONS).objects;
    const after = linkerd.render(modelOf(destination('api', RULES, { workloads: [api], otherWorkloads: [lookAlike], services })), OPTIONS);
    expect(before.some((o) => o.kind === 'AuthorizationPolicy')).to.equal(true);
    expect(after.objects.map((o) => `${o.kind}/${o.metadata.name} ${JSON.stringify(o.spec)}`)).to.deep.equal([
      'Server/tt-api-8080 {"podSelector":{"matchLabels":{"app":"api"}},"port":8080,"accessPolicy":"deny"}',
    ]);
    expect(after.notes.find((n) => n.status === 'Unsupported')?.message).to.contain('closed instead');
  });

  // Random namespaces: a destination's workloads and others, labels from a tiny alphabet so that
  // look-alikes and disjoint label sets are common.
  const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'v'), fc.constantFrom('a', 'b'), { maxKeys: 3 });
  const workloads = (sa: string, min: number) => fc.array(labels, { minLength: min, maxLength: 3 }).map((ls) => ls.map((l, i) => wl(`Deployment/${sa}-${i}`, sa, l)));
  const namespace = fc.record({ mine: workloads('api', 1), others: workloads('other', 0), mesh: fc.constantFrom('istio', 'linkerd') });

  it('property: every pod of the destination is governed (unless it has no stable label), and nothing that grants access lands on another identity', () => {
    fc.assert(
      fc.property(namespace, ({ mine, others, mesh }) => {
        const d = destination('api', RULES, { workloads: mine, otherWorkloads: others, services: [service('api', [{ port: 80, name: 'http', targetPort: 8080 }])] });
        const options: MeshOptions = { ...OPTIONS, mtlsMode: 'permissive' };
        const { objects } = (mesh === 'istio' ? istio : linkerd).render(modelOf(d), options);
        const policy = objects.filter((o) => (mesh === 'istio' ? o.kind === 'AuthorizationPolicy' : o.kind === 'Server'));
        for (const w of mine) {
          if (Object.keys(w.podLabels).length === 0) continue; // only the whole namespace would select it: reported instead
          expect(policy.some((o) => selects(o, w)), `${mesh}: ${w.owner} ${JSON.stringify(w.podLabels)} is left open`).to.equal(true);
        }
        const granting = mesh === 'istio' ? policy.filter(grants) : policy.filter((o) => authorizedServers(objects).has(o.metadata.name));
        for (const w of others) for (const o of granting) expect(selects(o, w), `${mesh}: ${o.metadata.name} grants access on ${w.owner}`).to.equal(false);
        // A weaker mTLS mode than STRICT never lands on another identity's pods either.
        const weak = objects.filter((o) => o.kind === 'PeerAuthentication' && (o.spec as { mtls: { mode: string } }).mtls.mode !== 'STRICT');
        for (const w of others) for (const o of weak) expect(selects(o, w), `${o.metadata.name} weakens mTLS on ${w.owner}`).to.equal(false);
      }),
      { numRuns: 300 },
    );
  });

  describe('closedForm: what replaces an object the API server refused', () => {
    const obj = (apiVersion: string, kind: string, spec: unknown): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop', labels: { a: 'b' } }, spec }) as KubeObject;

    it('istio: AuthorizationPolicy allows nothing on the same pods, PeerAuthentication is STRICT, VirtualService has none', () => {
      const ap = obj('security.istio.io/v1', 'AuthorizationPolicy', { selector: { matchLabels: { app: 'api' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }] });
      const form = istio.closedForm(ap);
      expect(form).to.deep.equal({ apply: { ...ap, spec: { selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' } } });
      if (form && 'apply' in form) expect(specErrors(form.apply)).to.deep.equal([]);
      const pa = obj('security.istio.io/v1', 'PeerAuthentication', { selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'PERMISSIVE' } });
      expect(istio.closedForm(pa)).to.deep.equal({ apply: { ...pa, spec: { selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'STRICT' } } } });
      expect(istio.closedForm(obj('networking.istio.io/v1', 'VirtualService', {}))).to.equal(undefined);
    });

    it('linkerd: authorizations and inbound routes are removed; Servers and split routes have none', () => {
      expect(linkerd.closedForm(obj('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy', {}))).to.deep.equal({ remove: true });
      expect(linkerd.closedForm(obj('policy.linkerd.io/v1alpha1', 'MeshTLSAuthentication', {}))).to.deep.equal({ remove: true });
      expect(linkerd.closedForm(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', { parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 's' }] }))).to.deep.equal({ remove: true });
      expect(linkerd.closedForm(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', { parentRefs: [{ group: 'core', kind: 'Service', name: 'web' }] }))).to.equal(undefined);
      expect(linkerd.closedForm(obj('policy.linkerd.io/v1beta3', 'Server', {}))).to.equal(undefined);
    });

    it('consul: ServiceIntentions keep only the wildcard deny; other kinds have none', () => {
      const si = obj('consul.hashicorp.com/v1alpha1', 'ServiceIntentions', { destination: { name: 'api' }, sources: [{ name: 'web', action: 'allow' }, { name: '*', action: 'deny' }] });
      const form = consul.closedForm(si);
      expect(form && 'apply' in form ? form.apply.spec : undefined).to.deep.include({ destination: { name: 'api' } });
      expect(form && 'apply' in form ? (form.apply.spec as { sources: Array<{ name: string; action: string }> }).sources.map((x) => [x.name, x.action]) : undefined).to.deep.equal([['*', 'deny']]);
      expect(consul.closedForm(obj('consul.hashicorp.com/v1alpha1', 'ServiceRouter', {}))).to.equal(undefined);
    });
  });
});
