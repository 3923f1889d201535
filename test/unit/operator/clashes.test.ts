// userClash: which user objects compete with ours.

import { expect } from 'chai';
import { fqdn, userClash } from '../../../operator/controller/clashes.js';
import type { KubeObject } from '../../../schemas/hub.js';

const vs = (name: string, ns: string, hosts: string[], extra: Record<string, unknown> = {}, managed = false): KubeObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
  metadata: { name, namespace: ns, ...(managed ? { labels: { 'app.kubernetes.io/managed-by': 'smi-operator' } } : {}) },
  spec: { hosts, ...extra },
} as KubeObject);
const route = (name: string, ns: string, parent: Record<string, unknown>, managed = false): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
  metadata: { name, namespace: ns, ...(managed ? { labels: { 'app.kubernetes.io/managed-by': 'smi-operator' } } : {}) },
  spec: { parentRefs: [{ group: 'core', kind: 'Service', ...parent }] },
} as KubeObject);

describe('userClash', () => {
  it('fqdn: dotless names are relative to the VirtualService namespace', () => {
    expect(fqdn('web', 'shop', 'cluster.local')).to.equal('web.shop.svc.cluster.local');
    // Istio expands only dotless names (ResolveShortnameToFQDN); `web.shop` is a literal host.
    expect(fqdn('web.shop', 'x', 'cluster.local')).to.equal('web.shop');
    expect(fqdn('Example.COM', 'x', 'cluster.local')).to.equal('example.com');
  });

  it('Istio: the same host in any spelling clashes; gateway-only, other hosts and our own objects do not', () => {
    const mine = vs('smi', 'shop', ['web.shop.svc.cluster.local'], {}, true);
    expect(userClash(mine, [vs('u', 'shop', ['web'])], 'cluster.local')).to.contain('VirtualService shop/u (not managed by smi-operator) also routes host web.shop.svc.cluster.local');
    expect(userClash(mine, [vs('u', 'other', ['web.shop.svc.cluster.local'])], 'cluster.local')).to.contain('other/u');
    expect(userClash(mine, [vs('u', 'shop', ['web'], { gateways: ['istio-system/ingress'] })], 'cluster.local')).to.equal(undefined);
    expect(userClash(mine, [vs('u', 'shop', ['api'])], 'cluster.local')).to.equal(undefined);
    expect(userClash(mine, [vs('u', 'shop', ['web'], {}, true)], 'cluster.local')).to.equal(undefined);
  });

  it('Gateway API: the same Service parent and port (or no port) clashes', () => {
    const mine = route('smi', 'shop', { name: 'web', port: 80 }, true);
    expect(userClash(mine, [route('u', 'shop', { name: 'web', port: 80 })], 'cluster.local')).to.contain('HTTPRoute shop/u (not managed by smi-operator) is also attached to Service shop/web port 80');
    expect(userClash(mine, [route('u', 'shop', { name: 'web' })], 'cluster.local')).to.contain('shop/u');
    expect(userClash(mine, [route('u', 'shop', { name: 'web', port: 8080 })], 'cluster.local')).to.equal(undefined);
    expect(userClash(mine, [route('u', 'shop', { name: 'api', port: 80 })], 'cluster.local')).to.equal(undefined);
  });

  it('Consul: a user config entry of the same kind for the same Consul service, in any namespace', () => {
    const entry = (kind: string, name: string, ns: string, spec: Record<string, unknown> = {}, managed = false): KubeObject => ({
      apiVersion: 'consul.hashicorp.com/v1alpha1', kind,
      metadata: { name, namespace: ns, ...(managed ? { labels: { 'app.kubernetes.io/managed-by': 'smi-operator' } } : {}) },
      spec,
    } as KubeObject);
    for (const kind of ['ServiceRouter', 'ServiceSplitter', 'ServiceResolver', 'ServiceDefaults']) {
      const mine = entry(kind, 'web', 'shop', {}, true);
      expect(userClash(mine, [entry(kind, 'web', 'legacy')], 'cluster.local'), kind).to.equal(
        `${kind} legacy/web (not managed by smi-operator) is the Consul ${kind} config entry for service web too (without Consul Enterprise namespace mirroring every Kubernetes namespace shares one Consul namespace); Consul keeps one entry per service: merge it or delete one`,
      );
      // The same Kubernetes object (the writer left it alone): named too.
      expect(userClash(mine, [entry(kind, 'web', 'shop')], 'cluster.local'), kind).to.contain(`${kind} shop/web (not managed by smi-operator)`);
      expect(userClash(mine, [entry(kind, 'api', 'shop')], 'cluster.local'), `${kind}: another service`).to.equal(undefined);
      expect(userClash(mine, [entry(kind, 'web', 'legacy', {}, true)], 'cluster.local'), `${kind}: ours`).to.equal(undefined);
    }
    // Another kind for the same service composes with ours (router -> splitter -> resolver).
    expect(userClash(entry('ServiceSplitter', 'web', 'shop', {}, true), [entry('ServiceRouter', 'web', 'shop')], 'cluster.local')).to.equal(undefined);
    // ServiceIntentions: the entry is spec.destination.name, whatever the object is called.
    const intentions = entry('ServiceIntentions', 'web', 'shop', { destination: { name: 'web' } }, true);
    expect(userClash(intentions, [entry('ServiceIntentions', 'allow-frontend', 'shop', { destination: { name: 'web' } })], 'cluster.local')).to.contain('ServiceIntentions shop/allow-frontend');
    expect(userClash(intentions, [entry('ServiceIntentions', 'web', 'shop', { destination: { name: 'api' } })], 'cluster.local')).to.equal(undefined);
  });
});
