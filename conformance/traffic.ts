// The traffic level: on a cluster with the mesh installed (kind/), deploy the
// test app with sidecar injection, apply each step and observe real requests
// made with curl from the client container of the source ServiceAccount's pod
// (kubectl exec). Cannot run without a mesh; `make test` runs the config level.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KubeCredentials } from '../kube/credentials.js';
import type { MeshName } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { DEFAULT_CONFIG_MAP } from '../operator/config/mesh-config.js';
import { outcomeOf } from './evaluate.js';
import { SuiteKube } from './kube.js';
import { converged, statusReason, until } from './runner.js';
import { SCENARIOS } from './scenarios/index.js';
import type { AccessAssertion, Assertion, AssertionResult, MetricsAssertion, NsMap, Scenario, SplitAssertion } from './types.js';
import { quantityToNumber } from '../schemas/quantity.js';

const run = promisify(execFile);

export interface TrafficRunOptions {
  kubeConfig: KubeCredentials;
  mesh: MeshName;
  operatorNamespace?: string;
  only?: string[];
  timeoutMs?: number;
  /** Requests per split assertion. */
  requests?: number;
  kubectl?: string;
  progress?: (line: string) => void;
}

/** How each mesh is told to inject its proxy (namespace labels, pod annotations). */
export const INJECTION: Record<MeshName, { nsLabels?: Record<string, string>; podAnnotations?: Record<string, string> }> = {
  istio: { nsLabels: { 'istio-injection': 'enabled' } },
  linkerd: { podAnnotations: { 'linkerd.io/inject': 'enabled' } },
  consul: { podAnnotations: { 'consul.hashicorp.com/connect-inject': 'true', 'consul.hashicorp.com/transparent-proxy': 'true' } },
  // A GAMMA mesh is injected its own way; the traffic level runs the mesh's own name (istio, linkerd).
  gamma: {},
};

export function inject(o: KubeObject, mesh: MeshName): KubeObject {
  const ann = INJECTION[mesh].podAnnotations;
  if (o.kind !== 'Deployment' || !ann) return o;
  const c = structuredClone(o) as KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
  c.spec.template.metadata.annotations = { ...c.spec.template.metadata.annotations, ...ann };
  return c;
}

async function kubectl(o: TrafficRunOptions, args: string[]): Promise<string> {
  const { stdout } = await run(o.kubectl ?? 'kubectl', args, { timeout: 120_000, maxBuffer: 8 << 20 });
  return stdout;
}

export function curlArgs(url: string, req?: { method: string; headers?: Record<string, string> }): string {
  const h = Object.entries(req?.headers ?? {}).map(([k, v]) => `-H '${k}: ${v}'`).join(' ');
  return `curl -s -m 5 -o /tmp/body -w '%{http_code}' ${req ? `-X ${req.method}` : ''} ${h} '${url}'`;
}

async function probeAccess(o: TrafficRunOptions, a: AccessAssertion, ns: NsMap): Promise<{ ok: boolean; detail: string }> {
  if (a.udp) return { ok: false, detail: 'UDP is not observed by the test app (HTTP echo servers only)' };
  const url = `http://${a.to.service}.${ns(a.to.ns ?? 'app')}.svc:${a.to.port}${a.request?.path ?? '/'}`;
  let code: string;
  try {
    code = (await kubectl(o, ['exec', '-n', ns(a.from.ns ?? 'app'), `deploy/${a.from.sa}`, '-c', 'client', '--', 'sh', '-c', `${curlArgs(url, a.request)} || true`])).trim();
  } catch (e) {
    return { ok: false, detail: `kubectl exec failed: ${(e as Error).message.split('\n')[0]}` };
  }
  return judgeAccess(code, a);
}

