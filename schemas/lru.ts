// A bounded least-recently-used map: a Map keeps insertion order, so re-inserting on
// every hit and evicting the first key is LRU. For memoising pure functions of user
// input without letting the memo grow with it.

export class Lru<K, V> {
  private readonly items = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`Lru capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.size;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  /** The value without making it the most recently used. */
  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const v = this.items.get(key) as V;
    this.items.delete(key);
    this.items.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as K);
  }

  /** The cached value, or `compute(key)` stored and returned. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    if (this.items.has(key)) return this.get(key) as V;
    const v = compute(key);
    this.set(key, v);
    return v;
  }
}
