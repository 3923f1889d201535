// The xds level of the conformance suite (Istio only): istiod runs against the cluster, every scenario's app gets
// fake pods, and after each step the suite waits until istiod has seen exactly the native objects the operator
// wrote, fetches the Envoy configuration of every pod's sidecar and asks ../envoy/ what it does.

import { getAdapter } from '../../adapters/index.js';
import type { ServicePort } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { EnvoyConfig } from '../envoy/index.js';
import type { SuiteKube } from '../kube.js';
import type { Assertion, NsMap } from '../types.js';
import { startIstiod, type Istiod } from './istiod.js';
import { observeXds, type Observation, type XdsService, type XdsWorld } from './observe.js';
import { createPods, type FakePod } from './workloads.js';

export interface XdsLevelOptions {
  /** The istio-oracle binary (test/istio-oracle). */
  binary: string;
  /** Kubeconfig file istiod uses (admin rights: it reads everything and writes its CA secret). */
  kubeconfigPath: string;
  clusterDomain?: string;
  logPath?: string;
}

export interface ScenarioWorld {
  namespaces: string[];
  services: XdsService[];
  pods: FakePod[];
}

const splitApiVersion = (v: string): { group: string; version: string } => {
  const i = v.lastIndexOf('/');
  return { group: i < 0 ? '' : v.slice(0, i), version: v.slice(i + 1) };
};

export class XdsLevel {
  private constructor(
    private readonly kube: SuiteKube,
    readonly istiod: Istiod,
    readonly trustDomain: string,
    private readonly clusterDomain: string,
  ) {}

  static async start(kube: SuiteKube, o: XdsLevelOptions): Promise<XdsLevel> {
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
    const istiod = await startIstiod({ binary: o.binary, kubeconfigPath: o.kubeconfigPath, ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}), ...(o.logPath ? { logPath: o.logPath } : {}) });
    try {
      const mesh = await istiod.mesh();
      return new XdsLevel(kube, istiod, mesh.trustDomain, o.clusterDomain ?? 'cluster.local');
    } catch (e) {
      await istiod.stop();
      throw e;
    }
  }

  /** After the app objects are applied: a pod per Deployment, and the Services with their ClusterIPs. */
  async prepare(app: KubeObject[], namespaces: string[]): Promise<ScenarioWorld> {
    const pods = await createPods(this.kube, app);
    const services: XdsService[] = [];
    for (const s of app.filter((x) => x.kind === 'Service')) {
      const live = (await this.kube.get('v1', 'Service', s.metadata.namespace, s.metadata.name)) as { spec?: { clusterIP?: string; ports?: ServicePort[]; selector?: Record<string, string> } } | undefined;
      if (!live?.spec?.clusterIP) throw new Error(`xds level: Service ${s.metadata.namespace}/${s.metadata.name} has no ClusterIP`);
      services.push({ name: s.metadata.name, namespace: s.metadata.namespace!, clusterIP: live.spec.clusterIP, ports: live.spec.ports ?? [], ...(live.spec.selector ? { selector: live.spec.selector } : {}) });
    }
    return { namespaces, services, pods };
  }

  /** Waits until istiod has seen exactly `natives` (and the Services), then observes each assertion. */
  async observe(sw: ScenarioWorld, natives: KubeObject[], assertions: Assertion[], ns: NsMap): Promise<Observation[]> {
    const world = await this.world(sw, natives);
    return assertions.map((a) => observeXds(world, a, ns));
  }

  /** The Envoy configuration of every pod once istiod has seen exactly `natives` in the scenario's namespaces. */
  async world(sw: ScenarioWorld, natives: KubeObject[]): Promise<XdsWorld> {
    const kinds = getAdapter('istio').nativeKinds.map((k) => ({ ...splitApiVersion(k.apiVersion), kind: k.kind }));
    const minVersion = await this.istiod.sync({
      kinds,
      namespaces: sw.namespaces,
      configs: natives.map((n) => ({ group: splitApiVersion(n.apiVersion).group, kind: n.kind, namespace: n.metadata.namespace ?? '', name: n.metadata.name, resourceVersion: n.metadata.resourceVersion ?? '' })),
      services: sw.services.map((s) => ({ host: `${s.name}.${s.namespace}.svc.${this.clusterDomain}`, ports: s.ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port) })),
    });
    const fetched = await this.istiod.xds(
      sw.pods.map((p) => ({ pod: p.name, namespace: p.namespace, ip: p.ip, serviceAccount: p.serviceAccount, labels: p.labels, ports: p.ports, clusterDomain: this.clusterDomain })),
      minVersion,
    );
    const configs = new Map<string, EnvoyConfig>(fetched.map((f) => [`${f.namespace}/${f.pod}`, f]));
    return { services: sw.services, pods: sw.pods, configs, trustDomain: this.trustDomain, clusterDomain: this.clusterDomain };
  }

  stop(): Promise<void> {
    return this.istiod.stop();
  }
}