/** HTTP: 2xx is allowed. TCP: any HTTP answer means the connection got through. `default`: kind/'s meshes allow. */
export function judgeAccess(code: string, a: Pick<AccessAssertion, 'request' | 'expect'>): { ok: boolean; detail: string } {
  const allowed = a.request ? /^2\d\d$/.test(code) : code !== '000' && code !== '';
  const want = a.expect !== 'deny';
  return { ok: allowed === want, detail: `HTTP ${code || '000'} (${allowed ? 'allowed' : 'denied'})${allowed === want ? '' : `; expected ${a.expect}`}` };
}

async function probeSplit(o: TrafficRunOptions, a: SplitAssertion, ns: NsMap): Promise<{ ok: boolean; detail: string }> {
  const n = o.requests ?? 50;
  const url = `http://${a.service}.${ns(a.ns ?? 'app')}.svc:${a.port}${a.request?.path ?? '/'}`;
  const h = Object.entries(a.request?.headers ?? {}).map(([k, v]) => `-H '${k}: ${v}'`).join(' ');
  const script = `i=0; while [ $i -lt ${n} ]; do curl -s -m 5 ${a.request ? `-X ${a.request.method}` : ''} ${h} '${url}'; echo; i=$((i+1)); done`;
  let out: string;
  try {
    out = await kubectl(o, ['exec', '-n', ns(a.from?.ns ?? 'app'), `deploy/${a.from?.sa ?? 'service-a'}`, '-c', 'client', '--', 'sh', '-c', script]);
  } catch (e) {
    return { ok: false, detail: `kubectl exec failed: ${(e as Error).message.split('\n')[0]}` };
  }
  const counts: Record<string, number> = {};
  for (const line of out.split('\n').map((l) => l.trim()).filter(Boolean)) counts[line] = (counts[line] ?? 0) + 1;
  return judgeSplit(counts, a.expect, n);
}

/**
 * Observed answers (echo text = serving ServiceAccount) against expected shares. An unsplit root Service must
 * spread over all its endpoints (both backends answer); a split must give each backend its share within 15
 * points, and 0 % / 100 % exactly.
 */
export function judgeSplit(counts: Record<string, number>, expect: Record<string, number>, n: number, backends: readonly string[] = ['service-b', 'service-c']): { ok: boolean; detail: string } {
  const seen = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'no answers';
  const names = Object.keys(expect);
  let ok: boolean;
  if (names.length === 1 && !backends.includes(names[0]!)) ok = backends.every((b) => (counts[b] ?? 0) > 0);
  else {
    ok = names.every((b) => {
      const pct = ((counts[b] ?? 0) * 100) / n;
      const want = expect[b]!;
      return want === 0 || want === 100 ? pct === want : Math.abs(pct - want) <= 15;
    });
  }
  return { ok, detail: `${seen} of ${n}` };
}

/** A Kubernetes quantity as TrafficMetrics report counts (`25`, `2500m`, `1k`); NaN when absent or not one. */
export const quantity = (v: string | undefined): number => quantityToNumber(v) ?? Number.NaN;

async function probeMetrics(o: TrafficRunOptions, a: MetricsAssertion, ns: NsMap): Promise<{ ok: boolean; detail: string }> {
  const r = a.resource;
  const path = r.plural === 'namespaces' ? `/apis/metrics.smi-spec.io/v1alpha1/namespaces/${ns(r.name)}` : `/apis/metrics.smi-spec.io/v1alpha1/namespaces/${ns(r.ns ?? 'app')}/${r.plural}/${r.name}`;
  let body: { metrics?: Array<{ name: string; value: string }> };
  try {
    body = JSON.parse(await kubectl(o, ['get', '--raw', `${path}?window=${a.window}`])) as typeof body;
  } catch (e) {
    return { ok: false, detail: `TrafficMetrics not served: ${(e as Error).message.split('\n')[0]}` };
  }
  const success = quantity(body.metrics?.find((m) => m.name === 'success_count')?.value);
  return { ok: success >= a.minSuccess, detail: `success_count ${Number.isNaN(success) ? 'absent' : success}` };
}

