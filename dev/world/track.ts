// Tracks one kind in one namespace through list+watch, so the benchmarks see
// the moment a condition becomes true (no polling granularity, no list load).

import type { HttpKubeClient, WatchHandle } from '../../kube/client.js';
import type { KubeObject } from '../../schemas/hub.js';
import { pathOf } from './kube.js';

export class Tracker {
  readonly objects = new Map<string, KubeObject>();
  private rv = '';
  private handle: WatchHandle | undefined;
  private stopped = false;
  private waiters: Array<() => void> = [];
  /** ms timestamp (performance.now) of the last event per object name. */
  readonly seenAt = new Map<string, number>();
  onEvent?: (type: string, o: KubeObject, at: number) => void;
  /** Told every change (`o` undefined: the tracker relisted, anything may have changed). */
  private readonly listeners = new Set<(type: string, o: KubeObject | undefined, at: number) => void>();

  /** Calls fn on every change until the returned function is called. */
  listen(fn: (type: string, o: KubeObject | undefined, at: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  constructor(
    private readonly client: HttpKubeClient,
    private readonly apiVersion: string,
    private readonly kind: string,
    private readonly ns: string,
    private readonly labelSelector?: string,
  ) {}

  async start(): Promise<this> {
    const path = pathOf({ apiVersion: this.apiVersion, kind: this.kind, metadata: { namespace: this.ns } });
    // A freshly (re)started API server answers 'storage is (re)initializing' for a while: retry.
    const deadline = Date.now() + 60_000;
    let r = await this.client.request<{ metadata: { resourceVersion: string }; items: KubeObject[] }>('GET', path, { query: { labelSelector: this.labelSelector }, timeoutMs: 120_000 });
    while (!r.ok && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      r = await this.client.request('GET', path, { query: { labelSelector: this.labelSelector }, timeoutMs: 120_000 });
    }
    if (!r.ok) throw new Error(`list ${this.kind}: ${r.error.message}`);
    for (const o of r.body.items) this.objects.set(o.metadata.name, o);
    this.rv = r.body.metadata.resourceVersion;
    void this.loop(path);
    return this;
  }

  private async loop(path: string): Promise<void> {
    while (!this.stopped) {
      let gone = false;
      this.handle = this.client.watch(path, { resourceVersion: this.rv, allowWatchBookmarks: true, labelSelector: this.labelSelector, timeoutSeconds: 300 }, (e) => {
        const o = e.object as unknown as KubeObject;
        const rv = o?.metadata?.resourceVersion;
        if (rv) this.rv = rv;
        // An expired resourceVersion usually arrives in-stream: an ERROR event carrying a 410 Status.
        if (e.type === 'ERROR') gone ||= (e.object as { code?: number }).code === 410;
        if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
        const at = performance.now();
        if (e.type === 'DELETED') this.objects.delete(o.metadata.name);
        else this.objects.set(o.metadata.name, o);
        this.seenAt.set(o.metadata.name, at);
        this.onEvent?.(e.type, o, at);
        for (const l of this.listeners) l(e.type, o, at);
        this.notify();
      });
      const end = await this.handle.done;
      if (gone || end.error?.status === 410) {
        // Expired: relist (rare in a benchmark window).
        const r = await this.client.request<{ metadata: { resourceVersion: string }; items: KubeObject[] }>('GET', path, { query: { labelSelector: this.labelSelector } });
        if (r.ok) {
          this.objects.clear();
          for (const o of r.body.items) this.objects.set(o.metadata.name, o);
          this.rv = r.body.metadata.resourceVersion;
          for (const l of this.listeners) l('RELIST', undefined, performance.now());
          this.notify();
        }
      } else if (end.error) await new Promise((r) => setTimeout(r, 200));
    }
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves (with the performance.now() time) once pred holds over the tracked objects. */
  async until(what: string, pred: (objs: Map<string, KubeObject>) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.objects)) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.kind}: ${this.objects.size} tracked)`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 1000);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
    return performance.now();
  }

  /** Resolves at the next event (or after maxMs). */
  changed(maxMs = 1000): Promise<void> {
    return new Promise<void>((r) => {
      const t = setTimeout(r, maxMs);
      this.waiters.push(() => (clearTimeout(t), r()));
    });
  }

  stop(): void {
    this.stopped = true;
    this.handle?.abort();
  }
}

type Cond = { type: string; status: string };
/** Ready=True for the object's current generation. */
export function isReady(o: KubeObject): boolean {
  const st = (o as { status?: { observedGeneration?: number; conditions?: Cond[] } }).status;
  return st?.observedGeneration === o.metadata.generation && !!st?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}
