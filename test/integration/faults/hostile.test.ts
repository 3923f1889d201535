// The hostile input corpus (issue 18) against the admission webhook and the operator,
// both in this process as `smictl operator` runs them, with leader election on.
// First straight to the API server (as if stored while the webhook was down or before
// it existed), then through the webhook. Throughout: the Lease is held, /healthz
// answers (probed from another process), every admission costs this thread at most a
// budget set by the reference heavy group's validation in the same run, and so does
// every synchronous validation or translation in the operator; afterwards the operator
// converges and no governed destination is granted anything it was not before.

import { expect } from 'chai';
import { DEFAULT_MESH_OPTIONS } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { Offload } from '../../../operator/offload/offload.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { eventually, newNamespace, runOperator, TestKube } from '../operator/helpers.js';
import { cpuMs, GOVERNED, governedWorld, hostileObjects, referenceGroup } from '../../unit/fuzz/hostile-corpus.js';
import { expectNotWider } from '../../unit/fuzz/narrower.js';
import { SERVED_API_VERSIONS } from '../../unit/fuzz/generators.js';
import { validateSmiObject } from '../../../schemas/validate.js';
import { converged, expectAlive, expectLeaseHeld, managedIstio, startProber, startWebhook, watchLease, type InProcessWebhook } from './liveness.js';

const LEASE_SECONDS = 15;
const SMI_GROUP = /\.smi-spec\.io\//;

/** Applies each object; the API server's or the webhook's refusals are collected, not thrown. */
async function applyAll(k: TestKube, objs: readonly KubeObject[]): Promise<Array<{ obj: KubeObject; error?: string }>> {
  const out: Array<{ obj: KubeObject; error?: string }> = [];
  for (const obj of objs) {
    try {
      await k.apply(obj);
      out.push({ obj });
    } catch (e) {
      out.push({ obj, error: (e as Error).message });
    }
  }
  return out;
}

/** Renamed copies, so the same corpus can be created a second time. */
const renamed = (objs: readonly KubeObject[], suffix: string): KubeObject[] => objs.filter((o) => SMI_GROUP.test(o.apiVersion)).map((o) => ({ ...structuredClone(o), metadata: { ...o.metadata, name: `${o.metadata.name}${suffix}` } }));

