// The human summary of one run: one row per figure, with its target.
/* eslint-disable @typescript-eslint/no-explicit-any */

const f = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const mib = (b: number): string => (b / 2 ** 20).toFixed(1);

export function table(r: any): string {
  const rows: string[][] = [['bench', 'figure', 'value', 'target']];
  if (r.b0) {
    for (const s of r.b0.sweep) rows.push(['B0', `${s.objects} native objects, c=${s.concurrency}`, `${f(s.seconds)} s (${f(s.writesPerSecond, 0)}/s)`, '']);
    for (const s of r.b0.sizes) rows.push(['B0', `N=${s.objects} at best c=${s.concurrency}`, `${f(s.seconds)} s (${f(s.writesPerSecond, 0)}/s)`, 'physical limit']);
  }
  for (const w of r.worlds) {
    const b2 = w.b2;
    if (b2) {
      const load = b2.load ? ` (load ${b2.load.map((l: number) => f(l, 1)).join(' / ')})` : '';
      rows.push(['B2', `N=${b2.smiObjects} SMI -> ${b2.nativeObjects} native, Ready${load}`, `${f(b2.operatorSeconds)} s`, '']);
      rows.push(['B2', `  ratio to B0 (same ${b2.direct.objects} native objects, ${f(b2.direct.seconds)} s)`, `${f(b2.ratioToB0)}x`, '']);
      rows.push(['B2', `  ratio to workload floor (SMI+native+status direct, ${f(b2.workloadFloorSeconds)} s)`, `${f(b2.ratioToWorkloadFloor)}x`, '<= 1.2x']);
      rows.push(['B4', `N=${b2.smiObjects}: RSS (start -> converged, peak)`, `${mib(b2.b4.rssStartBytes)} -> ${mib(b2.b4.rssBytes)} MiB, peak ${mib(b2.b4.peakRssBytes)}`, '< 100 MiB idle, peak < 200 at 10k']);
      rows.push(['B4', `N=${b2.smiObjects}: bytes per cached object (${b2.b4.cachedObjects})`, `${f(b2.b4.bytesPerCachedObject, 0)} B`, '']);
      if (b2.b4.gcEnd) {
        rows.push(['B4', `N=${b2.smiObjects}: after full GC: RSS, JS heap (start -> converged)`, `${mib(b2.b4.gcEnd.rssBytes)} MiB, heap ${mib(b2.b4.gcStart.heapUsedBytes)} -> ${mib(b2.b4.gcEnd.heapUsedBytes)} MiB`, '']);
        if (b2.b4.gcEnd.rssAnonBytes !== undefined) rows.push(['B4', `N=${b2.smiObjects}: after full GC: RSS anonymous + file-backed (start -> converged)`, `${mib(b2.b4.gcStart.rssAnonBytes)} + ${mib(b2.b4.gcStart.rssFileBytes)} -> ${mib(b2.b4.gcEnd.rssAnonBytes)} + ${mib(b2.b4.gcEnd.rssFileBytes)} MiB`, '']);
        rows.push(['B4', `N=${b2.smiObjects}: retained heap per cached object`, `${f(b2.b4.heapBytesPerCachedObject, 0)} B`, '']);
      }
      rows.push(['B4', `N=${b2.smiObjects}: CPU seconds for the bulk apply`, `${f(b2.b4.cpuSeconds)} s`, '']);
      if (b2.b4.runtime) rows.push(['B4', `N=${b2.smiObjects}: operator runtime`, b2.b4.runtime, '']);
    }
    if (w.b3) {
      rows.push(['B3', `re-apply ${w.b2?.smiObjects} unchanged SMI objects`, `${w.b3.reapplyUnchanged.total} writes`, '0']);
      rows.push(['B3', 'operator restart, everything in place', `${w.b3.restart.total} writes`, '0']);
      rows.push(['B3', 'one weight edit', `${w.b3.oneChange.total} writes ${JSON.stringify(w.b3.oneChange.by)}`, `${w.b3.oneChangeNeeded}`]);
    }
    if (w.b1) {
      rows.push(['B1', `N=${w.n}: weight edit -> VS updated, idle (${w.b1.idle.changes})`, `p50 ${f(w.b1.idle.p50ms, 0)} ms, p99 ${f(w.b1.idle.p99ms, 0)} ms (load ${f(w.b1.idle.load, 1)})`, '']);
      rows.push(['B1', `  while ${w.b1.churn.churnObjects} objects churn at ${f(w.b1.churn.churnRatePerSecond, 1)}/s`, `p50 ${f(w.b1.churn.p50ms, 0)} ms, p99 ${f(w.b1.churn.p99ms, 0)} ms (load ${f(w.b1.churn.load, 1)})`, 'p99 at 10k <= 2x at 1k']);
    }
    for (const p of w.b5 ?? []) rows.push(['B5', `HTTPRouteGroup edit, k=${p.k} referrers of N=${p.n}`, `${p.reconciles} reconciles (${f(p.reconcilesPerReferrer)}/k)`, 'proportional to k']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, j) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ') + (j === 0 ? `\n${widths.map((x) => '-'.repeat(x)).join('  ')}` : '')).join('\n') + '\n';
}
