// smictl uninstall never mistakes "could not list" for "nothing there": a generated
// kind it may not list makes the warning say the count is incomplete, and makes
// --keep-native refuse before changing anything (those objects could not be
// detached and would go with the CRDs, re-opening access they denied).

import { expect } from 'chai';
import type { KubeClient, KubeResult, RequestOptions } from '../../../kube/client.js';
import { managedNative, uninstall, warning } from '../../../cli/uninstall/uninstall.js';

/** Answers lists from a table (403 for the forbidden paths, 404 for other lists), accepts every change; records every call. */
function fakeClient(items: Record<string, unknown[]>, forbidden: string[]): KubeClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    request<T>(method: string, path: string, _o?: RequestOptions): Promise<KubeResult<T>> {
      calls.push(`${method} ${path}`);
      if (method === 'GET' && forbidden.includes(path)) return Promise.resolve({ ok: false, error: { status: 403, reason: 'Forbidden', message: `forbidden: ${path}` } });
      if (method === 'GET' && items[path]) return Promise.resolve({ ok: true, status: 200, body: { items: items[path] } as T });
      if (method !== 'GET') return Promise.resolve({ ok: true, status: 200, body: {} as T });
      return Promise.resolve({ ok: false, error: { status: 404, reason: 'NotFound', message: 'not found' } });
    },
    watch() {
      throw new Error('no watch');
    },
  };
}

const AP = '/apis/security.istio.io/v1/authorizationpolicies';
const LINKERD_AP = '/apis/policy.linkerd.io/v1alpha1/authorizationpolicies';
const ap = { metadata: { namespace: 'shop', name: 'api', ownerReferences: [{ kind: 'TrafficTarget' }] } };

describe('smictl uninstall: kinds it cannot list', () => {
  it('lists what it can and names what it cannot (a missing CRD, 404, is simply empty)', async () => {
    const c = fakeClient({ [AP]: [ap] }, [LINKERD_AP]);
    const r = await managedNative(c);
    expect(r.natives.map((n) => `${n.kind} ${n.namespace}/${n.name}`)).to.deep.equal(['AuthorizationPolicy shop/api']);
    expect(r.unlisted).to.have.lengthOf(1);
    expect(r.unlisted[0]).to.match(/^authorizationpolicies\.policy\.linkerd\.io \(403 forbidden/);
    expect(c.calls.some((x) => x.endsWith(LINKERD_AP))).to.equal(true);
  });

  it('the warning says the count is incomplete instead of "none found"', async () => {
    const { natives, unlisted } = await managedNative(fakeClient({}, [AP]));
    const w = warning(natives, false, unlisted);
    expect(w).to.contain('Could not list authorizationpolicies.security.istio.io');
    expect(w).to.contain('there may be more');
    expect(warning(natives, false)).to.contain('(none found now)');
  });

  it('--keep-native refuses before changing anything', async () => {
    const c = fakeClient({ [AP]: [ap] }, [LINKERD_AP]);
    const r = await uninstall(c, { namespace: 'smi-system', keepNative: true, say: () => {} });
    expect(r.errors.join('\n')).to.contain('cannot list authorizationpolicies.policy.linkerd.io').and.contain('nothing changed');
    expect(c.calls.filter((x) => !x.startsWith('GET '))).to.deep.equal([]);
  });

  it('--keep-native with everything listable goes ahead (the refusal is not unconditional)', async () => {
    const c = fakeClient({ [AP]: [ap] }, []);
    const r = await uninstall(c, { namespace: 'smi-system', keepNative: true, say: () => {} });
    expect(c.calls.some((x) => x.startsWith('PATCH ') && x.includes('/authorizationpolicies/api'))).to.equal(true);
    expect(c.calls.some((x) => x.startsWith('DELETE ') && x.includes('customresourcedefinitions'))).to.equal(true);
    expect(r.errors).to.deep.equal([]);
  });
});
