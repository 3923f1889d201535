// One kind's list+watch into an in-memory store (a reflector). Lists once,
// then watches from the list's resourceVersion with bookmarks so reconnects
// resume instead of relisting; relists only on 410 Gone. A kind whose API is
// not served (CRD not installed) counts as synced-and-empty and is re-probed.

import type { KubeObject } from '../../schemas/hub.js';
import { resourcePath, type KubeClient, type WatchEvent, type WatchHandle } from '../../kube/client.js';
import type { Logger } from '../../log/log.js';
import type { ResourceKind } from '../../kube/rest-mapper.js';
import { JsonCodec, type Stored, type TextDictionary } from './compact.js';

export type { ResourceKind };

export type StoreEvent = { type: 'upsert'; obj: KubeObject; old?: KubeObject } | { type: 'delete'; obj: KubeObject };

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Delay before retrying after errors and before re-probing a missing API. */
  retryMs?: number;
  /** What to keep of each object (./transform.ts); managedFields are always dropped. */
  transform?: (o: KubeObject) => KubeObject;
  /**
   * Keep each object as its JSON text (./compact.ts) and parse it on every read: for the kinds
   * held by the thousand (SMI, Services, workloads, native objects). Reads then return a fresh
   * object each time (but for an object over compact.ts's MAX_TEXT); without it they return the
   * stored object itself (shared: never mutate it).
   */
  compact?: boolean;
  /** The fragments a compact store replaces, shared by a cache's informers (ClusterCache gives one). */
  dictionary?: TextDictionary;
}

/** The store's key, one flat string (a template literal would keep a V8 cons string and its parts). */
export const objectKey = (o: { metadata: { namespace?: string; name: string } }): string =>
  [o.metadata.namespace ?? '', o.metadata.name].join('/');

/** managedFields are 20-30% of an object and never read here: drop before caching. */
function strip(o: KubeObject): KubeObject {
  if (o.metadata && 'managedFields' in o.metadata) {
    const { managedFields: _mf, ...meta } = o.metadata;
    return { ...o, metadata: meta as KubeObject['metadata'] };
  }
  return o;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      r();
    }, { once: true });
  });

export class Informer {
  /** Objects by `namespace/name`, as kept (see InformerOptions.compact): read them through get() and list(). */
  readonly store = new Map<string, Stored>();
  private readonly codec: JsonCodec | undefined;
  private listeners: Array<(e: StoreEvent) => void> = [];
  private rv = '';
  private watch: WatchHandle | undefined;
  private readonly abort = new AbortController();
  private syncedResolve!: () => void;
  readonly synced: Promise<void> = new Promise((r) => (this.syncedResolve = r));
  isSynced = false;
  /** False while the API server does not serve this kind. */
  available = true;
  relists = 0;

  constructor(
    private readonly client: KubeClient,
    readonly kind: ResourceKind,
    private readonly opts: InformerOptions,
    private readonly log: Logger,
    private readonly onRelist?: (kind: string) => void,
  ) {
    this.codec = opts.compact ? new JsonCodec(kind.apiVersion, kind.kind, opts.dictionary) : undefined;
  }

  private decode(s: Stored): KubeObject;
  private decode(s: Stored | undefined): KubeObject | undefined;
  private decode(s: Stored | undefined): KubeObject | undefined {
    if (s === undefined || !this.codec) return s as KubeObject | undefined;
    return this.codec.decode(s);
  }

  onEvent(fn: (e: StoreEvent) => void): void {
    this.listeners.push(fn);
  }

  list(): KubeObject[] {
    return [...this.store.values()].map((s) => this.decode(s));
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.decode(this.store.get(`${namespace ?? ''}/${name}`));
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.watch?.abort();
  }

  private paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;

  /** Stop watching until resumeFrom() (tests: simulate a client that fell behind). */
  pause(): void {
    if (!this.paused) this.paused = new Promise((r) => (this.unpause = r));
    this.watch?.abort();
  }

  /** Watch again from `rv`; an expired resourceVersion must lead to a relist, not a lost update. */
  resumeFrom(rv: string): void {
    this.rv = rv;
    const u = this.unpause;
    this.paused = undefined;
    this.unpause = undefined;
    if (u) u();
    else this.watch?.abort();
  }

  get resourceVersion(): string {
    return this.rv;
  }

  private emit(e: StoreEvent): void {
    for (const l of this.listeners) l(e);
  }

