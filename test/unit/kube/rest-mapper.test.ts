// The one REST mapper (kube/rest-mapper.ts): scope, plural, any served version
// of a known group+kind, and a clear error for an unknown kind.

import { expect } from 'chai';
import { allNativeKinds, getAdapter } from '../../../adapters/index.js';
import { MESH_NAMES } from '../../../adapters/types.js';
import { BUILTIN_KINDS, kindPath, restMapper, RestMapper, smiResourceKind } from '../../../kube/rest-mapper.js';
import { KIND_TABLE } from '../../../schemas/versions.js';

describe('kube: REST mapper', () => {
  const mapper = restMapper(allNativeKinds());

  it('maps built-in kinds with their scope: namespaced objects under their namespace, cluster-scoped ones not', () => {
    expect(mapper.path({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'shop', name: 'web' } })).to.equal('/api/v1/namespaces/shop/services/web');
    expect(mapper.path({ apiVersion: 'v1', kind: 'Namespace', metadata: { namespace: 'ignored', name: 'shop' } })).to.equal('/api/v1/namespaces/shop');
    expect(mapper.path({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'shop' } })).to.equal('/apis/apps/v1/namespaces/shop/deployments');
    expect(mapper.path({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: 'smi-system', name: 'l' } })).to.equal('/apis/coordination.k8s.io/v1/namespaces/smi-system/leases/l');
    expect(mapper.path({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.y' } })).to.equal('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y');
  });

  it('kindPath: the paths of known kinds the programs name directly (collections, objects, cluster scope)', () => {
    expect(kindPath(BUILTIN_KINDS.ConfigMap, 'smi-system', 'cfg')).to.equal('/api/v1/namespaces/smi-system/configmaps/cfg');
    expect(kindPath(BUILTIN_KINDS.Namespace)).to.equal('/api/v1/namespaces');
    expect(kindPath(BUILTIN_KINDS.ValidatingWebhookConfiguration, 'ignored', 'v')).to.equal('/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/v');
    expect(kindPath(BUILTIN_KINDS.StatefulSet)).to.equal('/apis/apps/v1/statefulsets');
    expect(kindPath(smiResourceKind('TCPRoute'), 'shop')).to.equal('/apis/specs.smi-spec.io/v1alpha4/namespaces/shop/tcproutes');
    expect(kindPath(BUILTIN_KINDS.APIService, undefined, 'v1alpha1.metrics.smi-spec.io', 'status')).to.equal('/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.metrics.smi-spec.io/status');
  });

  it('maps every served version of every SMI kind, with subresources', () => {
    for (const k of KIND_TABLE) {
      for (const v of k.versions) {
        expect(mapper.path({ apiVersion: `${k.group}/${v}`, kind: k.kind, metadata: { namespace: 'a', name: 'b' } }, 'status')).to.equal(`/apis/${k.group}/${v}/namespaces/a/${k.plural}/b/status`);
      }
    }
  });

  it('maps the policy.smi-operator.io kinds (the integration tests write TimeoutPolicy and RetryPolicy through it)', () => {
    expect(mapper.path({ apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'TimeoutPolicy', metadata: { namespace: 'shop', name: 't' } })).to.equal('/apis/policy.smi-operator.io/v1alpha1/namespaces/shop/timeoutpolicies/t');
    expect(mapper.path({ apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'RetryPolicy', metadata: { namespace: 'shop' } })).to.equal('/apis/policy.smi-operator.io/v1alpha1/namespaces/shop/retrypolicies');
    expect(mapper.mapping('policy.smi-operator.io/v1alpha1', 'CircuitBreakerPolicy')).to.include({ plural: 'circuitbreakerpolicies', namespaced: true });
  });

  it('maps every native kind of every adapter to the plural the adapter declares', () => {
    for (const m of MESH_NAMES) {
      for (const k of getAdapter(m).nativeKinds) expect(mapper.mapping(k.apiVersion, k.kind)).to.include({ plural: k.plural, namespaced: true });
    }
  });

  it('does not guess: an unknown kind, or a known kind name in another group, is an error naming it', () => {
    expect(() => mapper.path({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).to.throw(/no REST mapping for Widget \(example\.com\/v1\)/);
    expect(mapper.tryPath({ apiVersion: 'example.com/v1', kind: 'Service' })).to.equal(undefined);
    expect(new RestMapper().tryPath({ apiVersion: 'v1', kind: 'Service' })).to.equal(undefined);
  });
});
