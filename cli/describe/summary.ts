// `smictl describe`: what an SMI object asks for, in plain words, and the view
// model printed as text, JSON or YAML. Pure: no I/O.

import yaml from 'js-yaml';
import type { KubeObject } from '../../schemas/hub.js';

export interface Contribution {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Other SMI objects this native object is also derived from (`Kind/namespace/name`). */
  sharedWith: string[];
}

export interface Description {
  object: { apiVersion: string; kind: string; namespace: string; name: string; generation?: number };
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  /** What the SMI object asks for, one sentence per rule. */
  means: string[];
  mesh: string;
  contributesTo: Contribution[];
}

type Spec = Record<string, unknown>;
const list = (v: unknown): Spec[] => (Array.isArray(v) ? (v as Spec[]) : []);
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function matchWords(m: Spec): string {
  const parts: string[] = [];
  const methods = list(m.methods).map(String);
  if (methods.length) parts.push(methods.includes('*') ? 'any method' : methods.join('/'));
  if (m.pathRegex) parts.push(`path matching ${str(m.pathRegex)}`);
  const h = m.headers;
  if (h && typeof h === 'object') {
    const entries = Array.isArray(h) ? (h as Record<string, string>[]).flatMap((x) => Object.entries(x)) : Object.entries(h as Record<string, string>);
    for (const [k, v] of entries) parts.push(`header ${k} matching ${v}`);
  }
  return parts.length ? parts.join(', ') : 'any request';
}

/** Plain-language sentences for the hub-version object. */
export function meaning(o: KubeObject): string[] {
  const spec = ((o as { spec?: Spec }).spec ?? {}) as Spec;
  switch (o.kind) {
    case 'TrafficSplit': {
      const backends = list(spec.backends);
      const total = backends.reduce((s, b) => s + (Number(b.weight) || 0), 0);
      const shares = backends.map((b) => `${str(b.service)} ${total ? `${Math.round((Number(b.weight) / total) * 1000) / 10}%` : `weight ${str(b.weight)}`}`);
      const gated = list(spec.matches).map((m) => `${str(m.kind)} ${str(m.name)}`);
      return [
        `Requests to Service ${str(spec.service)}${gated.length ? ` that match ${gated.join(' or ')}` : ''} are split: ${shares.join(', ') || 'no backends'}.`,
        ...(gated.length ? [`Other requests to ${str(spec.service)} go to ${str(spec.service)} itself.`] : []),
      ];
    }
    case 'TrafficTarget': {
      const dest = (spec.destination ?? {}) as Spec;
      const sources = list(spec.sources).map((s) => `${str(s.kind)} ${s.namespace ? `${str(s.namespace)}/` : ''}${str(s.name)}`);
      const rules = list(spec.rules).map((r) => `${str(r.kind)} ${str(r.name)}${list(r.matches).length ? ` (matches ${list(r.matches).map(String).join(', ')})` : ' (all of it)'}`);
      const port = dest.port ? ` on port ${str(dest.port)}` : '';
      return [
        `Allows ${sources.join(', ') || 'nobody'} to reach pods running as ${str(dest.kind)} ${dest.namespace ? `${str(dest.namespace)}/` : ''}${str(dest.name)}${port}, for ${rules.join('; ') || 'no route'}.`,
        'Traffic to those pods that no TrafficTarget allows is denied (in the operator\'s default deny mode).',
      ];
    }
    case 'HTTPRouteGroup':
      return list(spec.matches).map((m) => `Route ${str(m.name)}: ${matchWords(m)}.`);
    case 'TCPRoute': {
      const ports = list(((spec.matches ?? {}) as Spec).ports).map(String);
      return [`TCP traffic ${ports.length ? `on ports ${ports.join(', ')}` : 'on every port'}.`];
    }
    case 'UDPRoute': {
      const ports = list(((spec.matches ?? {}) as Spec).ports).map(String);
      return [`UDP traffic ${ports.length ? `on ports ${ports.join(', ')}` : 'on every port'}.`];
    }
    default:
      return [];
  }
}

export function formatDescription(d: Description, output: 'text' | 'json' | 'yaml'): string {
  if (output === 'json') return `${JSON.stringify(d, null, 2)}\n`;
  if (output === 'yaml') return yaml.dump(d, { lineWidth: 140, noRefs: true });
  const o = d.object;
  const lines = [`${o.kind} ${o.namespace}/${o.name} (${o.apiVersion}${o.generation !== undefined ? `, generation ${o.generation}` : ''})`, ''];
  lines.push('What it asks for:', ...d.means.map((m) => `  ${m}`), '');
  lines.push('Conditions:');
  if (!d.conditions.length) lines.push('  none yet (is the operator running? smictl check)');
  for (const c of d.conditions) lines.push(`  ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
  lines.push('', `Native objects it contributes to (${d.mesh}):`);
  if (!d.contributesTo.length) lines.push('  none');
  for (const n of d.contributesTo) {
    lines.push(`  ${n.kind}.${n.apiVersion.split('/')[0]} ${n.namespace ? `${n.namespace}/` : ''}${n.name}${n.sharedWith.length ? `  (shared with ${n.sharedWith.join(', ')})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
