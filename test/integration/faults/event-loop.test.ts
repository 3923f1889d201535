// Issue 18.7: lease renewal, /healthz and the webhook share one event loop with
// translation. A flood of heavy but valid objects (maximal route groups, each of its
// regexes new, named by many TrafficTargets; many splits) and two reconfigurations
// (each re-primes every unit) must not starve them. Observed, not timed: the Lease's
// renewTimes as the operator wrote them (a watch), /healthz from another process (as the
// kubelet probes), and afterwards the managed objects are the namespace's translation.
// Before: priming translated every unit in one synchronous run and the regexes were
// compiled on the event loop, so the lease lapsed and /healthz went unanswered.

import { expect } from 'chai';
import { DEFAULT_MESH_OPTIONS } from '../../../adapters/types.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { Offload } from '../../../operator/offload/offload.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { eventually, newNamespace, runOperator, TestKube } from '../operator/helpers.js';
import { deployment, referenceGroup, service, serviceAccount, split, target } from '../../unit/fuzz/hostile-corpus.js';
import { converged, expectAlive, expectLeaseHeld, startProber, startWebhook, watchLease, type InProcessWebhook } from './liveness.js';

const LEASE_SECONDS = 15; // the operator's default (smictl operator --lease-duration)
const GROUPS = 6; // 6 × ~700 new regexes: more than the 4,096 patterns the compile cache keeps
const TARGETS = 6;
const SPLITS = 6;

describe('faults: the event loop under a flood of heavy objects (issue 18.7)', function () {
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
    ns = await newNamespace('flood');
    webhook = await startWebhook(k, ns);
  });

  after(async () => {
    for (const c of cleanups.splice(0)) await c();
    await translator.close();
    await op?.stop();
    await webhook?.close();
  });

  it('keeps the lease, answers /healthz and converges', async () => {
    for (const o of [serviceAccount(ns, 'client'), deployment(ns, 'client', 'client', { app: 'client' })]) await k.apply(o);
    for (let i = 0; i < TARGETS; i++) for (const o of [serviceAccount(ns, `dest-${i}`), service(ns, `dest-${i}`, { app: `dest-${i}` }), deployment(ns, `dest-${i}`, `dest-${i}`, { app: `dest-${i}` })]) await k.apply(o);
    for (let i = 0; i < SPLITS; i++) for (const v of ['', '-v1', '-v2']) await k.apply(service(ns, `web-${i}${v}`, { app: `web-${i}`, ...(v ? { version: v.slice(1) } : {}) }));

    op = await runOperator(ns, { leaderElect: true, leaseDurationSeconds: LEASE_SECONDS, healthPort: 0 });
    const identity = op.identity;
    await eventually('leadership', async () => op!.isLeader(), 60_000);
    const lease = watchLease(k.client, ns, 'smi-operator-leader');
    const prober = startProber(`http://127.0.0.1:${op.healthPort}/healthz`, 250);
    cleanups.push(() => lease.stop(), () => prober.stop());
    await eventually('a renewal seen by the watch', async () => lease.seen.length > 0, 30_000);
    const from = Date.now();

    // The flood: heavy route groups (through the webhook), targets naming all of them, splits with matches.
    const groups = Array.from({ length: GROUPS }, (_, g) => referenceGroup(ns, `heavy-${g}`, { matches: 128, headers: 5, bytes: 1024 }));
    // One heavy group at a time: the webhook compiles each in its worker within the API server's 10 s call timeout.
    for (const g of groups) await k.apply(g);
    const objects: KubeObject[] = [
      ...Array.from({ length: TARGETS }, (_, i) => target(ns, `client-to-dest-${i}`, `dest-${i}`, ['client'], groups.map((g) => ({ kind: 'HTTPRouteGroup', name: g.metadata.name, matches: ['m0'] })))),
      ...Array.from({ length: SPLITS }, (_, i) => split(ns, `web-${i}`, `web-${i}`, [[`web-${i}-v1`, 90], [`web-${i}-v2`, 10]], undefined, [groups[i % GROUPS]!.metadata.name])),
    ];
    await Promise.all(objects.map((o) => k.apply(o)));
    // Two reconfigurations: each makes the leader translate every unit again before reconciling.
    const cm = (trustDomain: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smi-operator-config', namespace: ns }, data: { mesh: 'istio', trustDomain } }) as KubeObject;
    await k.apply(cm('flood.example'));
    await eventually('the first reconfiguration loaded', async () => op!.config().options.trustDomain === 'flood.example', 120_000);
    await k.apply(cm('cluster.local'));

    const options = { ...DEFAULT_MESH_OPTIONS, trustDomain: 'cluster.local' };
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
    // One more renewal after the window, so the whole window is covered.
    await eventually('a renewal after the window', async () => lease.seen.some((s) => s.renewTime > to), 2 * LEASE_SECONDS * 1000).catch(() => undefined);
    lease.stop();
    const probes = await prober.stop();

    const held = expectLeaseHeld(lease.seen, identity, LEASE_SECONDS, from, to);
    const alive = expectAlive(probes, from, to);
    if (notConverged instanceof Error) throw notConverged;
    expect(op.isLeader()).to.equal(true);
    expect(await op.metrics.offloaded.get().then((m) => m.values.reduce((a, v) => a + v.value, 0)), 'large units were translated in the worker').to.be.greaterThan(0);
    if (process.env.SMI_TEST_VERBOSE) console.log(`flood of ${(to - from) / 1000} s: ${held.renewals} renewals, largest gap ${held.maxGapMs} ms; ${alive.probes} probes, ${alive.failed} failed; ${webhook!.reviews.length} reviews`);
  });
});
