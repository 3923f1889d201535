// Reviewable output of a migration: a YAML stream in stable order (apiVersion, kind,
// namespace, name; keys sorted), each document headed by `#` comments naming its SMI
// sources, and the per-object report for stderr.

import yaml from 'js-yaml';
import type { MigrationPlan } from './plan.js';

export function planYaml(plan: MigrationPlan): string {
  return plan.objects
    .map((m) => `---\n# migrated from ${m.sources.length > 0 ? m.sources.join(', ') : '(no SMI source)'}\n${yaml.dump(m.object, { sortKeys: true, lineWidth: -1, noRefs: true })}`)
    .join('');
}

export function reportLines(plan: MigrationPlan): string[] {
  return [
    ...plan.problems,
    ...plan.report.flatMap((r) => (r.reasons.length === 0 ? [`${r.object}: ${r.verdict}`] : r.reasons.map((m) => `${r.object}: ${r.verdict}: ${m}`))),
  ];
}
