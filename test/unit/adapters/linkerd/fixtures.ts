// Hand-built ResolvedModel pieces: the renderer is tested on the model, not on resolve().

import type { TrafficSplit, TrafficTarget } from '../../../../schemas/hub.js';
import type { AccessRule, HttpCondition, ResolvedDestination, ResolvedModel, ResolvedSplit, SourceIdentity } from '../../../../adapters/common/model.js';
import type { ContainerPortInfo, HttpProbeInfo, MeshOptions, ServiceInfo, ServicePort, WorkloadInfo } from '../../../../adapters/types.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';

export const NS = 'shop';

export function service(name: string, ports: Array<number | Partial<ServicePort>> = [80], selector: Record<string, string> = { app: name }): ServiceInfo {
  return {
    namespace: NS,
    name,
    selector,
    ports: ports.map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' as const } : { port: 80, protocol: 'TCP' as const, ...p })),
  };
}

export function tsObject(name: string, uid?: string): TrafficSplit {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha4',
    kind: 'TrafficSplit',
    metadata: { name, namespace: NS, ...(uid ? { uid } : {}) },
    spec: { service: 'web', backends: [] },
  };
}

export function ttObject(name: string, uid?: string): TrafficTarget {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: NS, ...(uid ? { uid } : {}) },
    spec: { destination: { kind: 'ServiceAccount', name: 'web' }, rules: [], sources: [] },
  };
}

export function cond(origin: string, c: Partial<HttpCondition> = {}): HttpCondition {
  return { origin, headers: [], ...c };
}

export function resolvedSplit(
  root: ServiceInfo,
  backends: Array<[ServiceInfo, number]>,
  matches: HttpCondition[] = [],
  obj: TrafficSplit = tsObject('canary', 'uid-ts'),
): ResolvedSplit {
  return { split: obj, namespace: NS, root, backends: backends.map(([service, weight], index) => ({ service, weight, index })), matches };
}

export const src = (serviceAccount: string, namespace = NS): SourceIdentity => ({ namespace, serviceAccount });

export function rule(target: TrafficTarget, sources: SourceIdentity[], opts: { http?: HttpCondition[]; ports?: number[]; path?: string } = {}): AccessRule {
  const r: AccessRule = { target, path: opts.path ?? 'spec.rules[0]', sources, ports: opts.ports ?? [] };
  if (opts.http) r.http = opts.http;
  return r;
}

export function workload(owner: string, serviceAccount: string, podLabels: Record<string, string>): WorkloadInfo {
  return { namespace: NS, owner, serviceAccount, podLabels };
}

/** A workload with one container `app` declaring `ports` (default: http 8080) and the given HTTP probes. */
export function probed(
  owner: string,
  serviceAccount: string,
  podLabels: Record<string, string>,
  probes: HttpProbeInfo[],
  ports: ContainerPortInfo[] = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  podAnnotations?: Record<string, string>,
): WorkloadInfo {
  const w: WorkloadInfo = { namespace: NS, owner, serviceAccount, podLabels, containers: [{ name: 'app', ports, httpProbes: probes }] };
  if (podAnnotations) w.podAnnotations = podAnnotations;
  return w;
}

export function destination(
  serviceAccount: string,
  opts: { targets?: TrafficTarget[]; workloads?: WorkloadInfo[]; otherWorkloads?: WorkloadInfo[]; services?: ServiceInfo[]; rules?: AccessRule[] } = {},
): ResolvedDestination {
  const workloads = opts.workloads ?? [workload(`Deployment/${serviceAccount}`, serviceAccount, { app: serviceAccount, 'pod-template-hash': 'abc' })];
  return {
    namespace: NS,
    serviceAccount,
    targets: opts.targets ?? [],
    workloads,
    namespaceWorkloads: [...workloads, ...(opts.otherWorkloads ?? [])],
    services: opts.services ?? [service(serviceAccount, [8080])],
    rules: opts.rules ?? [],
  };
}

export function model(parts: Partial<ResolvedModel>): ResolvedModel {
  return { splits: [], destinations: [], results: [], ...parts };
}

export const ENFORCE: MeshOptions = { ...DEFAULT_MESH_OPTIONS };
