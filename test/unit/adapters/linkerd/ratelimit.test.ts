// RateLimitPolicy -> Linkerd HTTPLocalRateLimitPolicy: attached only to the Servers the
// destination policy already emits, never admitting more than the policy's token bucket.
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../../adapters/index.js';
import { linkerdRate } from '../../../../adapters/linkerd/ratelimit.js';
import { DEFAULT_MESH_OPTIONS, type MeshOptions, type ObjectResult } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import type { RateLimitUnit } from '../../../../schemas/policy-types.js';
import { schemaErrors } from './crd-schema.js';

const FIXTURE = new URL('../../../../../test/fixtures/adapters/policy-rate-limit/all.yaml', import.meta.url);
const objects = (): KubeObject[] => (yaml.loadAll(readFileSync(FIXTURE, 'utf8')) as KubeObject[]).filter((o) => o && o.kind);
const run = (objs: KubeObject[], options: MeshOptions = DEFAULT_MESH_OPTIONS, context = false) => {
  const { snapshot, problems } = buildSnapshot(objs);
  expect(problems).to.deep.equal([]);
  if (context) {
    snapshot.contextTrafficTargets = snapshot.trafficTargets;
    snapshot.trafficTargets = [];
  }
  return getAdapter('linkerd').translate(snapshot, options);
};
const result = (rs: ObjectResult[], ref: string): ObjectResult => rs.find((r) => r.object === ref)!;
const limits = (objs: KubeObject[]) => objs.filter((o) => o.kind === 'HTTPLocalRateLimitPolicy');
const SECONDS: Record<RateLimitUnit, number> = { second: 1, minute: 60, hour: 3600 };

describe('linkerd: RateLimitPolicy -> HTTPLocalRateLimitPolicy', () => {
  it('attaches to the destination Server of the pod port the Service reaches: 6000/minute burst 200 is 100 per second', () => {
    const { objects: out, results } = run(objects());
    const [rl, ...rest] = limits(out);
    expect(rest).to.have.length(0);
    expect(rl!.metadata.name).to.equal('rl-tt-api-8080');
    expect(rl!.spec).to.deep.equal({ targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'tt-api-8080' }, total: { requestsPerSecond: 100 } });
    // The Server it names is one the destination policy emits (no Server is made for the limit).
    const server = out.find((o) => o.kind === 'Server' && o.metadata.name === 'tt-api-8080')!;
    expect((server.spec as { port: unknown }).port).to.equal(8080);
    expect(out.filter((o) => o.kind === 'Server')).to.have.length(1);
    expect(rl!.metadata.ownerReferences ?? []).to.satisfy((refs: Array<{ kind: string }>) => refs.every((r) => r.kind === 'RateLimitPolicy'));
    const api = result(results, 'RateLimitPolicy shop/api-rate');
    expect(api.status).to.equal('Accepted');
    expect(api.messages.join('\n')).to.contain('not 200 (narrower)').and.contain('always rejects with 429, not 503');
    for (const o of limits(out)) expect(schemaErrors(o), o.metadata.name).to.deep.equal([]);
  });

  it('no Server for the pods (no TrafficTarget), matches, or accessMode permissive: Unsupported and nothing emitted for them', () => {
    const { objects: out, results } = run(objects());
    expect(result(results, 'RateLimitPolicy shop/worker-rate').status).to.equal('Unsupported');
    expect(result(results, 'RateLimitPolicy shop/worker-rate').messages.join(' ')).to.contain('ServiceAccount worker is no TrafficTarget destination');
    expect(result(results, 'RateLimitPolicy shop/reports-rate').status).to.equal('Unsupported');
    expect(limits(out).map((o) => (o.spec as { targetRef: { name: string } }).targetRef.name)).to.deep.equal(['tt-api-8080']);
    const permissive = run(objects(), { ...DEFAULT_MESH_OPTIONS, accessMode: 'permissive' });
    expect(limits(permissive.objects)).to.have.length(0);
    expect(result(permissive.results, 'RateLimitPolicy shop/api-rate').status).to.equal('Unsupported');
  });

  it('with the TrafficTargets as context (another unit renders them): the same limit, and none of their objects', () => {
    const whole = run(objects());
    const ctx = run(objects(), DEFAULT_MESH_OPTIONS, true);
    expect(ctx.objects.filter((o) => o.kind !== 'HTTPLocalRateLimitPolicy')).to.deep.equal([]);
    expect(limits(ctx.objects)).to.deep.equal(limits(whole.objects));
    expect(ctx.results.some((r) => r.kind === 'TrafficTarget')).to.equal(false);
    expect(result(ctx.results, 'RateLimitPolicy shop/api-rate')).to.deep.equal(result(whole.results, 'RateLimitPolicy shop/api-rate'));
  });

  it('a pod reached on two ports shares the per-pod limit between their Servers', () => {
    const objs = objects().map((o) => {
      if (o.kind === 'Deployment' && o.metadata.name === 'api') {
        const d = structuredClone(o) as KubeObject & { spec: { template: { spec: { containers: Array<{ ports: unknown[] }> } } } };
        d.spec.template.spec.containers[0]!.ports.push({ name: 'admin', containerPort: 8081 });
        return d;
      }
      if (o.kind === 'Service' && o.metadata.name === 'api') return { ...o, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'admin', port: 81, targetPort: 8081 }] } } as KubeObject;
      return o;
    });
    const out = run(objs);
    expect(limits(out.objects).map((o) => [(o.spec as { targetRef: { name: string } }).targetRef.name, (o.spec as { total: { requestsPerSecond: number } }).total.requestsPerSecond])).to.deep.equal([
      ['tt-api-8080', 50],
      ['tt-api-8081', 50],
    ]);
  });

  it('property: Linkerd\'s limit (r at once, r per second) never admits more than the policy\'s bucket, and is exact when it can be', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom<RateLimitUnit>('second', 'minute', 'hour'), fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }), (requests, unit, burst) => {
        const r = linkerdRate(burst === undefined ? { requests, unit } : { requests, unit, burst });
        const rate = requests / SECONDS[unit];
        const bucket = burst ?? requests;
        if (!r.ok) return Math.min(Math.floor(rate), bucket) < 1;
        // Every window t seconds long: Linkerd admits at most r + r*t, the policy at most bucket + rate*t.
        if (r.rps > bucket || r.rps > rate) return false;
        if (unit === 'second' && bucket === requests) return r.rps === requests && r.remarks.length === 0;
        return r.remarks.length > 0;
      }),
    );
  });
});
