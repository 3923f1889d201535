// The kubelet's HTTP probes of a destination's pods, read as Linkerd's policy
// controller reads them (policy-controller `inbound/pod.rs` pod_http_probes): httpGet
// liveness, readiness and startup probes of the pod's containers; a named port is
// looked up among the TCP ports of the same container (case-insensitively); the path
// defaults to `/` and only its path part counts (no query).

import type { ContainerInfo, WorkloadInfo } from '../types.js';

export interface Probe {
  owner: string;
  /** Pod port the kubelet connects to. */
  port: number;
  /** Path part of the request, as Linkerd matches it. */
  path: string;
  /** HTTPS probes are TLS to the proxy: no HTTP route can match them. */
  https: boolean;
}

function resolvePort(port: number | string, c: ContainerInfo): number | undefined {
  if (typeof port === 'number') return port;
  const hit = c.ports.find((p) => p.protocol === 'TCP' && p.name !== undefined && p.name.toLowerCase() === port.toLowerCase());
  return hit?.containerPort;
}

/** `/healthz?full=1` -> `/healthz`; undefined for a path Linkerd cannot parse as a URI path. */
export function probePath(path: string | undefined): string | undefined {
  const p = path === undefined || path === '' ? '/' : path;
  const cut = p.split(/[?#]/, 1)[0] ?? '';
  // A URI path has no spaces or control characters (http::Uri rejects them).
  if (!cut.startsWith('/') || [...cut].some((ch) => ch <= ' ' || ch === '\u007f')) return undefined;
  return cut;
}

/** Every resolvable HTTP probe of the workloads' containers, in a stable order. */
export function httpProbes(workloads: readonly WorkloadInfo[]): Probe[] {
  const out: Probe[] = [];
  for (const w of workloads) {
    for (const c of w.containers ?? []) {
      for (const p of c.httpProbes) {
        const port = resolvePort(p.port, c);
        const path = probePath(p.path);
        if (port === undefined || path === undefined) continue;
        out.push({ owner: w.owner, port, path, https: p.scheme === 'HTTPS' });
      }
    }
  }
  return out;
}
