// A unit blocked by an object it may not overwrite (same name, not ours) waits
// for that object to go or to be labelled ours. The object carries no managed-by
// label, so the cache does not see it: one watch on just that object (field
// selector on its name) notices at once. Bounded in number; the unit's periodic
// re-check covers any overflow.

import type { KubeClient, WatchHandle } from '../../kube/client.js';
import type { KubeObject } from '../../schemas/hub.js';
import { isManaged, nativeKey } from './labels.js';

export const MAX_CONFLICT_WATCHES = 16;

export class ConflictWatches {
  private readonly watches = new Map<string, { units: Set<string>; handle?: WatchHandle }>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    /** REST path of the collection holding an object (the REST mapper), or undefined for an unknown kind. */
    private readonly collection: (o: KubeObject) => string | undefined,
    /** The blocking object went away or became ours: these units should look again. */
    private readonly unblocked: (unit: string) => void,
  ) {}

  watch(unit: string, o: KubeObject): void {
    const key = nativeKey(o);
    const cur = this.watches.get(key);
    if (cur) {
      cur.units.add(unit);
      return;
    }
    const collection = this.collection(o);
    if (!collection || this.watches.size >= MAX_CONFLICT_WATCHES || this.stopped) return;
    const entry: { units: Set<string>; handle?: WatchHandle } = { units: new Set([unit]) };
    this.watches.set(key, entry);
    const handle = this.client.watch(
      collection,
      { fieldSelector: `metadata.name=${o.metadata.name}`, resourceVersion: o.metadata.resourceVersion, timeoutSeconds: 300 },
      (e) => {
        if (e.type === 'BOOKMARK') return;
        if (e.type === 'DELETED' || (e.type !== 'ERROR' && isManaged(e.object as unknown as KubeObject))) for (const u of entry.units) this.unblocked(u);
        if (e.type !== 'MODIFIED' && e.type !== 'ADDED') handle.abort();
      },
    );
    entry.handle = handle;
    void handle.done.then(() => {
      if (this.watches.get(key) === entry) this.watches.delete(key);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watches.values()) w.handle?.abort();
  }
}
