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
});
