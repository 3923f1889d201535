// Two memories of our own writes. Echoes: the watch event of an object we just
// wrote needs no reconcile (the unit already knows). Fights: an object another
// writer keeps changing back is re-applied at most a few times a minute, so two
// controllers do not spin the API server.

import type { KubeObject } from '../../schemas/hub.js';
import { nativeKey } from './labels.js';

export class EchoFilter {
  /** native key → resourceVersion we wrote, or `deleted:<uid>`. */
  private readonly expected = new Map<string, string>();

  wrote(key: string, resourceVersion: string | undefined): void {
    if (resourceVersion) this.expected.set(key, resourceVersion);
  }

  deleted(key: string, uid: string | undefined): void {
    if (uid) this.expected.set(key, `deleted:${uid}`);
  }

  /** True (once) when a watch event on a managed object is just the echo of our own write. */
  isEcho(o: KubeObject, deleted: boolean): boolean {
    const key = nativeKey(o);
    const want = this.expected.get(key);
    if (want === undefined) return false;
    const got = deleted ? `deleted:${o.metadata.uid ?? ''}` : (o.metadata.resourceVersion ?? '');
    if (want !== got) return false;
    this.expected.delete(key);
    return true;
  }
}

export class FightLimiter {
  /** native key → when we re-applied it because it drifted. */
  private readonly writes = new Map<string, number[]>();

  constructor(
    readonly windowMs = 60_000,
    private readonly maxWrites = 5,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when `key` was re-applied for drift `maxWrites` times within the window (then: back off); else counts this one. */
  fighting(key: string): boolean {
    const now = this.clock();
    const recent = (this.writes.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.maxWrites) {
      this.writes.set(key, recent);
      return true;
    }
    recent.push(now);
    this.writes.set(key, recent);
    return false;
  }
}
