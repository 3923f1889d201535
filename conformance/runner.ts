// The config level: with the operator running (started here in-process, or one
// already deployed), apply each scenario to fresh namespaces, wait until the
// operator has reported status for every SMI object, read back the native
// objects and ask the mesh interpreter what they mean.

import type { KubeClient } from '../kube/client.js';
import type { KubeCredentials } from '../kube/credentials.js';
import { getAdapter } from '../adapters/index.js';
import type { MeshAdapter, MeshName } from '../adapters/types.js';
import { DEFAULT_CONFIG_MAP } from '../operator/config/mesh-config.js';
import { silentLogger } from '../log/log.js';
import { startOperator, type RunningOperator } from '../operator/manager.js';
import type { KubeObject, SmiKind } from '../schemas/hub.js';
import { appModel, observe, outcomeOf } from './evaluate.js';
import type { World } from './interpret/index.js';
import { SuiteKube, hubVersion } from './kube.js';
import { SCENARIOS } from './scenarios/index.js';
import { serveConversion, type ServedConversion } from './conversion.js';
import { levelsOf, type Assertion, type AssertionResult, type NsMap, type Scenario, type Step } from './types.js';
import { XdsLevel, type ScenarioWorld, type XdsLevelOptions } from './xds/level.js';

export interface ConfigRunOptions {
  kubeConfig: KubeCredentials;
  mesh: MeshName;
  /** `in-process`: start the operator here; `external`: one is already running (its ConfigMap must select `mesh`). */
  operator?: 'in-process' | 'external';
  /** The operator's namespace (its ConfigMap and Lease); in-process default: a fresh one, deleted afterwards. */
  operatorNamespace?: string;
  /** In-process: the operator's own credentials (default: kubeConfig), e.g. a ServiceAccount bound to config/rbac. */
  operatorKubeConfig?: KubeCredentials;
  /** In-process: the operator's REST client (default: one built from operatorKubeConfig), e.g. a recording one. */
  operatorClient?: KubeClient;
  /** In-process: run with leader election (needs the Lease rights). */
  leaderElect?: boolean;
  /**
   * Scenarios that apply older SMI versions need CRD conversion. `serve`: serve the operator's /convert here and
   * point the CRDs at it for the run (a local control plane); `cluster`: the CRDs already call a deployed webhook;
   * `skip`: leave those scenarios out. Default: `serve` in-process, `cluster` external.
   */
  conversion?: 'serve' | 'cluster' | 'skip';
  /** Scenario ids to run; default all. */
  only?: string[];
  /** Per step: how long the operator may take to converge. */
  timeoutMs?: number;
  trustDomain?: string;
  clusterDomain?: string;
  progress?: (line: string) => void;
  /**
   * `config` (default): a per-mesh interpreter reads the native objects. `xds` (Istio only): istiod runs against the
   * cluster and the Envoy configuration it generates for fake sidecars is evaluated (needs `xds`).
   */
  level?: 'config' | 'xds';
  xds?: XdsLevelOptions;
  /** In-process: the adapters the operator uses (default: the real ones); tests swap in broken ones. */
  adapter?: (mesh: MeshName) => MeshAdapter;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = `: ${(e as Error).message}`;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    await sleep(200);
  }
}

/** Every SMI object in the namespaces carries status for its current generation, and removed ones are gone. */
export async function converged(kube: SuiteKube, namespaces: string[], removed: Array<{ kind: string; ns: string; name: string }>): Promise<true | undefined> {
  for (const r of removed) if (await kube.get(hubVersion(r.kind as SmiKind), r.kind, r.ns, r.name)) return undefined;
  for (const ns of namespaces) {
    for (const o of await kube.smiObjects(ns)) {
      const status = (o as { status?: { observedGeneration?: number; conditions?: Array<{ type: string; observedGeneration?: number }> } }).status;
      const ready = status?.conditions?.find((c) => c.type === 'Ready');
      if (status?.observedGeneration !== o.metadata.generation || ready?.observedGeneration !== o.metadata.generation) return undefined;
    }
  }
  return true;
}

