// What each unit wants written, by native key, and who else wants the same
// object. A native object wanted by several units (a shared Consul
// ServiceDefaults) is written by one owner (the smallest unit key) as the merge
// of every claimant's version (./shared.ts). In memory only: a new leader
// rebuilds it by translating every unit once (Reconciler.primeClaims).

import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/hub.js';
import { canonicalJson, decorate, longNativeKey, nativeKey, shortNativeKey } from './labels.js';
import { ownerOf } from './plan.js';
import { mergeShared } from './shared.js';

/**
 * A unit's version of one object: the hash of its canonical JSON (enough to tell a change),
 * plus the JSON itself while another unit claims the same object (the owner merges them).
 * At 10,000 SMI objects keeping the JSON of every object cost ~11 MiB; almost none is shared.
 */
type Entry = string | { hash: string; json: string };

// 12 bytes as 16 base64 characters, made as one string: `.slice(0, 16)` of the whole digest was a
// sliced string that kept the 44-character digest alive too (~96 bytes a hash instead of ~32).
const digest = (json: string): string => createHash('sha256').update(json).digest().toString('base64', 0, 12);
const hashOf = (e: Entry): string => (typeof e === 'string' ? e : e.hash);

/**
 * A unit's claims: native key, version, native key, version… (a unit wants 1–3 objects: a Map each
 * cost more than they do), in an array of exactly that size (one grown by assignment has room for
 * 17); units that want nothing (route units) are not kept.
 */
type UnitClaims = ReadonlyArray<string | Entry>;

function entryOf(c: UnitClaims | undefined, key: string): Entry | undefined {
  if (!c) return undefined;
  for (let i = 0; i < c.length; i += 2) if (c[i] === key) return c[i + 1];
  return undefined;
}

function* keysOf(c: UnitClaims | undefined): Generator<string> {
  if (c) for (let i = 0; i < c.length; i += 2) yield c[i] as string;
}

export class Claims {
  /** unit → its objects' versions at its last translation (undecorated); native keys as labels' shortNativeKey() here and in `claimants`. */
  private readonly byUnit = new Map<string, UnitClaims>();
  /** native key → the unit that wants it, or the units when several do. */
  private readonly claimants = new Map<string, string | Set<string>>();

  /** Whether the unit's wants are recorded (false for one that wants nothing: translating it again costs little). */
  has(unit: string): boolean {
    return this.byUnit.has(unit);
  }

  clear(): void {
    this.byUnit.clear();
    this.claimants.clear();
  }

  /**
   * Record what a unit wants. Returns the other claimants of every key whose
   * claim changed (added, dropped or different content): they may have to take
   * over, re-merge or stand down.
   */
  set(unit: string, objects: readonly KubeObject[]): Set<string> {
    const building: Array<string | Entry> = [];
    for (const o of objects) {
      const k = shortNativeKey(nativeKey(o));
      const json = canonicalJson(o);
      const hash = digest(json);
      const e: Entry = this.sharedWith(k, unit) ? { hash, json } : hash;
      let at = 0;
      while (at < building.length && building[at] !== k) at += 2;
      building[at] = k; // the last of a repeated key wins, as in a Map
      building[at + 1] = e;
    }
    const next: UnitClaims = building.slice();
    const prev = this.byUnit.get(unit);
    const affected = new Set<string>();
    for (const k of new Set([...keysOf(prev), ...keysOf(next)])) {
      const a = entryOf(prev, k);
      const b = entryOf(next, k);
      if (a !== undefined && b !== undefined && hashOf(a) === hashOf(b)) continue;
      for (const u of this.claimantsOfShort(k)) if (u !== unit) affected.add(u);
    }
    for (const k of keysOf(prev)) {
      if (entryOf(next, k) !== undefined) continue;
      const left = this.dropClaimant(k, unit);
      // The last claimant left alone needs its version no more: keep only the hash.
      if (left !== undefined) this.forgetJson(left, k);
    }
    // A unit that wants nothing (every route unit) is not kept: nothing can be shared with it.
    if (next.length === 0) this.byUnit.delete(unit);
    else this.byUnit.set(unit, next);
    for (const k of keysOf(next)) this.addClaimant(k, unit);
    return affected;
  }

