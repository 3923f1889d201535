// The access overlay: does SMI policy allow an edge? Answered from the same
// resolved model the adapters render (adapters/common resolve()), so the page and
// the emitted mesh policy agree: a destination ServiceAccount named by a valid
// TrafficTarget admits only the sources of its rules (under enforce); one named by
// none is left to the mesh default.

import type { AccessRule, ResolvedDestination } from '../../../adapters/common/model.js';
import type { AccessMode } from '../../../adapters/types.js';
import type { AccessVerdict } from './types.js';

export interface Identity {
  namespace: string;
  serviceAccount: string;
}

const key = (i: Identity): string => `${i.namespace}/${i.serviceAccount}`;

export interface Verdict {
  access: AccessVerdict;
  allowedBy: string[];
  reason: string;
}

/** What a rule allows, in a few words: the HTTP matches or the ports. */
export function ruleSummary(r: AccessRule): string {
  const where = `${r.target.metadata.namespace}/${r.target.metadata.name}`;
  if (r.http) return `${where} (${r.http.length ? r.http.map((c) => c.origin).join(', ') : 'no HTTP match'})`;
  return `${where} (${r.ports.length ? `ports ${r.ports.join(', ')}` : 'all ports'})`;
}

/** Worst first: one denied pair makes the edge denied. */
const ORDER: AccessVerdict[] = ['denied', 'not-allowed-permissive', 'unknown', 'ungoverned', 'allowed'];

export class AccessIndex {
  private readonly governed = new Map<string, ResolvedDestination>();

  constructor(
    destinations: readonly ResolvedDestination[],
    readonly mode: AccessMode,
  ) {
    for (const d of destinations) this.governed.set(key(d), d);
  }

  /** The destinations whose rules name `source`, with the rules that do. */
  allowedDestinations(): Array<{ destination: Identity; source: Identity; rules: AccessRule[] }> {
    const out = new Map<string, { destination: Identity; source: Identity; rules: AccessRule[] }>();
    for (const d of this.governed.values()) {
      for (const r of d.rules) {
        for (const s of r.sources) {
          const k = `${key(s)}->${key(d)}`;
          const e = out.get(k) ?? { destination: { namespace: d.namespace, serviceAccount: d.serviceAccount }, source: s, rules: [] };
          e.rules.push(r);
          out.set(k, e);
        }
      }
    }
    return [...out.values()];
  }

  /** One source identity to one destination identity. */
  pair(source: Identity | undefined, dest: Identity): Verdict {
    const d = this.governed.get(key(dest));
    if (!d) return { access: 'ungoverned', allowedBy: [], reason: `no TrafficTarget names ServiceAccount ${key(dest)}: the mesh default applies` };
    if (!source) return { access: 'unknown', allowedBy: [], reason: `${key(dest)} is governed by TrafficTargets, but the source's ServiceAccount is unknown` };
    const rules = d.rules.filter((r) => r.sources.some((s) => key(s) === key(source)));
    if (rules.length) return { access: 'allowed', allowedBy: rules.map(ruleSummary), reason: `allowed by ${rules.map(ruleSummary).join('; ')}` };
    const targets = d.targets.map((t) => `${t.metadata.namespace}/${t.metadata.name}`).join(', ');
    if (this.mode === 'permissive') {
      return { access: 'not-allowed-permissive', allowedBy: [], reason: `no TrafficTarget allows ${key(source)} -> ${key(dest)} (governed by ${targets}); accessMode permissive: not enforced` };
    }
    return { access: 'denied', allowedBy: [], reason: `no TrafficTarget allows ${key(source)} -> ${key(dest)}; ${key(dest)} is governed by ${targets} (enforce)` };
  }

  /** Nodes may stand for several identities (a Service selecting pods of two ServiceAccounts): the worst pair wins. */
  edge(sources: readonly Identity[], dests: readonly Identity[]): Verdict {
    if (dests.length === 0) return { access: 'unknown', allowedBy: [], reason: 'the destination runs as no known ServiceAccount' };
    const verdicts = dests.flatMap((d) => (sources.length ? sources.map((s) => this.pair(s, d)) : [this.pair(undefined, d)]));
    const worst = verdicts.reduce((a, b) => (ORDER.indexOf(b.access) < ORDER.indexOf(a.access) ? b : a));
    if (worst.access !== 'allowed') return worst;
    return { access: 'allowed', allowedBy: [...new Set(verdicts.flatMap((v) => v.allowedBy))], reason: worst.reason };
  }
}
