// One namespace on the shared control plane with the smi-gen app, its fake pods and istiod: write the Istio
// adapter's output for some SMI input straight to the API server (what the operator would write), then read the
// Envoy configuration istiod generates from exactly that.

import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { getAdapter } from '../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, type MeshOptions } from '../../adapters/types.js';
import { SuiteKube } from '../../conformance/kube.js';
import { XdsLevel, type ScenarioWorld } from '../../conformance/xds/level.js';
import type { XdsWorld } from '../../conformance/xds/observe.js';
import { istioOracleBinary } from '../../dev/controlplane/binaries.js';
import { loadKubeconfigFiles } from '../../kube/credentials.js';
import type { KubeObject } from '../../schemas/hub.js';
import { sharedCluster } from '../support/cluster.js';
import { NS, app } from './smi-gen.js';

const istio = getAdapter('istio');

export class OracleNamespace {
  private readonly applied = new Map<string, KubeObject>();

  private constructor(
    readonly kube: SuiteKube,
    readonly ns: string,
    private readonly level: XdsLevel,
    private readonly sw: ScenarioWorld,
  ) {}

  static async start(prefix: string): Promise<OracleNamespace> {
    const creds = await loadKubeconfigFiles([sharedCluster().kubeconfigPath]);
    if (!creds.ok) throw new Error(creds.error);
    const kube = new SuiteKube(creds.value);
    const ns = await kube.createNamespace(prefix);
    const objs = renameNs(app(), ns);
    for (const o of objs) await kube.apply(o);
    const level = await XdsLevel.start(kube, { binary: istioOracleBinary(), kubeconfigPath: sharedCluster().kubeconfigPath });
    return new OracleNamespace(kube, ns, level, await level.prepare(objs, [ns]));
  }

  /** smi-gen objects (namespace `shop`) moved into this namespace. */
  rename(objs: KubeObject[]): KubeObject[] {
    return renameNs(objs, this.ns);
  }

  /** Translates app + `smi` with the Istio adapter, makes the API server hold exactly its output, and returns istiod's view. */
  async translateAndObserve(smi: KubeObject[], options: MeshOptions = DEFAULT_MESH_OPTIONS): Promise<{ natives: KubeObject[]; world: XdsWorld }> {
    const natives = istio.translate(buildSnapshot(this.rename([...app(), ...smi])).snapshot, options).objects;
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    for (const o of natives) await this.kube.apply(o);
    for (const [k, o] of this.applied) if (!natives.some((n) => key(n) === k)) await this.kube.remove(o.apiVersion, o.kind, this.ns, o.metadata.name);
    this.applied.clear();
    for (const o of natives) this.applied.set(key(o), o);
    const stored: KubeObject[] = [];
    for (const k of istio.nativeKinds) stored.push(...(await this.kube.list(k.apiVersion, k.kind, this.ns)));
    return { natives, world: await this.level.world(this.sw, stored) };
  }

  async stop(): Promise<void> {
    await this.level.stop();
    await this.kube.remove('v1', 'Namespace', undefined, this.ns);
  }
}

function renameNs(objs: KubeObject[], ns: string): KubeObject[] {
  return JSON.parse(JSON.stringify(objs).replaceAll(`"${NS}"`, JSON.stringify(ns)).replaceAll(`.${NS}.svc.`, `.${ns}.svc.`)) as KubeObject[];
}
