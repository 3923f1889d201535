// The one cache every consumer reads: an informer per watched kind, and one
// change feed (kind, old, new) for the indexes and the queue.

import type { KubeObject } from '../../schemas/hub.js';
import type { KubeClient } from '../../kube/client.js';
import type { Logger } from '../../log/log.js';
import { TextDictionary } from './compact.js';
import { Informer, type InformerOptions, type ResourceKind } from './informer.js';

export type ChangeListener = (kind: string, old: KubeObject | undefined, next: KubeObject | undefined) => void;

export class ClusterCache {
  private readonly informers = new Map<string, Informer>();
  private readonly listeners: ChangeListener[] = [];
  /** One dictionary for every compact store: the namespaces recur across kinds. */
  private readonly dictionary = new TextDictionary();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly onRelist?: (kind: string) => void,
  ) {}

  /**
   * Register a kind before start(). `key` names it in get/list and change events:
   * the Kind for core and SMI kinds, `group/Kind` for mesh kinds (Istio and
   * Linkerd both have an AuthorizationPolicy).
   */
  watch(kind: ResourceKind, opts: InformerOptions, key = kind.kind): void {
    if (this.informers.has(key)) return;
    const inf = new Informer(this.client, kind, opts.compact ? { dictionary: this.dictionary, ...opts } : opts, this.log, this.onRelist);
    inf.onEvent((e) => {
      if (e.type === 'upsert') this.emit(key, e.old, e.obj);
      else this.emit(key, e.obj, undefined);
    });
    this.informers.set(key, inf);
  }

  keys(): string[] {
    return [...this.informers.keys()];
  }

  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  private emit(kind: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
    for (const l of this.listeners) l(kind, old, next);
  }

  start(): void {
    for (const i of this.informers.values()) i.start();
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }

  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }

  isSynced(): boolean {
    return [...this.informers.values()].every((i) => i.isSynced);
  }

  informer(kind: string): Informer | undefined {
    return this.informers.get(kind);
  }

  kinds(): ResourceKind[] {
    return [...this.informers.values()].map((i) => i.kind);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.informers.get(kind)?.get(namespace, name);
  }

  list(kind: string): KubeObject[] {
    return this.informers.get(kind)?.list() ?? [];
  }

  relists(): number {
    let n = 0;
    for (const i of this.informers.values()) n += i.relists;
    return n;
  }
}
