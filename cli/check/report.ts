// `smictl check` results: one shape, printed as text (linkerd-check style), JSON or YAML.
// Pure: no I/O.

import yaml from 'js-yaml';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Group heading, e.g. "smi-operator CRDs". */
  category: string;
  /** What was checked, in words. */
  name: string;
  status: CheckStatus;
  /** What was found (always set for warn/fail). */
  message?: string;
  /** The command or step that fixes it (set for warn/fail). */
  fix?: string;
}

export interface CheckReport {
  success: boolean;
  checks: CheckResult[];
}

/** Warnings do not fail the check: they name things that work but are not the recommended setup. */
export function report(checks: CheckResult[]): CheckReport {
  return { success: checks.every((c) => c.status !== 'fail'), checks };
}

const MARK: Record<CheckStatus, string> = { ok: '√', warn: '‼', fail: '×' };

export function formatReport(r: CheckReport, output: 'text' | 'json' | 'yaml'): string {
  if (output === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  if (output === 'yaml') return yaml.dump(r, { lineWidth: 140, noRefs: true });
  const lines: string[] = [];
  let category = '';
  for (const c of r.checks) {
    if (c.category !== category) {
      if (category) lines.push('');
      category = c.category;
      lines.push(category, '-'.repeat(category.length));
    }
    lines.push(`${MARK[c.status]} ${c.name}`);
    if (c.status !== 'ok' || c.message) {
      if (c.message) lines.push(`    ${c.message}`);
      if (c.fix) lines.push(`    fix: ${c.fix}`);
    }
  }
  const fails = r.checks.filter((c) => c.status === 'fail').length;
  const warns = r.checks.filter((c) => c.status === 'warn').length;
  lines.push('', r.success ? `Status check results are √${warns ? ` (${warns} warning${warns > 1 ? 's' : ''})` : ''}` : `Status check results are × (${fails} failed)`);
  return `${lines.join('\n')}\n`;
}
