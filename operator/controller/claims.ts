// What each unit wants written, by native key, and who else wants the same
// object. A native object wanted by several units (a shared Consul
// ServiceDefaults) is written by one owner (the smallest unit key) as the merge
// of every claimant's version (./shared.ts). In memory only: a new leader
// rebuilds it by translating every unit once (Reconciler.primeClaims).

import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/hub.js';
import { canonicalJson, decorate, nativeKey } from './labels.js';
import { ownerOf } from './plan.js';
import { mergeShared } from './shared.js';

/**
 * A unit's version of one object: the hash of its canonical JSON (enough to tell a change),
 * plus the JSON itself while another unit claims the same object (the owner merges them).
 * At 10,000 SMI objects keeping the JSON of every object cost ~11 MiB; almost none is shared.
 */
type Entry = string | { hash: string; json: string };

const digest = (json: string): string => createHash('sha256').update(json).digest('base64').slice(0, 16);
const hashOf = (e: Entry): string => (typeof e === 'string' ? e : e.hash);

export class Claims {
  /** unit → native key → its version at the unit's last translation (undecorated). */
  private readonly byUnit = new Map<string, Map<string, Entry>>();
  /** native key → the units that want it. */
  private readonly claimants = new Map<string, Set<string>>();

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
    const next = new Map<string, Entry>();
    for (const o of objects) {
      const k = nativeKey(o);
      const json = canonicalJson(o);
      const hash = digest(json);
      next.set(k, this.sharedWith(k, unit) ? { hash, json } : hash);
    }
    const prev = this.byUnit.get(unit) ?? new Map<string, Entry>();
    const affected = new Set<string>();
    for (const k of new Set([...prev.keys(), ...next.keys()])) {
      const a = prev.get(k);
      const b = next.get(k);
      if (a !== undefined && b !== undefined && hashOf(a) === hashOf(b)) continue;
      for (const u of this.claimants.get(k) ?? []) if (u !== unit) affected.add(u);
    }
    for (const k of prev.keys()) {
      if (next.has(k)) continue;
      const s = this.claimants.get(k);
      s?.delete(unit);
      if (s?.size === 0) this.claimants.delete(k);
      // The last claimant left alone needs its version no more: keep only the hash.
      if (s?.size === 1) for (const u of s) this.forgetJson(u, k);
    }
    this.byUnit.set(unit, next);
    for (const k of next.keys()) {
      let s = this.claimants.get(k);
      if (!s) this.claimants.set(k, (s = new Set()));
      s.add(unit);
    }
    return affected;
  }

  private sharedWith(key: string, unit: string): boolean {
    const s = this.claimants.get(key);
    return !!s && (s.size > 1 || (s.size === 1 && !s.has(unit)));
  }

  private forgetJson(unit: string, key: string): void {
    const m = this.byUnit.get(unit);
    const e = m?.get(key);
    if (m && e !== undefined) m.set(key, hashOf(e));
  }

  /**
   * Other claimants whose version the unit needs (it owns an object they share) but that was
   * recorded while the object was theirs alone, so only its hash is kept: translate them again
   * and set() them (the object now being shared, their version is kept).
   */
  lacking(unit: string): string[] {
    const out = new Set<string>();
    for (const k of this.byUnit.get(unit)?.keys() ?? []) {
      const others = this.claimantsOf(k).filter((u) => u !== unit);
      if (others.length === 0 || ownerOf([unit, ...others]) !== unit) continue;
      for (const u of others) if (typeof this.byUnit.get(u)?.get(k) === 'string') out.add(u);
    }
    return [...out].sort();
  }

  /** Units that currently want a native object (a deleted object must be re-created by one of them). */
  claimantsOf(key: string): string[] {
    return [...(this.claimants.get(key) ?? [])];
  }

  /**
   * The unit's objects to apply, decorated: its own version, or the merge of all claimants' when it
   * owns a shared one. `translated`: the objects of its translation just recorded by set().
   * Throws when a version it must merge is missing (call lacking() first).
   */
  desiredFor(unit: string, translated: readonly KubeObject[]): KubeObject[] {
    const out: KubeObject[] = [];
    const fresh = new Map(translated.map((o) => [nativeKey(o), o]));
    const versionOf = (u: string, k: string): KubeObject => {
      const e = this.byUnit.get(u)?.get(k);
      if (typeof e === 'object') return JSON.parse(e.json) as KubeObject;
      throw new Error(`claims: the version of ${k} that ${u} wants is not recorded`);
    };
    for (const k of this.byUnit.get(unit)?.keys() ?? []) {
      const own = fresh.get(k) ?? versionOf(unit, k);
      const others = this.claimantsOf(k)
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
