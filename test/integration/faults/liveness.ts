// What the fault tests observe while the operator (in this process, as
// test/integration/operator/helpers.ts starts it) is under load: its Lease, through a
// watch (the renewTimes the operator wrote, whenever this loop gets to read them), and
// its /healthz, through a prober in another process (as the kubelet probes). Plus the
// in-process webhook the operator's process runs in production, and the convergence
// check: the managed objects are what the adapter makes of the namespace's objects.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type MeshName, type MeshOptions } from '../../../adapters/types.js';
import type { KubeClient, WatchHandle } from '../../../kube/client.js';
import { Offload } from '../../../operator/offload/offload.js';
import { startWebhookServer, type WebhookServer } from '../../../operator/webhooks/server.js';
import { generateWebhookCertificates } from '../../../release/certs.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { canonicalJson } from '../../../operator/controller/labels.js';
import type { TestKube } from '../operator/helpers.js';

// ---- /healthz, probed from another process ----

export interface Probe {
  at: number;
  ms: number;
  ok: boolean;
  status?: number;
  error?: string;
}

/** The kubelet's livenessProbe defaults (config/manager/manager.yaml sets none of these). */
export const KUBELET = { periodMs: 10_000, timeoutMs: 1000, failureThreshold: 3 };

export function startProber(url: string, periodMs: number): { stop(): Promise<Probe[]> } {
  const script = fileURLToPath(new URL('../../support/prober.js', import.meta.url));
  const child = spawn(process.execPath, [script, url, String(periodMs), String(KUBELET.timeoutMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const probes: Probe[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => probes.push(JSON.parse(l) as Probe));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return probes;
    },
  };
}

/**
 * The probes the kubelet would have failed in a row, at its own period: the prober samples far more
 * often (every 250 ms), so every phase of the kubelet's 10 s clock is tried — for each probe as the
 * kubelet's first, the probes nearest to it + k periods. A stall the kubelet would see in one probe
 * only (a few seconds on a loaded machine) does not restart a container; `failureThreshold` in a
 * row does. Returns the worst run and where it ended.
 */
export function kubeletFailures(probes: readonly Probe[], kubelet = KUBELET): { run: number; last?: Probe } {
  const sorted = [...probes].sort((a, b) => a.at - b.at);
  const nearest = (t: number, from: number): number => {
    let i = from;
    while (i + 1 < sorted.length && Math.abs(sorted[i + 1]!.at - t) <= Math.abs(sorted[i]!.at - t)) i++;
    return i;
  };
  let worst: { run: number; last?: Probe } = { run: 0 };
  const end = sorted.length > 0 ? sorted[sorted.length - 1]!.at : 0;
  for (let s = 0; s < sorted.length && sorted[s]!.at < sorted[0]!.at + kubelet.periodMs; s++) {
    let run = 0;
    for (let t = sorted[s]!.at, i = s; t <= end; t += kubelet.periodMs) {
      i = nearest(t, i);
      const p = sorted[i]!;
      run = p.ok ? 0 : run + 1;
      if (run > worst.run) worst = { run, last: p };
    }
  }
  return worst;
}

/** The kubelet would have restarted the container: `failureThreshold` failed probes in a row (at its period) within [from, to]. */
export function expectAlive(probes: readonly Probe[], from: number, to: number): { probes: number; failed: number } {
  const during = probes.filter((p) => p.at >= from && p.at <= to);
  expect(during.length, 'probes during the window (none: the window is too short to say anything)').to.be.greaterThan(KUBELET.failureThreshold);
  const { run, last } = kubeletFailures(during);
  expect(run, `${KUBELET.failureThreshold} /healthz probes ${KUBELET.periodMs / 1000} s apart failed (the last: ${last?.error ?? last?.status} at ${last ? new Date(last.at).toISOString() : '?'}); the kubelet would restart the operator`).to.be.below(KUBELET.failureThreshold);
  return { probes: during.length, failed: during.filter((p) => !p.ok).length };
}

// ---- the Lease ----

export interface LeaseSeen {
  holder: string | null | undefined;
  renewTime: number;
  transitions: number;
}

/** Every version of the Lease from now on (the watch resumes from the last resourceVersion if it ends). */
export function watchLease(client: KubeClient, ns: string, name: string): { seen: LeaseSeen[]; stop(): void } {
  const seen: LeaseSeen[] = [];
  let rv: string | undefined;
  let handle: WatchHandle | undefined;
  let stopped = false;
  const start = (): void => {
    if (stopped) return;
    const h = client.watch(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, { fieldSelector: `metadata.name=${name}`, resourceVersion: rv, timeoutSeconds: 600 }, (e) => {
      const o = e.object as unknown as KubeObject & { spec?: { holderIdentity?: string | null; renewTime?: string | null; leaseTransitions?: number } };
      if (e.type === 'ERROR') return;
      rv = o.metadata?.resourceVersion ?? rv;
      if (e.type === 'BOOKMARK' || !o.spec?.renewTime) return;
      seen.push({ holder: o.spec.holderIdentity, renewTime: Date.parse(o.spec.renewTime), transitions: o.spec.leaseTransitions ?? 0 });
    });
    handle = h;
    void h.done.then(() => start());
  };
  start();
  return {
    seen,
    stop() {
      stopped = true;
      handle?.abort();
    },
  };
}

/** One holder throughout, no transition, and no two consecutive renewals (covering [from, to]) further apart than the lease duration. */
export function expectLeaseHeld(seen: readonly LeaseSeen[], identity: string, durationS: number, from: number, to: number): { renewals: number; maxGapMs: number } {
  const before = seen.filter((s) => s.renewTime <= from);
  const after = seen.filter((s) => s.renewTime >= to);
  expect(before.length, 'a renewal before the window').to.be.greaterThan(0);
  expect(after.length, 'a renewal after the window').to.be.greaterThan(0);
  const window = seen.filter((s) => s.renewTime >= before[before.length - 1]!.renewTime && s.renewTime <= after[0]!.renewTime);
  for (const s of window) expect(s.holder, `the Lease changed hands at ${new Date(s.renewTime).toISOString()}`).to.equal(identity);
  expect(new Set(window.map((s) => s.transitions)).size, 'leaseTransitions changed').to.equal(1);
  let maxGapMs = 0;
  for (let i = 1; i < window.length; i++) maxGapMs = Math.max(maxGapMs, window[i]!.renewTime - window[i - 1]!.renewTime);
  expect(maxGapMs, `the Lease went ${maxGapMs} ms without renewal; it expires after ${durationS * 1000} ms`).to.be.below(durationS * 1000);
  return { renewals: window.length, maxGapMs };
}

// ---- the webhook, in this process like in the operator's ----

export interface InProcessWebhook {
  server: WebhookServer;
  reviews: Array<{ path: string; status: number; ms: number; cpuMs: number; bytes: number }>;
  close(): Promise<void>;
}

/** The admission webhook (with its own offload worker, as `smictl operator` runs it), registered for `ns` only. */
export async function startWebhook(k: TestKube, ns: string): Promise<InProcessWebhook> {
  const certs = generateWebhookCertificates();
  const offload = new Offload();
  const reviews: InProcessWebhook['reviews'] = [];
  const server = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: certs.cert, key: certs.key, offload, onRequest: (i) => reviews.push(i) });
  const name = `smi-validate-${ns}`;
  const r = await k.client.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name },
      webhooks: [
        {
          name: 'validate.smi-operator.io',
          clientConfig: { url: `https://127.0.0.1:${server.port}/validate`, caBundle: Buffer.from(certs.caCert).toString('base64') },
          rules: [{ apiGroups: ['split.smi-spec.io', 'access.smi-spec.io', 'specs.smi-spec.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: 'Namespaced' }],
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          timeoutSeconds: 10,
        },
      ],
    },
  });
  if (!r.ok) throw new Error(`register the webhook: ${r.error.message}`);
  return {
    server,
    reviews,
    async close() {
      await k.client.request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`);
      await server.close();
      await offload.close();
    },
  };
}

// ---- convergence ----

const SMI = [
  { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit' },
  { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget' },
  { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup' },
  { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute' },
];
const INPUTS = [{ apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'v1', kind: 'ServiceAccount' }, { apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'v1', kind: 'Pod' }];
const ISTIO = [
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
];

/** The managed Istio objects of the namespace (spec only, by kind/name). */
export async function managedIstio(k: TestKube, ns: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const t of ISTIO) out.push(...(await k.list(t.apiVersion, t.kind, ns, `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`)));
  return out;
}

/**
 * Every SMI object has a status for its current generation, and the managed objects are
 * the adapter's translation of the namespace. The translation runs in an offload worker:
 * this process's event loop is the operator's, and translating heavy objects here would
 * stall its lease renewal like the operator itself must not.
 */
export async function converged(k: TestKube, ns: string, mesh: MeshName, options: MeshOptions, translator: Offload): Promise<string | true> {
  const inputs: KubeObject[] = [];
  for (const t of SMI) {
    for (const o of await k.list(t.apiVersion, t.kind, ns)) {
      const st = (o as { status?: { observedGeneration?: number } }).status;
      if (st?.observedGeneration !== o.metadata.generation) return `${o.kind} ${o.metadata.name} has no status for generation ${o.metadata.generation}`;
      inputs.push(o);
    }
  }
  // Items of a built-in list carry no apiVersion/kind.
  for (const t of INPUTS) inputs.push(...(await k.list(t.apiVersion, t.kind, ns)).map((o) => ({ ...o, apiVersion: t.apiVersion, kind: t.kind })));
  if (mesh !== 'istio') throw new Error('converged() compares Istio objects only');
  const want = new Map((await translator.translate(mesh, options, inputs)).objects.map((o) => [`${o.kind}/${o.metadata.name}`, (o as { spec?: unknown }).spec]));
  const got = new Map((await managedIstio(k, ns)).map((o) => [`${o.kind}/${o.metadata.name}`, (o as { spec?: unknown }).spec]));
  for (const [key, spec] of want) if (canonicalJson(got.get(key) ?? null) !== canonicalJson(spec ?? null)) return got.has(key) ? `${key} differs from the translation` : `${key} is missing`;
  for (const key of got.keys()) if (!want.has(key)) return `${key} is managed but not in the translation`;
  return true;
}
