// buildSnapshot(): raw Kubernetes objects (files or the operator's cache) -> the
// Snapshot the adapters read. SMI objects of any served version are validated and
// converted to the hub; invalid ones are left out and reported as Problems.
// One pass plus map look-ups: the operator calls this on every change.

import { isSmiGroup, unservedSmiField } from '../../schemas/versions.js';
import { isPolicyKind, type PolicyObject } from '../../schemas/policy-types.js';
import { validateSmiObject } from '../../schemas/validate.js';
import type { HTTPRouteGroup, KubeObject, SmiObject, TCPRoute, TrafficSplit, TrafficTarget, UDPRoute } from '../../schemas/hub.js';
import { objectRef } from '../../schemas/hub.js';
import { problem, type Problem } from '../../schemas/problem.js';
import { nameProblem, type NameRule } from '../../schemas/names.js';
import type { ContainerInfo, ContainerPortInfo, HttpProbeInfo, NamespaceInfo, ServiceInfo, ServicePort, Snapshot, WorkloadInfo } from '../types.js';
import { compareStrings, namespaceOf } from './status.js';

const POD_CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

function servicePorts(obj: KubeObject, problems: Problem[]): ServicePort[] {
  const raw = rec(obj.spec).ports;
  const out: ServicePort[] = [];
  (Array.isArray(raw) ? raw : []).forEach((p: unknown, i) => {
    const r = rec(p);
    if (typeof r.port !== 'number' || !Number.isInteger(r.port) || r.port < 1 || r.port > 65535) {
      problems.push(problem(objectRef(obj), `spec.ports[${i}].port`, `must be a port number 1-65535, got ${JSON.stringify(r.port)}`));
      return;
    }
    const port: ServicePort = { port: r.port, protocol: 'TCP' };
    if (str(r.name)) port.name = r.name as string;
    if (typeof r.targetPort === 'number' || str(r.targetPort)) port.targetPort = r.targetPort as number | string;
    if (typeof r.protocol === 'string' && PROTOCOLS.has(r.protocol)) port.protocol = r.protocol as ServicePort['protocol'];
    if (str(r.appProtocol)) port.appProtocol = r.appProtocol as string;
    out.push(port);
  });
  return out;
}

function serviceInfo(obj: KubeObject, problems: Problem[]): ServiceInfo {
  const info: ServiceInfo = { namespace: namespaceOf(obj), name: obj.metadata.name, ports: servicePorts(obj, problems) };
  const selector = stringMap(rec(obj.spec).selector);
  if (Object.keys(selector).length > 0) info.selector = selector;
  return info;
}

const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

function containerPorts(c: Rec): ContainerPortInfo[] {
  const raw = Array.isArray(c.ports) ? c.ports : [];
  return raw.flatMap((p: unknown): ContainerPortInfo[] => {
    const r = rec(p);
    if (!isPort(r.containerPort)) return [];
    const port: ContainerPortInfo = { containerPort: r.containerPort, protocol: typeof r.protocol === 'string' && PROTOCOLS.has(r.protocol) ? (r.protocol as ContainerPortInfo['protocol']) : 'TCP' };
    if (str(r.name)) port.name = r.name as string;
    return [port];
  });
}

function httpProbes(c: Rec): HttpProbeInfo[] {
  return ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((k): HttpProbeInfo[] => {
    const get = rec(rec(c[k]).httpGet);
    const port = get.port;
    if (!isPort(port) && !str(port)) return [];
    const probe: HttpProbeInfo = { port: port as number | string, scheme: get.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP' };
    if (typeof get.path === 'string') probe.path = get.path;
    return [probe];
  });
}

function containers(podSpec: Rec): ContainerInfo[] {
  const raw = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  return raw.map((c: unknown, i) => {
    const r = rec(c);
    return { name: str(r.name) ?? `#${i}`, ports: containerPorts(r), httpProbes: httpProbes(r) };
  });
}

/** The identity, labels, annotations and containers of the pods an object runs (a Pod, or a controller's template). */
function workloadInfo(obj: KubeObject): WorkloadInfo {
  const isPod = obj.kind === 'Pod';
  const podSpec = isPod ? rec(obj.spec) : rec(rec(rec(obj.spec).template).spec);
  const podMeta = isPod ? rec(obj.metadata) : rec(rec(rec(obj.spec).template).metadata);
  // `serviceAccount` is the deprecated alias the API server still honours.
  const sa = str(podSpec.serviceAccountName) ?? str(podSpec.serviceAccount) ?? 'default';
  return {
    namespace: namespaceOf(obj),
    owner: `${obj.kind}/${obj.metadata.name}`,
    serviceAccount: sa,
    podLabels: stringMap(podMeta.labels),
    containers: containers(podSpec),
    podAnnotations: stringMap(podMeta.annotations),
  };
}

const isWorkloadKind = (o: KubeObject): boolean =>
  (o.kind === 'Pod' && o.apiVersion === 'v1') || (POD_CONTROLLERS.has(o.kind) && o.apiVersion === 'apps/v1');

/** True when a controller that is itself in the input owns `obj`: its template already describes the pods. */
function ownedByKnownController(obj: KubeObject, known: Set<string>): boolean {
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller);
  return owner !== undefined && known.has(`${owner.kind}/${namespaceOf(obj)}/${owner.name}`);
}

const byNsName = <T extends { namespace: string; name?: string; owner?: string }>(a: T, b: T): number =>
  compareStrings(a.namespace, b.namespace) || compareStrings(a.name ?? a.owner ?? '', b.name ?? b.owner ?? '');