  /**
   * Store one change and tell the listeners. A listener that throws (a bug in an index or the
   * queue) must not leave the store ahead of them: the entry is put back as it was, the error
   * logged with its context and rethrown, and the informer relists, which delivers the change again.
   */
  private commit(k: string, e: StoreEvent, prev: Stored | undefined): void {
    if (e.type === 'upsert') this.store.set(k, this.codec ? this.codec.encode(e.obj) : e.obj);
    else this.store.delete(k);
    try {
      this.emit(e);
    } catch (err) {
      if (prev) this.store.set(k, prev);
      else this.store.delete(k);
      this.rv = '';
      this.log.error('change handler failed; relisting to deliver the change again', {
        kind: this.kind.kind,
        object: k,
        change: e.type,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      throw err;
    }
  }

  /** What the store holds of an object from the API server. */
  private keep(o: KubeObject): KubeObject {
    const t = this.opts.transform;
    return t ? t(strip(o)) : strip(o);
  }

  private path(): string {
    return resourcePath(this.kind.apiVersion, this.kind.plural, this.kind.namespaced ? this.opts.namespace : undefined);
  }

  private async run(): Promise<void> {
    const retry = this.opts.retryMs ?? 1000;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      if (!this.rv) {
        const ok = await this.relist();
        if (!ok) {
          failures++;
          await sleep(Math.min(retry * 2 ** Math.min(failures, 5), 30_000), this.abort.signal);
          continue;
        }
      }
      failures = 0;
      if (this.paused) {
        await this.paused;
        continue;
      }
      const started = Date.now();
      const outcome = await this.watchOnce();
      if (outcome === 'gone') {
        this.log.info('watch expired (410 Gone): relisting', { kind: this.kind.kind });
        this.rv = '';
      } else if (outcome === 'error' || (outcome === 'closed' && Date.now() - started < 1000)) {
        // A stream closed at once (e.g. an API server shutting down) is retried after a pause, not in a hot loop.
        await sleep(retry, this.abort.signal);
      }
    }
  }

  /** Full list; replaces the store and emits the differences. */
  private async relist(): Promise<boolean> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const r = await this.client.request<{ metadata: { resourceVersion: string; continue?: string }; items: KubeObject[] }>(
        'GET',
        this.path(),
        { query: { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, limit: 500, continue: cont } },
      );
      if (!r.ok) {
        if (r.error.status === 404) {
          // API not served (e.g. that mesh's CRDs are not installed): empty, synced, re-probe later.
          if (this.available) this.log.info('kind not served by the API server; will re-probe', { kind: this.kind.kind });
          this.available = false;
          this.replace([]); // a failed delivery leaves rv empty: retried with the re-probe
          this.markSynced();
          return false;
        }
        if (r.error.status === 410 && cont) {
          cont = undefined; // continue token expired mid-list: start over
          items.length = 0;
          continue;
        }
        // 429 right after CRDs are installed ("storage is (re)initializing") is routine: retried quietly.
        const level = r.error.status === 429 ? 'debug' : 'warn';
        this.log.log(level, 'list failed; retrying', { kind: this.kind.kind, error: r.error.message, status: r.error.status });
        return false;
      }
      for (const it of r.body.items) {
        // List items carry no apiVersion/kind.
        items.push(this.keep({ ...it, apiVersion: this.kind.apiVersion, kind: this.kind.kind }));
      }
      cont = r.body.metadata.continue || undefined;
      rv = r.body.metadata.resourceVersion;
    } while (cont);
    if (!this.available) this.log.info('kind is now served', { kind: this.kind.kind });
    this.available = true;
    if (this.isSynced) {
      this.relists++;
      this.onRelist?.(this.kind.kind);
    }
    // No resourceVersion (and not synced) until every change was delivered: the next relist retries the rest.
    if (!this.replace(items)) return false;
    this.rv = rv;
    this.markSynced();
    return true;
  }

  private markSynced(): void {
    if (!this.isSynced) {
      this.isSynced = true;
      this.syncedResolve();
    }
  }

  /** Make the store equal `items`, emitting the differences; false when a listener failed on one (logged by commit). */
  private replace(items: KubeObject[]): boolean {
    const seen = new Set<string>();
    let delivered = true;
    const tryCommit = (k: string, e: StoreEvent, prev: Stored | undefined): void => {
      try {
        this.commit(k, e, prev);
      } catch {
        delivered = false;
      }
    };
    for (const o of items) {
      const k = objectKey(o);
      seen.add(k);
      const prev = this.store.get(k);
      const old = this.decode(prev);
      if (old && old.metadata.resourceVersion === o.metadata.resourceVersion) continue;
      tryCommit(k, old ? { type: 'upsert', obj: o, old } : { type: 'upsert', obj: o }, prev);
    }
    for (const [k, s] of [...this.store]) if (!seen.has(k)) tryCommit(k, { type: 'delete', obj: this.decode(s) }, s);
    return delivered;
  }

  private async watchOnce(): Promise<'gone' | 'closed' | 'error'> {
    let gone = false;
    let failed = false;
    const handle = this.client.watch(
      this.path(),
      {
        resourceVersion: this.rv,
        allowWatchBookmarks: true,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        // Server-side timeout, jittered so watches of all kinds do not reconnect together.
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      },
      (e: WatchEvent) => {
        if (e.type === 'ERROR') {
          const code = (e.object as { code?: number }).code;
          if (code === 410) gone = true;
          else {
            failed = true; // retried after a delay, not in a hot loop
            this.log.warn('watch error event', { kind: this.kind.kind, object: JSON.stringify(e.object).slice(0, 300) });
          }
          handle.abort();
          return;
        }
        if (e.type === 'BOOKMARK') {
          const rv = (e.object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
          if (rv) this.rv = rv;
          return;
        }
        const obj = this.keep(e.object as unknown as KubeObject);
        const rv = obj.metadata?.resourceVersion;
        const k = objectKey(obj);
        const prev = this.store.get(k);
        const old = this.decode(prev);
        // Throws on a listener failure: the client ends the watch with it and run() relists.
        if (e.type === 'DELETED') this.commit(k, { type: 'delete', obj }, prev);
        else this.commit(k, old ? { type: 'upsert', obj, old } : { type: 'upsert', obj }, prev);
        if (rv) this.rv = rv;
      },
    );
    this.watch = handle;
    const r = await handle.done;
    if (gone) return 'gone';
    if (failed) return 'error';
    if (r.error) {
      if (r.error.status === 410) return 'gone';
      if (r.error.status === 404) {
        this.rv = ''; // the kind went away: relist (which handles 404)
        return 'error';
      }
      // A listener failure was logged by commit(), with the object.
      if (!this.abort.signal.aborted && r.error.reason !== 'HandlerFailed') this.log.warn('watch failed', { kind: this.kind.kind, error: r.error.message });
      return 'error';
    }
    return 'closed';
  }
}
