// meshVerdict: the mesh's own verdict on an applied object, in its words.

import { expect } from 'chai';
import { meshVerdict } from '../../../operator/controller/mesh-status.js';
import { asApplied } from '../../../operator/controller/status.js';
import type { KubeObject } from '../../../schemas/hub.js';

const obj = (apiVersion: string, kind: string, status: unknown, generation = 2): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop', generation }, status } as KubeObject);
const rejected = (o: KubeObject) => {
  const v = meshVerdict(o);
  return v?.kind === 'rejected' ? v.message : undefined;
};

describe('meshVerdict', () => {
  it('Gateway API: Accepted or ResolvedRefs False on a parent, for the current generation', () => {
    const parents = (type: string, status: string, observedGeneration = 2) => ({ parents: [{ controllerName: 'linkerd.io/policy-controller', conditions: [{ type, status, reason: 'R', message: 'm', observedGeneration }] }] });
    expect(rejected(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('ResolvedRefs', 'False')))).to.equal('HTTPRoute shop/x: linkerd.io/policy-controller reports ResolvedRefs=False (R): m');
    expect(meshVerdict(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('Accepted', 'True')))).to.equal(undefined);
    // A verdict on an older generation says nothing about what is applied now.
    expect(meshVerdict(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', parents('Accepted', 'False', 1)))).to.equal(undefined);
    expect(meshVerdict(obj('gateway.networking.k8s.io/v1', 'HTTPRoute', undefined))).to.equal(undefined);
  });

  it('consul-k8s: Synced False', () => {
    const synced = (status: string) => ({ conditions: [{ type: 'Synced', status, reason: 'ConsulAgentError', message: 'config entry rejected' }] });
    expect(rejected(obj('consul.hashicorp.com/v1alpha1', 'ServiceSplitter', synced('False')))).to.equal('ServiceSplitter shop/x: Consul reports Synced=False (ConsulAgentError): config entry rejected');
    expect(meshVerdict(obj('consul.hashicorp.com/v1alpha1', 'ServiceSplitter', synced('True')))).to.equal(undefined);
  });

  describe('Istio (IstioStatus as istiod writes it)', () => {
    const VS = 'networking.istio.io/v1';
    // pkg/config/analysis/diag Message.AnalysisMessageBase(): code, level by name (jsonpb), documentation URL; no text.
    const analysis = (level: string | number, code = 'IST0101') => ({ validationMessages: [{ documentationUrl: `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`, level, type: { code } }] });

    it('an ERROR analysis message is a rejection naming the code and where to read it', () => {
      expect(rejected(obj(VS, 'VirtualService', analysis('ERROR')))).to.equal(
        "VirtualService shop/x: Istio's analysis reports error IST0101 (https://istio.io/latest/docs/reference/config/analysis/ist0101/); `istioctl analyze` prints the message",
      );
      expect(meshVerdict(obj(VS, 'VirtualService', analysis(3)))?.kind, 'the enum number').to.equal('rejected');
      expect(meshVerdict(obj('security.istio.io/v1', 'AuthorizationPolicy', analysis('ERROR', 'IST0145')))?.message).to.contain('AuthorizationPolicy shop/x').and.contain('IST0145');
    });

    it('warnings and info are not rejections', () => {
      expect(meshVerdict(obj(VS, 'VirtualService', analysis('WARNING')))).to.equal(undefined);
      expect(meshVerdict(obj(VS, 'VirtualService', analysis('INFO')))).to.equal(undefined);
      expect(meshVerdict(obj(VS, 'VirtualService', analysis(8)))).to.equal(undefined);
    });

    it('Reconciled=False for the current generation: pending (not every proxy has it yet); True, or for an older generation: nothing', () => {
      // pilot/pkg/status/distribution ReconcileStatuses: no reason, "<acked>/<total> proxies up to date."
      const reconciled = (status: string, observedGeneration?: string | number) => ({ conditions: [{ type: 'Reconciled', status, message: '1/3 proxies up to date.' }], ...(observedGeneration === undefined ? {} : { observedGeneration }) });
      expect(meshVerdict(obj(VS, 'VirtualService', reconciled('False', '2')))).to.deep.equal({ kind: 'pending', message: 'VirtualService shop/x: Istio reports Reconciled=False: 1/3 proxies up to date.' });
      expect(meshVerdict(obj(VS, 'VirtualService', reconciled('False', 2)))?.kind).to.equal('pending');
      expect(meshVerdict(obj(VS, 'VirtualService', reconciled('False', '1'))), 'stale: refers to generation 1').to.equal(undefined);
      expect(meshVerdict(obj(VS, 'VirtualService', reconciled('True', '2')))).to.equal(undefined);
      // Istio 1.30's CRD also has observedGeneration on the condition itself: it wins.
      const onCondition = { conditions: [{ type: 'Reconciled', status: 'False', message: '0/1 proxies up to date.', observedGeneration: '1' }], observedGeneration: '2' };
      expect(meshVerdict(obj(VS, 'VirtualService', onCondition))).to.equal(undefined);
    });

    it('an ERROR written for an older generation is pending re-analysis, not a rejection (istiod sets observedGeneration to the generation it analysed)', () => {
      const stale = { ...analysis('ERROR'), observedGeneration: '1' };
      expect(meshVerdict(obj(VS, 'VirtualService', stale))).to.deep.equal({
        kind: 'pending',
        message: 'VirtualService shop/x: Istio has not re-analysed generation 2 yet (its analysis of generation 1 reported error IST0101 (https://istio.io/latest/docs/reference/config/analysis/ist0101/))',
      });
      expect(meshVerdict(obj(VS, 'VirtualService', { ...analysis('ERROR'), observedGeneration: 1 }))?.kind, 'int64 as a number').to.equal('pending');
      // For the current generation (or a later one, or none written): rejected, as before.
      expect(meshVerdict(obj(VS, 'VirtualService', { ...analysis('ERROR'), observedGeneration: '2' }))?.kind).to.equal('rejected');
      expect(meshVerdict(obj(VS, 'VirtualService', { ...analysis('ERROR'), observedGeneration: '3' }))?.kind).to.equal('rejected');
      expect(meshVerdict(obj(VS, 'VirtualService', analysis('ERROR')))?.kind, 'no observedGeneration: cannot tell, the error stands').to.equal('rejected');
      // A stale warning says nothing either way.
      expect(meshVerdict(obj(VS, 'VirtualService', { ...analysis('WARNING'), observedGeneration: '1' }))).to.equal(undefined);
    });

    it('an error outweighs a pending distribution', () => {
      const both = { ...analysis('ERROR'), conditions: [{ type: 'Reconciled', status: 'False', message: '0/1 proxies up to date.' }], observedGeneration: '2' };
      expect(meshVerdict(obj(VS, 'VirtualService', both))?.kind).to.equal('rejected');
    });

    it('no status (status and analysis not enabled): no verdict, Ready is not held', () => {
      expect(meshVerdict(obj(VS, 'VirtualService', undefined))).to.equal(undefined);
      expect(meshVerdict(obj(VS, 'VirtualService', {}))).to.equal(undefined);
    });
  });

  describe('Linkerd HTTPLocalRateLimitPolicy (status as the policy controller writes it)', () => {
    const RL = 'policy.linkerd.io/v1alpha1';
    // policy-controller/k8s/status/src/index.rs: one Accepted condition, empty message, no observedGeneration,
    // and targetRef: the Server the verdict is about.
    const limit = (server: string, status: unknown) => ({ ...obj(RL, 'HTTPLocalRateLimitPolicy', status), spec: { targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: server }, total: { requestsPerSecond: 20 } } } as KubeObject);
    const decided = (server: string, status: string, reason: string) => ({ conditions: [{ type: 'Accepted', status, reason, message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }], targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: server } });

    it('Accepted=False is a rejection in Linkerd\'s words, with what the reason means', () => {
      expect(rejected(limit('tt-api-8080', decided('tt-api-8080', 'False', 'RateLimitReasonAlreadyExists')))).to.equal(
        "HTTPLocalRateLimitPolicy shop/x: Linkerd's policy controller reports Accepted=False (RateLimitReasonAlreadyExists) (an older HTTPLocalRateLimitPolicy already targets that Server, and a Server takes only one)",
      );
      expect(rejected(limit('tt-api-8080', decided('tt-api-8080', 'False', 'NoMatchingTarget')))).to.contain('NoMatchingTarget').and.contain('does not exist (yet)');
      expect(rejected(limit('s', decided('s', 'False', 'SomethingNew'))), 'an unknown reason: its own words').to.equal("HTTPLocalRateLimitPolicy shop/x: Linkerd's policy controller reports Accepted=False (SomethingNew)");
    });

    it('NoMatchingTarget while the Server is in the cache: Linkerd has not seen it yet (pending), not a rejection', () => {
      const server = { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 'tt-api-8080', namespace: 'shop' } } as KubeObject;
      const asked: string[] = [];
      const cache = (key: string, ns: string | undefined, name: string) => {
        asked.push(`${key} ${ns}/${name}`);
        return key === 'policy.linkerd.io/Server' && ns === 'shop' && name === 'tt-api-8080' ? server : undefined;
      };
      expect(meshVerdict(limit('tt-api-8080', decided('tt-api-8080', 'False', 'NoMatchingTarget')), cache)).to.deep.equal({
        kind: 'pending',
        message: "HTTPLocalRateLimitPolicy shop/x: Linkerd's policy controller has not seen Server shop/tt-api-8080 yet (it reports Accepted=False (NoMatchingTarget))",
      });
      expect(asked).to.deep.equal(['policy.linkerd.io/Server shop/tt-api-8080']);
      // Not in the cache either: rejected. Another reason: rejected whatever the cache holds.
      expect(meshVerdict(limit('tt-api-9090', decided('tt-api-9090', 'False', 'NoMatchingTarget')), cache)?.kind).to.equal('rejected');
      expect(meshVerdict(limit('tt-api-8080', decided('tt-api-8080', 'False', 'RateLimitReasonAlreadyExists')), cache)?.kind).to.equal('rejected');
    });

    it('accepted, no status yet, or a verdict about the Server the spec named before: no verdict', () => {
      expect(meshVerdict(limit('tt-api-8080', decided('tt-api-8080', 'True', 'Accepted')))).to.equal(undefined);
      expect(meshVerdict(limit('tt-api-8080', undefined))).to.equal(undefined);
      expect(meshVerdict(limit('tt-api-8080', decided('tt-api-9090', 'False', 'NoMatchingTarget'))), 'decided for another target').to.equal(undefined);
      // The CRD defaults group and kind: an omitted group/kind is the same target.
      const defaulted = { conditions: decided('s', 'False', 'NoMatchingTarget').conditions, targetRef: { name: 's' } };
      expect(meshVerdict(limit('s', defaulted))?.kind).to.equal('rejected');
      // Should Linkerd write observedGeneration one day, an older one is stale.
      const old = { conditions: [{ type: 'Accepted', status: 'False', reason: 'NoMatchingTarget', observedGeneration: 1 }], targetRef: { name: 's' } };
      expect(meshVerdict(limit('s', old))).to.equal(undefined);
    });
  });

  it('other objects and a missing object: no verdict', () => {
    expect(meshVerdict(obj('v1', 'ConfigMap', { conditions: [{ type: 'Reconciled', status: 'False' }] }))).to.equal(undefined);
    expect(meshVerdict(undefined)).to.equal(undefined);
  });
});