const byObject = (a: KubeObject, b: KubeObject): number =>
  compareStrings(namespaceOf(a), namespaceOf(b)) || compareStrings(a.metadata.name, b.metadata.name);

/**
 * Problems with the name and namespace of a Service or ServiceAccount. Files never went
 * through the API server, and adapters derive native names and mesh identities from these.
 */
function kubeNameProblems(obj: KubeObject, rule: NameRule): Problem[] {
  const found: Problem[] = [];
  const name = nameProblem(rule, obj.metadata.name);
  if (name) found.push(problem(objectRef(obj), 'metadata.name', `${name}; the ${obj.kind} is ignored`));
  const ns = nameProblem('DNS-1123 label', obj.metadata.namespace);
  if (ns) found.push(problem(objectRef(obj), 'metadata.namespace', `${ns}; the ${obj.kind} is ignored`));
  return found;
}

export interface SnapshotOptions {
  /**
   * Validation of an SMI object that has its namespace, for callers that keep results per
   * resourceVersion (the operator keeps each object's verdict, and derives the hub again only
   * for a valid one). The hub it returns must be treated as read-only, as adapters do.
   */
  validate?(o: KubeObject): { hub?: SmiObject; problems: Problem[] };
}

/**
 * A unit's snapshot. A split unit is given the TrafficTargets behind its rate-limited Services
 * only as context (their objects belong to their access units): they are moved out of the way.
 */
export function unitSnapshot(objects: readonly KubeObject[], targetsAsContext: boolean, opts: SnapshotOptions = {}): Snapshot {
  const { snapshot } = buildSnapshot(objects, opts);
  if (targetsAsContext && snapshot.trafficTargets.length > 0) {
    snapshot.contextTrafficTargets = snapshot.trafficTargets;
    snapshot.trafficTargets = [];
  }
  return snapshot;
}

export function buildSnapshot(objects: readonly KubeObject[], opts: SnapshotOptions = {}): { snapshot: Snapshot; problems: Problem[] } {
  const problems: Problem[] = [];
  // Last definition of a kind/namespace/name wins, like a repeated `kubectl apply`.
  const smi = new Map<string, SmiObject>();
  const services = new Map<string, ServiceInfo>();
  const accounts = new Map<string, { namespace: string; name: string }>();
  const workloadObjs = new Map<string, KubeObject>();
  const namespaces = new Map<string, NamespaceInfo>();

  for (const raw of objects) {
    const obj: KubeObject = { ...raw, metadata: { ...rec(raw.metadata), namespace: namespaceOf(raw) } as KubeObject['metadata'] };
    if (!str(obj.metadata.name)) {
      problems.push(problem(objectRef(obj), 'metadata.name', 'is required'));
      continue;
    }
    const key = `${obj.kind}/${namespaceOf(obj)}/${obj.metadata.name}`;
    if (isSmiGroup(obj.apiVersion)) {
      const { hub, problems: found } = opts.validate && typeof raw.metadata?.namespace === 'string' ? opts.validate(raw) : validateSmiObject(obj);
      problems.push(...found);
      if (!hub) continue;
      if (smi.has(key)) problems.push(problem(objectRef(obj), '', 'is defined more than once; the last definition is used'));
      smi.set(key, hub);
    } else if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
      const bad = kubeNameProblems(obj, 'DNS-1035 label');
      problems.push(...bad);
      if (bad.length === 0) services.set(key, serviceInfo(obj, problems));
    } else if (obj.kind === 'ServiceAccount' && obj.apiVersion === 'v1') {
      const bad = kubeNameProblems(obj, 'DNS-1123 subdomain');
      problems.push(...bad);
      if (bad.length === 0) accounts.set(key, { namespace: namespaceOf(obj), name: obj.metadata.name });
    } else if (isWorkloadKind(obj)) {
      workloadObjs.set(key, obj);
    } else if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      namespaces.set(obj.metadata.name, { name: obj.metadata.name, annotations: stringMap(raw.metadata?.annotations) });
    } else {
      // An SMI kind without a group (`apiVersion: v1alpha1`, as the SMI docs write it) or in a
      // look-alike group is not translated: say so, or it would vanish without a word.
      const unserved = unservedSmiField(obj.apiVersion, obj.kind);
      if (unserved) problems.push(problem(objectRef(obj), unserved.path, `${unserved.message}; the object is not translated`));
    }
  }

  const known = new Set(workloadObjs.keys());
  const workloads = [...workloadObjs.values()].filter((o) => !ownedByKnownController(o, known)).map(workloadInfo);
  const hubs = [...smi.values()].sort(byObject);
  const ofKind = <T extends SmiObject>(kind: T['kind']): T[] => hubs.filter((h): h is T => h.kind === kind);
  const snapshot: Snapshot = {
    trafficSplits: ofKind<TrafficSplit>('TrafficSplit'),
    trafficTargets: ofKind<TrafficTarget>('TrafficTarget'),
    httpRouteGroups: ofKind<HTTPRouteGroup>('HTTPRouteGroup'),
    tcpRoutes: ofKind<TCPRoute>('TCPRoute'),
    udpRoutes: ofKind<UDPRoute>('UDPRoute'),
    policies: hubs.filter((h): h is PolicyObject => isPolicyKind(h.kind)),
    services: [...services.values()].sort(byNsName),
    serviceAccounts: [...accounts.values()].sort(byNsName),
    workloads: workloads.sort(byNsName),
  };
  if (namespaces.size > 0) snapshot.namespaces = [...namespaces.values()].sort((a, b) => compareStrings(a.name, b.name));
  return { snapshot, problems };
}
