// Two memories of our own writes. Echoes: the watch event of an object we just
// wrote needs no reconcile (the unit already knows). Fights: an object another
// writer keeps changing back is re-applied at most a few times a minute, so two
// controllers do not spin the API server.

import type { KubeObject } from '../../schemas/hub.js';
import { nativeKey } from './labels.js';

export class EchoFilter {
  /** native key → resourceVersion we wrote, or `deleted:<uid>`. */
  private readonly expected = new Map<string, string>();
  /**
   * native key → what watch events showed (resourceVersion or `deleted:<uid>`) while our write of
   * it was in flight. The watch can deliver the echo before the write's answer arrives; without
   * this, that echo looked like someone else's change and cost a second reconcile (and, with the
   * status echo not back yet, a second status write).
   */
  private readonly inFlight = new Map<string, string[]>();

  /** Before a write of `key`: its watch events are held until the answer says whose they were. */
  writing(key: string): void {
    this.inFlight.set(key, []);
  }

  /** The write's answer. True when an event seen meanwhile was not ours: someone else changed it, reconcile again. */
  wrote(key: string, resourceVersion: string | undefined): boolean {
    return this.settle(key, resourceVersion);
  }

  deleted(key: string, uid: string | undefined): boolean {
    return this.settle(key, uid ? `deleted:${uid}` : undefined);
  }

  /** The write failed or was not sent. True when events were held meanwhile (they were not ours). */
  failed(key: string): boolean {
    return this.settle(key, undefined);
  }

  private settle(key: string, mine: string | undefined): boolean {
    const seen = this.inFlight.get(key) ?? [];
    this.inFlight.delete(key);
    if (mine && !seen.includes(mine)) this.expected.set(key, mine);
    return seen.some((x) => x !== mine);
  }

  /** True (once) when a watch event on a managed object is just the echo of our own write (or held while one is in flight). */
  isEcho(o: KubeObject, deleted: boolean): boolean {
    const key = nativeKey(o);
    const got = deleted ? `deleted:${o.metadata.uid ?? ''}` : (o.metadata.resourceVersion ?? '');
    const held = this.inFlight.get(key);
    if (held) {
      held.push(got);
      return true;
    }
    const want = this.expected.get(key);
    if (want === undefined) return false;
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