describe('asApplied: the mesh\'s status is judged against the generation our apply just wrote', () => {
  const VS = 'networking.istio.io/v1';
  const cached = obj(VS, 'VirtualService', { validationMessages: [{ level: 'ERROR', type: { code: 'IST0101' } }], observedGeneration: '2' });

  it('the server answered a newer generation than the cache holds: the error is about the old one', () => {
    expect(meshVerdict(cached)?.kind, 'as cached').to.equal('rejected');
    const applied = asApplied(cached, { ok: true, generation: 3 });
    expect(applied?.metadata.generation).to.equal(3);
    expect(meshVerdict(applied)?.message).to.contain('has not re-analysed generation 3');
    expect(cached.metadata.generation, 'the cached object is not changed').to.equal(2);
  });

  it('no apply (skipped), a failed one, or a cache already as new: the cached object', () => {
    expect(asApplied(cached, { ok: true })).to.equal(cached);
    expect(asApplied(cached, { ok: true, generation: 2 })).to.equal(cached);
    expect(asApplied(cached, { ok: false, reason: 'ApplyFailed', message: 'x' })).to.equal(cached);
    expect(asApplied(cached, undefined)).to.equal(cached);
    expect(asApplied(undefined, { ok: true, generation: 3 })).to.equal(undefined);
  });
});
