// What each unit wants written, by native key, and who else wants the same
// object. A native object wanted by several units (a shared Consul
// ServiceDefaults) is written by one owner (the smallest unit key) as the merge
// of every claimant's version (./shared.ts). In memory only: a new leader
// rebuilds it by translating every unit once (Reconciler.primeClaims).

import type { KubeObject } from '../../schemas/hub.js';
import { canonicalJson, decorate, nativeKey } from './labels.js';
import { ownerOf } from './plan.js';
import { mergeShared } from './shared.js';

export class Claims {
  /**
   * unit → native key → the adapter's object (undecorated) at the unit's last translation, as
   * canonical JSON: compared on every reconcile and read back only for a shared object, and a
   * string takes a fraction of the memory of the object (at 10,000 SMI objects, ~7 MiB less).
   */
  private readonly byUnit = new Map<string, Map<string, string>>();
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
    const next = new Map(objects.map((o) => [nativeKey(o), canonicalJson(o)]));
    const prev = this.byUnit.get(unit) ?? new Map<string, string>();
    const affected = new Set<string>();
    for (const k of new Set([...prev.keys(), ...next.keys()])) {
      const a = prev.get(k);
      const b = next.get(k);
      if (a !== undefined && a === b) continue;
      for (const u of this.claimants.get(k) ?? []) if (u !== unit) affected.add(u);
    }
    for (const k of prev.keys()) {
      const s = this.claimants.get(k);
      s?.delete(unit);
      if (s?.size === 0) this.claimants.delete(k);
    }
    this.byUnit.set(unit, next);
    for (const k of next.keys()) {
      let s = this.claimants.get(k);
      if (!s) this.claimants.set(k, (s = new Set()));
      s.add(unit);
    }
    return affected;
  }

  /** Units that currently want a native object (a deleted object must be re-created by one of them). */
  claimantsOf(key: string): string[] {
    return [...(this.claimants.get(key) ?? [])];
  }

  /**
   * The unit's objects to apply, decorated: its own version, or the merge of all claimants' when it
   * owns a shared one. `translated`: the objects of its translation just recorded by set().
   */
  desiredFor(unit: string, translated: readonly KubeObject[]): KubeObject[] {
    const out: KubeObject[] = [];
    const fresh = new Map(translated.map((o) => [nativeKey(o), o]));
    for (const [k, json] of this.byUnit.get(unit) ?? []) {
      const own = fresh.get(k) ?? (JSON.parse(json) as KubeObject);
      const others = this.claimantsOf(k)
        .filter((u) => u !== unit)
        .sort();
      if (others.length === 0 || ownerOf([unit, ...others]) !== unit) {
        out.push(decorate(own, unit));
        continue;
      }
      const versions = [own, ...others.map((u) => this.byUnit.get(u)?.get(k)).filter((j): j is string => j !== undefined).map((j) => JSON.parse(j) as KubeObject)];
      out.push(decorate(mergeShared(versions), unit));
    }
    return out;
  }
}
