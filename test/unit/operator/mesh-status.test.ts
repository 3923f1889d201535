// meshRejection: the mesh's own verdict on an applied object, in its words.

import { expect } from 'chai';
import { meshRejection } from '../../../operator/controller/mesh-status.js';
import type { KubeObject } from '../../../schemas/hub.js';

const obj = (apiVersion: string, kind: string, status: unknown, generation = 2): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop', generation }, status } as KubeObject);

describe('meshRejection', () => {
  it('Gateway API: Accepted or ResolvedRefs False on a parent, for the current generation', () => {
    const parents = (type: string, status: string, observedGeneration = 2) => ({ parents: [{ controllerName: 'linkerd.io/policy-controller', conditions: [{ type, status, reason: 'R', message: 'm', observedGeneration }] }] });
    expect(meshRejection(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('ResolvedRefs', 'False')))).to.equal('HTTPRoute shop/x: linkerd.io/policy-controller reports ResolvedRefs=False (R): m');
    expect(meshRejection(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('Accepted', 'True')))).to.equal(undefined);
    // A verdict on an older generation says nothing about what is applied now.
    expect(meshRejection(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('Accepted', 'False', 1)))).to.equal(undefined);
    expect(meshRejection(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', undefined))).to.equal(undefined);
  });

  it('consul-k8s: Synced False', () => {
    const synced = (status: string) => ({ conditions: [{ type: 'Synced', status, reason: 'ConsulAgentError', message: 'config entry rejected' }] });
    expect(meshRejection(obj('consul.hashicorp.com/v1alpha1', 'ServiceSplitter', synced('False')))).to.equal('ServiceSplitter shop/x: Consul reports Synced=False (ConsulAgentError): config entry rejected');
    expect(meshRejection(obj('consul.hashicorp.com/v1alpha1', 'ServiceSplitter', synced('True')))).to.equal(undefined);
  });

  it('other meshes\' objects and a missing object: no verdict', () => {
    expect(meshRejection(obj('networking.istio.io/v1', 'VirtualService', { conditions: [{ type: 'Reconciled', status: 'False' }] }))).to.equal(undefined);
    expect(meshRejection(undefined)).to.equal(undefined);
  });
});