async function observe(o: TrafficRunOptions, kube: SuiteKube, a: Assertion, ns: NsMap): Promise<{ ok: boolean; detail: string }> {
  if (a.kind === 'access') return probeAccess(o, a, ns);
  if (a.kind === 'split') return probeSplit(o, a, ns);
  if (a.kind === 'metrics') return probeMetrics(o, a, ns);
  if (a.kind === 'policy') return { ok: false, detail: 'policy assertions are observed at the config level only' };
  const reason = await statusReason(kube, a, ns);
  return { ok: reason === a.expectReason, detail: `Accepted reason ${reason}` };
}

async function runScenario(o: TrafficRunOptions, kube: SuiteKube, s: Scenario): Promise<AssertionResult[]> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const real = new Map<string, string>();
  for (const l of ['app', ...(s.extraNamespaces ?? [])]) {
    const name = await kube.createNamespace(`smic-${s.id}-${l}`.slice(0, 50));
    const labels = INJECTION[o.mesh].nsLabels;
    if (labels) await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'smi-conformance/run': 'true', ...labels } } });
    real.set(l, name);
  }
  const ns: NsMap = (l) => real.get(l)!;
  const results: AssertionResult[] = [];
  try {
    for (const obj of s.app(ns)) await kube.apply(inject(obj, o.mesh));
    for (const n of real.values()) await kubectl(o, ['rollout', 'status', 'deployment', '--all', '-n', n, '--timeout=300s']);
    for (const step of s.steps) {
      const t0 = Date.now();
      for (const obj of step.apply?.(ns) ?? []) await kube.apply(obj);
      const removed = (step.remove ?? []).map((r) => ({ kind: r.kind, ns: ns(r.ns ?? 'app'), name: r.name }));
      for (const r of step.remove ?? []) await kube.remove(r.apiVersion, r.kind, ns(r.ns ?? 'app'), r.name);
      await until(`${s.id}: operator status`, timeoutMs, () => converged(kube, [...real.values()], removed)).catch(() => undefined);
      for (const a of step.assertions) {
        // Proxies pick up new policy within seconds: retry until it holds or the deadline passes.
        let r = await observe(o, kube, a, ns);
        const deadline = Date.now() + timeoutMs;
        const good = () => ['passed', 'expected-unsupported'].includes(outcomeOf(s, o.mesh, a, r.ok).outcome);
        while (!good() && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 2000));
          r = await observe(o, kube, a, ns);
        }
        results.push({ scenario: s.id, spec: s.spec, versions: s.versions, step: step.title, assertion: a.name, ...outcomeOf(s, o.mesh, a, r.ok), detail: r.detail, durationMs: Date.now() - t0 });
      }
    }
  } finally {
    for (const n of real.values()) await kube.remove('v1', 'Namespace', undefined, n).catch(() => {});
  }
  return results;
}

export async function runTrafficLevel(o: TrafficRunOptions): Promise<AssertionResult[]> {
  const kube = new SuiteKube(o.kubeConfig);
  const cmNs = o.operatorNamespace ?? 'smi-system';
  const cm = (await kube.get('v1', 'ConfigMap', cmNs, DEFAULT_CONFIG_MAP)) as { data?: Record<string, string> } | undefined;
  if (cm?.data?.mesh?.trim() !== o.mesh) throw new Error(`the deployed operator (${cmNs}/${DEFAULT_CONFIG_MAP}) selects mesh ${cm?.data?.mesh ?? '(none)'}, not ${o.mesh}: deploy it first (kind/deploy.sh)`);
  const results: AssertionResult[] = [];
  for (const s of SCENARIOS.filter((x) => !o.only || o.only.includes(x.id))) {
    o.progress?.(`${o.mesh} traffic: ${s.id}`);
    results.push(...(await runScenario(o, kube, s)));
  }
  return results;
}
