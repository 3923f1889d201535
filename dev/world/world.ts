// A benchmark "world": one namespace with N SMI objects' worth of apps, their
// context applied, an operator child process watching it, and trackers on the
// translated objects and the SMI statuses.

import type { TestCluster } from '../controlplane/cluster.js';
import type { KubeObject } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../adapters/types.js';
import { canonicalJson } from '../../operator/controller/labels.js';
import { BenchKube, sleep } from './kube.js';
import { OperatorProc } from './operator-proc.js';
import { Tracker, isReady } from './track.js';
import { app, apps, expectedNative, shared, smiObjects, type App } from './workload.js';

export const SMI_KINDS = [
  { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit' },
  { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget' },
  { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup' },
];
export const NATIVE_KINDS = [
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
];

export class World {
  apps: App[] = [];
  expected: KubeObject[] = [];
  op: OperatorProc | undefined;
  native = new Map<string, Tracker>();
  smi = new Map<string, Tracker>();
  /** Pending converged() waits: stop() ends them (a failed run must not keep a 30-minute timer alive). */
  private readonly waits = new Set<(e: Error) => void>();

  constructor(
    readonly k: BenchKube,
    readonly cluster: TestCluster,
    readonly ns: string,
    readonly concurrency: number,
  ) {}

  static async create(k: BenchKube, cluster: TestCluster, nSmi: number, concurrency: number): Promise<World> {
    const w = new World(k, cluster, await k.createNamespace(`bench-${nSmi}`), concurrency);
    w.apps = apps(w.ns, nSmi);
    w.expected = expectedNative(w.ns, w.apps);
    await k.applyAll([...shared(w.ns), ...w.apps.flatMap((a) => a.context)], concurrency);
    return w;
  }

  get smiObjects(): KubeObject[] {
    return smiObjects(this.apps);
  }

  async startOperator(logLevel?: string): Promise<OperatorProc> {
    this.op = await new OperatorProc({ kubeconfigPath: this.cluster.kubeconfigPath, namespace: this.ns, ...(logLevel ? { logLevel } : {}) }).start();
    return this.op;
  }

  async track(): Promise<void> {
    for (const t of NATIVE_KINDS) this.native.set(t.kind, await new Tracker(this.k.client, t.apiVersion, t.kind, this.ns, `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`).start());
    for (const t of SMI_KINDS) this.smi.set(t.kind, await new Tracker(this.k.client, t.apiVersion, t.kind, this.ns).start());
  }

  /** The expected object is there with the expected spec (the operator adds ownerReferences with uids, so no hash compare). */
  private matches(e: KubeObject): boolean {
    const o = this.native.get(e.kind)?.objects.get(e.metadata.name);
    return !!o && canonicalJson((o as { spec?: unknown }).spec) === canonicalJson((e as { spec?: unknown }).spec);
  }

  nativeComplete(expected = this.expected): boolean {
    return expected.every((e) => this.matches(e));
  }

  allReady(): boolean {
    for (const t of this.smi.values()) for (const o of t.objects.values()) if (!isReady(o)) return false;
    return true;
  }

  /**
   * Resolves with the time (performance.now()) of the event after which every translated object is
   * right and every SMI object is Ready. Incremental: each event re-checks only its own object (at
   * 10,000 objects, re-checking all of them on every event kept the benchmark itself busy for
   * minutes after the operator was done, and that time was counted as the operator's).
   */
  async converged(timeoutMs: number, expected = this.expected): Promise<number> {
    const specOf = (o: KubeObject): string => canonicalJson((o as { spec?: unknown }).spec);
    const want = new Map(expected.map((e) => [`${e.kind}/${e.metadata.name}`, specOf(e)]));
    const missing = new Set<string>();
    const notReady = new Set<string>();
    const recheckAll = (): void => {
      missing.clear();
      notReady.clear();
      for (const e of expected) if (!this.matches(e)) missing.add(`${e.kind}/${e.metadata.name}`);
      for (const [kind, t] of this.smi) for (const o of t.objects.values()) if (!isReady(o)) notReady.add(`${kind}/${o.metadata.name}`);
    };
    const smiSeen = (): number => [...this.smi.values()].reduce((a, t) => a + t.objects.size, 0);
    const done = (): boolean => missing.size === 0 && notReady.size === 0 && smiSeen() >= this.smiObjects.length;
    recheckAll();
    if (done()) return performance.now();
    return new Promise<number>((resolve, reject) => {
      const offs: Array<() => void> = [];
      const end = (): void => {
        for (const off of offs) off();
        clearTimeout(timer);
        this.waits.delete(cancel);
      };
      const cancel = (e: Error): void => {
        end();
        reject(e);
      };
      this.waits.add(cancel);
      const check = (at: number): void => {
        if (!done()) return;
        end();
        resolve(at);
      };
      for (const [kind, t] of this.native) {
        offs.push(
          t.listen((type, o, at) => {
            if (!o) recheckAll();
            else {
              const k = `${kind}/${o.metadata.name}`;
              const s = want.get(k);
              if (s === undefined) return;
              if (type !== 'DELETED' && specOf(o) === s) missing.delete(k);
              else missing.add(k);
            }
            check(at);
          }),
        );
      }
      for (const [kind, t] of this.smi) {
        offs.push(
          t.listen((type, o, at) => {
            if (!o) recheckAll();
            else if (type === 'DELETED' || isReady(o)) notReady.delete(`${kind}/${o.metadata.name}`);
            else notReady.add(`${kind}/${o.metadata.name}`);
            check(at);
          }),
        );
      }
      const timer = setTimeout(() => {
        end();
        reject(new Error(`not converged after ${timeoutMs} ms: ${missing.size} native objects missing/stale, ${notReady.size} SMI objects not Ready, ${smiSeen()} of ${this.smiObjects.length} SMI objects seen`));
      }, timeoutMs);
    });
  }

  /** Waits until the operator has done nothing (reconciles and writes) for quietMs. */
  async settle(quietMs = 3000, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const sample = async (): Promise<string> => {
      const m = await this.op!.metrics();
      const s = (n: string): number => m.filter((x) => x.name === n).reduce((a, x) => a + x.value, 0);
      return `${s('smi_operator_reconciles_total')}/${s('smi_operator_writes_total')}/${s('smi_operator_queue_depth')}`;
    };
    let last = await sample();
    let since = Date.now();
    while (Date.now() < deadline) {
      await sleep(500);
      const cur = await sample();
      if (cur !== last) {
        last = cur;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return;
    }
    throw new Error(`operator did not settle within ${timeoutMs} ms`);
  }

  /** After SMI edits: what the operator must now have written. */
  refreshExpected(): void {
    this.expected = expectedNative(this.ns, this.apps);
  }

  appByIndex(i: number): App {
    return this.apps[i] ?? app(this.ns, i);
  }

  async stop(): Promise<void> {
    for (const cancel of [...this.waits]) cancel(new Error('world stopped before it converged'));
    for (const t of [...this.native.values(), ...this.smi.values()]) t.stop();
    await this.op?.stop();
  }
}
