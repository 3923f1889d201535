// ServiceDefaults wanted by the splits, routes and intentions, merged per Consul service
// (one config entry per service name), emitted only for services that need one.

import type { KubeObject } from '../../schemas/hub.js';
import type { ConsulProtocol } from './protocol.js';
import { addSources, type RenderSink } from './sink.js';

interface Wanted {
  namespace: string;
  name: string;
  protocol?: ConsulProtocol;
  mutualTLSMode?: 'permissive';
  /** RateLimitPolicy (Consul Enterprise): rateLimits.instanceLevel. */
  rateLimit?: { requestsPerSecond: number; requestsMaxBurst: number };
  sources: KubeObject[];
}

export class ServiceDefaultsBook {
  private readonly byKey = new Map<string, Wanted>();

  private entry(namespace: string, name: string): Wanted {
    const key = `${namespace}/${name}`;
    let w = this.byKey.get(key);
    if (!w) {
      w = { namespace, name, sources: [] };
      this.byKey.set(key, w);
    }
    return w;
  }

  protocol(namespace: string, name: string): ConsulProtocol | undefined {
    return this.byKey.get(`${namespace}/${name}`)?.protocol;
  }

  /** The protocol already promised to another chain when it differs from `protocol`. */
  clash(namespace: string, name: string, protocol: ConsulProtocol): ConsulProtocol | undefined {
    const have = this.protocol(namespace, name);
    return have !== undefined && have !== protocol ? have : undefined;
  }

  /** Callers check clash() first: the first protocol set for a service stays. */
  setProtocol(namespace: string, name: string, protocol: ConsulProtocol, source: KubeObject): void {
    const w = this.entry(namespace, name);
    w.protocol ??= protocol;
    addSources(w.sources, source);
  }

  setPermissiveMtls(namespace: string, name: string, source: KubeObject): void {
    const w = this.entry(namespace, name);
    w.mutualTLSMode = 'permissive';
    addSources(w.sources, source);
  }

  setRateLimit(namespace: string, name: string, limit: { requestsPerSecond: number; requestsMaxBurst: number }, source: KubeObject): void {
    const w = this.entry(namespace, name);
    w.rateLimit = limit;
    addSources(w.sources, source);
  }

  emitAll(sink: RenderSink): void {
    for (const w of this.byKey.values()) {
      const spec: Record<string, unknown> = {};
      if (w.protocol !== undefined) spec.protocol = w.protocol;
      if (w.mutualTLSMode !== undefined) spec.mutualTLSMode = w.mutualTLSMode;
      if (w.rateLimit !== undefined) spec.rateLimits = { instanceLevel: { ...w.rateLimit } };
      sink.emit('ServiceDefaults', w.name, w.namespace, w.name, spec, w.sources);
    }
  }
}