describe('faults: the hostile input corpus against the webhook and the operator (issue 18)', function () {
  this.timeout(900_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  let webhook: InProcessWebhook | undefined;
  /** Stops the lease watch and the prober even when the test fails midway. */
  const cleanups: Array<() => unknown> = [];
  /** The test's own translations, off this (the operator's) event loop. */
  const translator = new Offload();

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('hostile');
  });

  after(async () => {
    for (const c of cleanups.splice(0)) await c();
    await translator.close();
    await op?.stop();
    await webhook?.close();
  });

  it('holds the lease, answers /healthz, bounds the work per object and never opens a governed destination', async () => {
    const options = DEFAULT_MESH_OPTIONS;
    for (const o of governedWorld(ns)) await k.apply(o);
    op = await runOperator(ns, { leaderElect: true, leaseDurationSeconds: LEASE_SECONDS, healthPort: 0 });
    const identity = op.identity;
    await eventually('leadership', async () => op!.isLeader(), 60_000);
    await eventually('the governed world converged', async () => (await converged(k, ns, 'istio', options, translator)) === true, 120_000, 1000);
    const before = await managedIstio(k, ns);

    // The budget, from this run: validating the reference heavy group from scratch (every regex new)
    // on this thread, the most an ordinary object costs. Each kind's schema validator is built on its
    // first use in this process: once, not per object, so not part of it.
    for (const v of SERVED_API_VERSIONS) validateSmiObject({ apiVersion: v.apiVersion, kind: v.kind, metadata: { name: 'warm-up', namespace: ns } });
    const reference = cpuMs(() => validateSmiObject(referenceGroup(ns, 'reference'))).ms;
    const budgetMs = 2 * reference;

    const lease = watchLease(k.client, ns, 'smi-operator-leader');
    const prober = startProber(`http://127.0.0.1:${op.healthPort}/healthz`, 250);
    cleanups.push(() => lease.stop(), () => prober.stop());
    await eventually('a renewal seen by the watch', async () => lease.seen.length > 0, 30_000);
    const from = Date.now();

    // 1. Straight to the API server: only its own schema (sizes, shapes) stands in the way.
    const corpus = hostileObjects(ns);
    const stored = await applyAll(k, corpus);
    const storedSmi = stored.filter((s) => !s.error && SMI_GROUP.test(s.obj.apiVersion)).length;
    expect(storedSmi, 'hostile SMI objects the API server stored without the webhook').to.be.greaterThan(10);

    // 2. Through the webhook (registered now, in this process): the corpus again, renamed.
    webhook = await startWebhook(k, ns);
    await eventually('the webhook answers the API server', async () => {
      await applyAll(k, [referenceGroup(ns, 'probe', { matches: 1, headers: 0, bytes: 16 })]);
      return webhook!.reviews.length > 0;
    });
    const seen = webhook.reviews.length;
    const admitted = await applyAll(k, renamed(corpus, '-w'));
    const denied = admitted.filter((a) => a.error && /denied the request/.test(a.error));
    expect(denied.length, 'the webhook denied the invalid hostile objects').to.be.greaterThan(5);
    for (const d of denied) expect(d.error, d.error).to.match(new RegExp(`${d.obj.kind} ${ns}/${d.obj.metadata.name.replace(/\./g, '\\.')}: \\S+: `));
    const reviews = webhook.reviews.filter((r) => r.path === '/validate');
    expect(reviews.length - seen, 'admissions of the corpus').to.be.greaterThan(20);
    for (const r of reviews.slice(seen)) {
      expect(r.cpuMs, `an admission of ${r.bytes} bytes took ${r.cpuMs.toFixed(1)} ms of the event loop's CPU; budget ${budgetMs.toFixed(0)} ms (2 × the reference's ${reference.toFixed(0)} ms)`).to.be.at.most(budgetMs);
    }

    // 3. The operator settles on exactly the translation of what is stored.
    let last: string | true = 'not checked';
    // Whether or not it converges, the lease and the probes are judged first: they say why.
    const notConverged = await eventually(
      'convergence',
      async () => {
        await op!.idle();
        last = await converged(k, ns, 'istio', options, translator);
        return last === true;
      },
      600_000,
      2000,
    ).catch((e: Error) => new Error(`${e.message} (last: ${String(last)})`));
    const to = Date.now();
    await eventually('a renewal after the window', async () => lease.seen.some((s) => s.renewTime > to), 2 * LEASE_SECONDS * 1000).catch(() => undefined);
    lease.stop();
    const probes = await prober.stop();

    expectLeaseHeld(lease.seen, identity, LEASE_SECONDS, from, to);
    expectAlive(probes, from, to);
    if (notConverged instanceof Error) throw notConverged;
    const after = await managedIstio(k, ns);
    for (const g of GOVERNED) expectNotWider('istio', before, after, { namespace: ns, sa: g.sa, labels: g.labels }, 'after the hostile corpus');

    // Every synchronous step of the operator on its event loop stayed within the budget.
    const budgetS = budgetMs / 1000;
    const h = (await op.metrics.loopCpu.get()).values.map((v) => ({ ...v, labels: v.labels as Record<string, string | number> }));
    for (const step of ['validate', 'translate']) {
      const buckets = h.filter((v) => v.labels.step === step && v.metricName?.endsWith('_bucket'));
      const total = buckets.find((b) => b.labels.le === '+Inf')?.value ?? 0;
      const within = buckets.filter((b) => b.labels.le !== '+Inf' && Number(b.labels.le) >= budgetS).sort((a, b) => Number(a.labels.le) - Number(b.labels.le))[0];
      expect(within, `a histogram bucket at or above ${budgetS} s`).to.not.equal(undefined);
      expect(within!.value, `${step}: ${total - within!.value} synchronous steps took more than ${String(within!.labels.le)} s of CPU (budget ${budgetS.toFixed(3)} s: 2 × the reference)`).to.equal(total);
    }
  });
});