  private addClaimant(key: string, unit: string): void {
    const c = this.claimants.get(key);
    if (c === undefined) this.claimants.set(key, unit);
    else if (typeof c === 'string') {
      if (c !== unit) this.claimants.set(key, new Set([c, unit]));
    } else c.add(unit);
  }

  /** Removes a claimant; returns the one left when exactly one is. */
  private dropClaimant(key: string, unit: string): string | undefined {
    const c = this.claimants.get(key);
    if (c === undefined) return undefined;
    if (typeof c === 'string') {
      if (c === unit) this.claimants.delete(key);
      return c === unit ? undefined : c;
    }
    c.delete(unit);
    if (c.size !== 1) return undefined;
    const [left] = c as Set<string>;
    this.claimants.set(key, left!);
    return left;
  }

  private sharedWith(key: string, unit: string): boolean {
    const c = this.claimants.get(key);
    return c !== undefined && (typeof c === 'string' ? c !== unit : c.size > 1 || !c.has(unit));
  }

  private forgetJson(unit: string, key: string): void {
    const c = this.byUnit.get(unit);
    if (!c) return;
    this.byUnit.set(unit, c.map((x, i) => (i % 2 === 1 && c[i - 1] === key ? hashOf(x as Entry) : x)));
  }

  /**
   * Other claimants whose version the unit needs (it owns an object they share) but that was
   * recorded while the object was theirs alone, so only its hash is kept: translate them again
   * and set() them (the object now being shared, their version is kept).
   */
  lacking(unit: string): string[] {
    const out = new Set<string>();
    for (const k of keysOf(this.byUnit.get(unit))) {
      const others = this.claimantsOfShort(k).filter((u) => u !== unit);
      if (others.length === 0 || ownerOf([unit, ...others]) !== unit) continue;
      for (const u of others) if (typeof entryOf(this.byUnit.get(u), k) === 'string') out.add(u);
    }
    return [...out].sort();
  }

  /** Units that currently want a native object (a deleted object must be re-created by one of them). */
  claimantsOf(key: string): string[] {
    return this.claimantsOfShort(shortNativeKey(key));
  }

  private claimantsOfShort(k: string): string[] {
    const c = this.claimants.get(k);
    return c === undefined ? [] : typeof c === 'string' ? [c] : [...c];
  }

  /**
   * The unit's objects to apply, decorated: its own version, or the merge of all claimants' when it
   * owns a shared one. `translated`: the objects of its translation just recorded by set().
   * Throws when a version it must merge is missing (call lacking() first).
   */
  desiredFor(unit: string, translated: readonly KubeObject[]): KubeObject[] {
    const out: KubeObject[] = [];
    const fresh = new Map(translated.map((o) => [shortNativeKey(nativeKey(o)), o]));
    const versionOf = (u: string, k: string): KubeObject => {
      const e = entryOf(this.byUnit.get(u), k);
      if (typeof e === 'object') return JSON.parse(e.json) as KubeObject;
      throw new Error(`claims: the version of ${longNativeKey(k)} that ${u} wants is not recorded`);
    };
    for (const k of keysOf(this.byUnit.get(unit))) {
      const own = fresh.get(k) ?? versionOf(unit, k);
      const others = this.claimantsOfShort(k)
        .filter((u) => u !== unit)
        .sort();
      if (others.length === 0 || ownerOf([unit, ...others]) !== unit) {
        out.push(decorate(own, unit));
        continue;
      }
      out.push(decorate(mergeShared([own, ...others.map((u) => versionOf(u, k))]), unit));
    }
    return out;
  }
}
