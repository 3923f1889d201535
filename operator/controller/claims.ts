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
  /** unit → native key → the adapter's object (undecorated) at the unit's last translation. */
  private readonly byUnit = new Map<string, Map<string, KubeObject>>();
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
    const next = new Map(objects.map((o) => [nativeKey(o), o]));
    const prev = this.byUnit.get(unit) ?? new Map<string, KubeObject>();
    const affected = new Set<string>();
    for (const k of new Set([...prev.keys(), ...next.keys()])) {
      const a = prev.get(k);
      const b = next.get(k);
      if (a && b && canonicalJson(a) === canonicalJson(b)) continue;
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

  /** The unit's objects to apply, decorated: its own version, or the merge of all claimants' when it owns a shared one. */
  desiredFor(unit: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, own] of this.byUnit.get(unit) ?? []) {
      const others = this.claimantsOf(k)
        .filter((u) => u !== unit)
        .sort();
      if (others.length === 0 || ownerOf([unit, ...others]) !== unit) {
        out.push(decorate(own, unit));
        continue;
      }
      const versions = [own, ...others.map((u) => this.byUnit.get(u)?.get(k)).filter((o): o is KubeObject => !!o)];
      out.push(decorate(mergeShared(versions), unit));
    }
    return out;
  }
}