async function readNatives(kube: SuiteKube, mesh: MeshName, namespaces: string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const k of getAdapter(mesh).nativeKinds) {
    for (const ns of namespaces) out.push(...(await kube.list(k.apiVersion, k.kind, ns)));
  }
  return out;
}

export async function statusReason(kube: SuiteKube, a: Extract<Assertion, { kind: 'status' }>, ns: NsMap): Promise<string> {
  const o = await kube.get(hubVersion(a.object.kind as SmiKind), a.object.kind, ns(a.object.ns ?? 'app'), a.object.name);
  const c = (o as { status?: { conditions?: Array<{ type: string; reason: string }> } } | undefined)?.status?.conditions?.find((x) => x.type === 'Accepted');
  return c?.reason ?? '(no Accepted condition)';
}

/** The xds level's state for a run and for the current scenario. */
interface XdsRun {
  level: XdsLevel;
  world?: ScenarioWorld;
}

async function runStep(kube: SuiteKube, o: Required<Pick<ConfigRunOptions, 'mesh' | 'timeoutMs'>> & ConfigRunOptions, s: Scenario, step: Step, ns: NsMap, namespaces: string[], appObjects: KubeObject[], op?: RunningOperator, xds?: XdsRun): Promise<AssertionResult[]> {
  const t0 = Date.now();
  for (const obj of step.apply?.(ns) ?? []) await kube.apply(obj);
  const removed = (step.remove ?? []).map((r) => ({ kind: r.kind, ns: ns(r.ns ?? 'app'), name: r.name }));
  for (const r of step.remove ?? []) await kube.remove(r.apiVersion, r.kind, ns(r.ns ?? 'app'), r.name);
  await until(`${s.id}: operator status for step "${step.title}"`, o.timeoutMs, () => converged(kube, namespaces, removed));
  await op?.idle();

  const model = appModel(appObjects);
  const evaluate = async (): Promise<Array<{ a: Assertion; ok: boolean; detail: string }>> => {
    const world: World = { natives: await readNatives(kube, o.mesh, namespaces), ...model, trustDomain: o.trustDomain ?? 'cluster.local', clusterDomain: o.clusterDomain ?? 'cluster.local' };
    const asked = step.assertions.filter((x) => levelsOf(x).includes(xds ? 'xds' : 'config'));
    const viaMesh = asked.filter((a) => a.kind !== 'status');
    const seen = xds ? await xds.level.observe(xds.world!, world.natives, viaMesh, ns) : viaMesh.map((a) => observe(o.mesh, world, a, ns));
    const out = [];
    for (const a of asked) {
      if (a.kind === 'status') {
        const reason = await statusReason(kube, a, ns);
        out.push({ a, ok: reason === a.expectReason, detail: `Accepted reason ${reason}${reason === a.expectReason ? '' : `; expected ${a.expectReason}`}` });
      } else out.push({ a, ...seen[viaMesh.indexOf(a)]! });
    }
    return out;
  };
  // Status first, objects a moment later (an external operator may still be pruning): re-read until stable or the deadline.
  const settled = (rs: Array<{ a: Assertion; ok: boolean }>) => rs.every((r) => ['passed', 'expected-unsupported'].includes(outcomeOf(s, o.mesh, r.a, r.ok).outcome));
  let rs = await evaluate();
  const deadline = Date.now() + Math.min(o.timeoutMs, 5_000);
  while (!settled(rs) && Date.now() < deadline) {
    await sleep(250);
    rs = await evaluate();
  }
  const ms = Date.now() - t0;
  return rs.map((r) => ({ scenario: s.id, spec: s.spec, versions: s.versions, step: step.title, assertion: r.a.name, ...outcomeOf(s, o.mesh, r.a, r.ok), detail: r.detail, durationMs: ms }));
}

