// The few API calls the suite makes, over the operator's own REST client.

import { randomBytes } from 'node:crypto';
import type { KubeCredentials } from '../kube/credentials.js';
import { allNativeKinds } from '../adapters/index.js';
import { HttpKubeClient } from '../kube/client.js';
import { restMapper } from '../kube/rest-mapper.js';
import { SMI_KINDS, hubApiVersion } from '../schemas/hub.js';
import type { KubeObject, SmiKind } from '../schemas/hub.js';

export const FIELD_MANAGER = 'smi-conformance';

export class SuiteKube {
  readonly client: HttpKubeClient;
  private readonly mapper = restMapper(allNativeKinds());

  constructor(kc: KubeCredentials) {
    this.client = new HttpKubeClient(kc);
  }

  path(apiVersion: string, kind: string, ns?: string, name?: string, sub?: string): string {
    return this.mapper.path({ apiVersion, kind, metadata: { namespace: ns, name } }, sub);
  }

  async apply(o: KubeObject): Promise<void> {
    const r = await this.client.request('PATCH', this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name), {
      query: { fieldManager: FIELD_MANAGER, force: true },
      body: o,
      contentType: 'application/apply-patch+yaml',
    });
    if (!r.ok) throw new Error(`apply ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r.error.status} ${r.error.message}`);
  }

  async remove(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<void> {
    const r = await this.client.request('DELETE', this.path(apiVersion, kind, ns, name));
    if (!r.ok && r.error.status !== 404) throw new Error(`delete ${kind} ${ns ?? ''}/${name}: ${r.error.status} ${r.error.message}`);
  }

  async get(apiVersion: string, kind: string, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    const r = await this.client.request<KubeObject>('GET', this.path(apiVersion, kind, ns, name));
    if (r.ok) return r.body;
    if (r.error.status === 404) return undefined;
    throw new Error(`get ${kind} ${ns ?? ''}/${name}: ${r.error.status} ${r.error.message}`);
  }

  async list(apiVersion: string, kind: string, ns: string): Promise<KubeObject[]> {
    const r = await this.client.request<{ items: KubeObject[] }>('GET', this.path(apiVersion, kind, ns));
    if (r.ok) return r.body.items.map((i) => ({ ...i, apiVersion, kind }));
    if (r.error.status === 404) return []; // kind not served (mesh CRDs absent): nothing there
    throw new Error(`list ${kind} in ${ns}: ${r.error.status} ${r.error.message}`);
  }

  /** SMI objects of every kind in `ns`, read at the hub version. */
  async smiObjects(ns: string): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    for (const k of SMI_KINDS) out.push(...(await this.list(hubVersion(k), k, ns)));
    return out;
  }

  async createNamespace(prefix: string): Promise<string> {
    const name = `${prefix.slice(0, 50)}-${randomBytes(3).toString('hex')}`;
    await this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'smi-conformance/run': 'true' } } });
    return name;
  }
}

export const hubVersion = (k: SmiKind): string => hubApiVersion(k);
