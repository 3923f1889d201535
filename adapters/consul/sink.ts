// Collects what the renderer emits: native objects (with the SMI objects they come
// from, for cross-checks) and notes about SMI objects.

import type { KubeObject } from '../../schemas/hub.js';
import { objectRef } from '../../schemas/hub.js';
import type { RenderNote } from '../common/model.js';
import type { ResultStatus } from '../types.js';
import { managedMetadata } from '../common/meta.js';
import { isName } from '../../schemas/names.js';
import { CONSUL_API_VERSION, type ConsulKind } from './kinds.js';

export interface Emitted {
  object: KubeObject;
  /** Contributing SMI objects, oldest first. */
  sources: KubeObject[];
  /** The Consul config entry this object becomes (kind + Consul name). */
  entry: { kind: ConsulKind; name: string };
}

export class RenderSink {
  readonly emitted: Emitted[] = [];
  readonly notes: RenderNote[] = [];

  note(obj: KubeObject, message: string, status?: ResultStatus): void {
    const n: RenderNote = { object: objectRef(obj), message };
    if (status !== undefined) n.status = status;
    if (!this.notes.some((x) => x.object === n.object && x.message === n.message && x.status === n.status)) this.notes.push(n);
  }

  /**
   * Emits one config entry, unless its object or Consul name is not a Kubernetes name
   * (an empty name, or `*`, Consul's wildcard covering every service): then the
   * contributing SMI objects are reported Invalid and nothing is emitted.
   */
  emit(kind: ConsulKind, name: string, namespace: string, consulName: string, spec: Record<string, unknown>, sources: KubeObject[]): KubeObject | undefined {
    if (!isName('DNS-1123 subdomain', name) || !isName('DNS-1123 subdomain', consulName)) {
      for (const s of sources) this.note(s, `${kind} for Consul service ${JSON.stringify(consulName)} would be named ${JSON.stringify(name)}, which is not a Kubernetes name; it is not emitted`, 'Invalid');
      return undefined;
    }
    const object: KubeObject = {
      apiVersion: CONSUL_API_VERSION,
      kind,
      metadata: managedMetadata(name, namespace, 'consul', sources),
      spec,
    };
    this.emitted.push({ object, sources, entry: { kind, name: consulName } });
    return object;
  }
}

/** Appends `more` to `list` without duplicates (by identity), keeping first-seen order. */
export function addSources(list: KubeObject[], ...more: KubeObject[]): void {
  for (const m of more) if (!list.includes(m)) list.push(m);
}
