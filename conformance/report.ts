// Reports: a per-assertion table and a summary per SMI spec (FULL / PARTIAL /
// NONE as Meshery grades), plus JSON and JUnit XML for CI.

import type { MeshName } from '../adapters/types.js';
import type { AssertionResult, SpecName } from './types.js';

export type Capability = 'FULL' | 'PARTIAL' | 'NONE';

export interface SpecSummary {
  spec: SpecName;
  versions: string[];
  passed: number;
  failed: number;
  expectedUnsupported: number;
  capability: Capability;
}

export interface Report {
  mesh: MeshName;
  level: 'config' | 'xds' | 'traffic';
  /** Passed / (passed + failed); expected-unsupported assertions are declared gaps and counted apart. */
  passPercent: number;
  passed: number;
  failed: number;
  expectedUnsupported: number;
  specs: SpecSummary[];
  results: AssertionResult[];
}

const bad = (r: AssertionResult) => r.outcome === 'failed' || r.outcome === 'unexpectedly-passed';

export function summarize(mesh: MeshName, level: Report['level'], results: AssertionResult[]): Report {
  const specs = [...new Set(results.map((r) => r.spec))].sort().map((spec): SpecSummary => {
    const rs = results.filter((r) => r.spec === spec);
    const passed = rs.filter((r) => r.outcome === 'passed').length;
    const failed = rs.filter(bad).length;
    const expectedUnsupported = rs.filter((r) => r.outcome === 'expected-unsupported').length;
    // Meshery: FULL when everything passes; HALF (here PARTIAL) when at least half does.
    const capability: Capability = failed + expectedUnsupported === 0 ? 'FULL' : passed * 2 >= rs.length ? 'PARTIAL' : 'NONE';
    return { spec, versions: [...new Set(rs.flatMap((r) => r.versions))].sort(), passed, failed, expectedUnsupported, capability };
  });
  const passed = results.filter((r) => r.outcome === 'passed').length;
  const failed = results.filter(bad).length;
  const expectedUnsupported = results.filter((r) => r.outcome === 'expected-unsupported').length;
  return { mesh, level, passPercent: passed + failed === 0 ? 0 : Math.round((passed * 1000) / (passed + failed)) / 10, passed, failed, expectedUnsupported, specs, results };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

const LABEL: Record<AssertionResult['outcome'], string> = { passed: 'PASS', failed: 'FAIL', 'expected-unsupported': 'UNSUPPORTED', 'unexpectedly-passed': 'XPASS' };

export function table(r: Report): string {
  const rows = r.results.map((x) => [LABEL[x.outcome], x.scenario, x.assertion, x.outcome === 'passed' ? x.detail.split(' (')[0]! : `${x.detail}${x.reason ? ` [${x.reason}]` : ''}`]);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length), 6));
  const lines = [`SMI conformance, ${r.level} level, mesh ${r.mesh}`, '', `${pad('RESULT', w[0]!)}  ${pad('SCENARIO', w[1]!)}  ${pad('ASSERTION', w[2]!)}  OBSERVED`];
  for (const row of rows) lines.push(`${pad(row[0]!, w[0]!)}  ${pad(row[1]!, w[1]!)}  ${pad(row[2]!, w[2]!)}  ${row[3]}`);
  lines.push('', 'SPEC            VERSIONS                                                PASSED  FAILED  UNSUPPORTED  CAPABILITY');
  for (const s of r.specs) lines.push(`${pad(s.spec, 16)}${pad(s.versions.join(','), 56)}${pad(String(s.passed), 8)}${pad(String(s.failed), 8)}${pad(String(s.expectedUnsupported), 13)}${s.capability}`);
  lines.push('', `${r.mesh}: ${r.passPercent}% passed (${r.passed} passed, ${r.failed} failed, ${r.expectedUnsupported} expected-unsupported)`);
  return lines.join('\n');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junit(reports: Report[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="smi-conformance">'];
  for (const r of reports) {
    out.push(`  <testsuite name="${xml(`${r.mesh}.${r.level}`)}" tests="${r.results.length}" failures="${r.failed}" skipped="${r.expectedUnsupported}">`);
    for (const x of r.results) {
      out.push(`    <testcase classname="${xml(`${r.mesh}.${x.spec}.${x.scenario}`)}" name="${xml(`${x.step}: ${x.assertion}`)}" time="${(x.durationMs / 1000).toFixed(3)}">`);
      if (x.outcome === 'failed' || x.outcome === 'unexpectedly-passed') out.push(`      <failure message="${xml(x.detail)}">${xml(x.reason ?? x.detail)}</failure>`);
      if (x.outcome === 'expected-unsupported') out.push(`      <skipped message="${xml(x.reason ?? '')}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