async function runScenario(kube: SuiteKube, o: Required<Pick<ConfigRunOptions, 'mesh' | 'timeoutMs'>> & ConfigRunOptions, s: Scenario, op?: RunningOperator, xds?: XdsLevel): Promise<AssertionResult[]> {
  const logical = ['app', ...(s.extraNamespaces ?? [])];
  const real = new Map<string, string>();
  for (const l of logical) real.set(l, await kube.createNamespace(`smic-${o.mesh}-${s.id}-${l}`.slice(0, 50)));
  const ns: NsMap = (l) => {
    const n = real.get(l);
    if (!n) throw new Error(`scenario ${s.id}: undeclared namespace ${l}`);
    return n;
  };
  const results: AssertionResult[] = [];
  try {
    const app = s.app(ns);
    for (const obj of app) await kube.apply(obj);
    const xrun = xds ? { level: xds, world: await xds.prepare(app, [...real.values()]) } : undefined;
    for (const step of s.steps) {
      try {
        results.push(...(await runStep(kube, o, s, step, ns, [...real.values()], app, op, xrun)));
      } catch (e) {
        for (const a of step.assertions.filter((x) => levelsOf(x).includes(xds ? 'xds' : 'config'))) results.push({ scenario: s.id, spec: s.spec, versions: s.versions, step: step.title, assertion: a.name, outcome: 'failed', detail: (e as Error).message, durationMs: 0 });
      }
    }
  } finally {
    for (const n of real.values()) await kube.remove('v1', 'Namespace', undefined, n).catch(() => {});
  }
  return results;
}

export async function runConfigLevel(opts: ConfigRunOptions): Promise<AssertionResult[]> {
  const o = { timeoutMs: 30_000, operator: 'in-process' as const, ...opts };
  const kube = new SuiteKube(o.kubeConfig);
  let op: RunningOperator | undefined;
  let opNs: string | undefined;
  if (o.operator === 'in-process') {
    if (o.operatorNamespace) await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.operatorNamespace } });
    const ns = o.operatorNamespace ?? (opNs = await kube.createNamespace(`smic-operator-${o.mesh}`));
    await kube.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DEFAULT_CONFIG_MAP, namespace: ns }, data: { mesh: o.mesh, trustDomain: o.trustDomain ?? 'cluster.local', clusterDomain: o.clusterDomain ?? 'cluster.local' } } as KubeObject);
    op = await startOperator({ ...(o.adapter ? { adapter: o.adapter } : {}), kubeConfig: o.operatorKubeConfig ?? o.kubeConfig, ...(o.operatorClient ? { client: o.operatorClient } : {}), namespace: ns, leaderElect: o.leaderElect ?? false, leaseRetryMs: 500, logger: silentLogger() });
    await until(`operator configured for ${o.mesh} and leading`, 20_000, async () => (op!.config().mesh === o.mesh && op!.isLeader() ? true : undefined));
  } else {
    const cmNs = o.operatorNamespace ?? 'smi-system';
    const cm = (await kube.get('v1', 'ConfigMap', cmNs, DEFAULT_CONFIG_MAP)) as { data?: Record<string, string> } | undefined;
    const mesh = cm?.data?.mesh?.trim();
    if (mesh !== o.mesh) throw new Error(`the running operator's ConfigMap ${cmNs}/${DEFAULT_CONFIG_MAP} selects mesh ${mesh ?? '(unset)'}, not ${o.mesh}`);
  }
  const conversion = o.conversion ?? (o.operator === 'in-process' ? 'serve' : 'cluster');
  const chosen = SCENARIOS.filter((x) => (!o.only || o.only.includes(x.id)) && !(x.needsConversion && conversion === 'skip'));
  let served: ServedConversion | undefined;
  let xds: XdsLevel | undefined;
  const results: AssertionResult[] = [];
  try {
    if (o.level === 'xds') {
      if (o.mesh !== 'istio') throw new Error(`the xds level judges Istio only, not ${o.mesh}`);
      if (!o.xds) throw new Error('the xds level needs the istio-oracle binary and a kubeconfig file');
      xds = await XdsLevel.start(kube, { ...o.xds, ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}) });
    }
    if (conversion === 'serve' && chosen.some((x) => x.needsConversion)) served = await serveConversion(o.kubeConfig);
    for (const s of chosen) {
      o.progress?.(`${o.mesh}: ${s.id}`);
      results.push(...(await runScenario(kube, o, s, op, xds)));
    }
  } finally {
    await xds?.stop();
    await served?.stop();
    await op?.stop();
    if (opNs) await kube.remove('v1', 'Namespace', undefined, opNs).catch(() => {});
  }
  return results;
}
