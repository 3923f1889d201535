// The metrics API follows the adapter ConfigMap: mesh and Prometheus URL per request.

import { expect } from 'chai';
import { MeshConfigFollower, settingsFrom } from '../../../metrics-api/mesh-config.js';
import { createHandler } from '../../../metrics-api/handler.js';
import { fail, ok } from '../../../metrics-api/errors.js';
import type { KubeAccess } from '../../../metrics-api/kube.js';
import { silentLogger } from '../../../metrics-api/log.js';
import type { PrometheusClient } from '../../../metrics-api/prometheus.js';

const defaults = { mesh: 'istio' as const, prometheusUrl: 'http://prom.istio-system:9090' };

describe('metrics API: follows the adapter ConfigMap', () => {
  it('settingsFrom: known mesh and http(s) URL taken, anything else keeps the default', () => {
    expect(settingsFrom({ mesh: 'linkerd', prometheusUrl: 'http://prometheus.linkerd-viz.svc:9090' }, defaults)).to.deep.equal({ mesh: 'linkerd', prometheusUrl: 'http://prometheus.linkerd-viz.svc:9090' });
    expect(settingsFrom({ mesh: 'kuma', prometheusUrl: 'file:///etc/passwd' }, defaults)).to.deep.equal(defaults);
    expect(settingsFrom(undefined, defaults)).to.deep.equal(defaults);
    expect(settingsFrom({ mesh: 'gamma' }, defaults).mesh, 'gamma has no metrics of its own').to.equal('istio');
  });

  it('follower: switches on refresh, back to defaults when the ConfigMap is deleted, keeps the last good one on errors', async () => {
    let answer: Awaited<ReturnType<KubeAccess['getConfigMap']>> = ok({ mesh: 'consul' });
    const kube = { getConfigMap: () => Promise.resolve(answer) } as unknown as KubeAccess;
    const f = new MeshConfigFollower(kube, { namespace: 'smi-system', name: 'smi-operator-config' }, defaults);
    expect(f.settings().mesh).to.equal('istio');
    await f.refresh();
    expect(f.settings().mesh).to.equal('consul');
    answer = fail('InternalError', 'boom');
    await f.refresh();
    expect(f.settings().mesh).to.equal('consul');
    answer = fail('NotFound', 'gone');
    await f.refresh();
    expect(f.settings()).to.deep.equal(defaults);
  });

  it('the handler queries the mesh and Prometheus current at each request', async () => {
    let mesh: 'istio' | 'linkerd' = 'istio';
    const seen: string[] = [];
    const prom = (name: string): PrometheusClient => ({
      query: (q: string) => {
        seen.push(`${name}:${q.includes('istio_') ? 'istio' : 'linkerd'}`);
        return Promise.resolve(ok([]));
      },
    }) as unknown as PrometheusClient;
    const a = prom('a');
    const b = prom('b');
    let current = a;
    const kube = { selectNames: () => Promise.resolve(ok([])) } as unknown as KubeAccess;
    const h = createHandler({ mesh: () => mesh, prometheus: () => current, kube, frontProxy: undefined, logger: silentLogger(), now: () => 1_700_000_000_000 });
    const get = () => h({ method: 'GET', url: '/apis/metrics.smi-spec.io/v1alpha1/namespaces/shop/deployments/web', headers: {}, peer: { verified: false } });
    await get();
    mesh = 'linkerd';
    current = b;
    await get();
    expect(seen.length).to.be.greaterThan(1);
    expect(seen.filter((s) => s.startsWith('a:')).every((s) => s === 'a:istio')).to.equal(true);
    expect(seen.filter((s) => s.startsWith('b:')).every((s) => s === 'b:linkerd')).to.equal(true);
    expect(seen.some((s) => s.startsWith('b:'))).to.equal(true);
  });
});
