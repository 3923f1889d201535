// Which of a set of kinds the API server serves, re-probed through discovery.
// An informer only learns that its CRD is gone when its watch ends, and the API
// server keeps a deleted CRD's watches open while it drains them (up to a
// minute or more); discovery drops the kind at once. Discovery needs no RBAC.

import type { KubeClient } from '../../kube/client.js';
import type { ResourceKind } from './informer.js';

export class ServedProbe {
  private unserved: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly client: KubeClient,
    private readonly kinds: readonly ResourceKind[],
    private readonly everyMs = 5000,
  ) {}

  /** Kinds not served at the last probe. */
  missing(): string[] {
    return this.unserved;
  }

  async probe(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const byVersion = new Map<string, ResourceKind[]>();
      for (const k of this.kinds) byVersion.set(k.apiVersion, [...(byVersion.get(k.apiVersion) ?? []), k]);
      const out: string[] = [];
      for (const [apiVersion, kinds] of byVersion) {
        const r = await this.client.request<{ resources?: { name: string }[] }>('GET', `/apis/${apiVersion}`);
        // Only a definite answer counts: a network error says nothing about the CRDs.
        if (!r.ok && r.error.status !== 404) continue;
        const served = new Set(r.ok ? (r.body.resources ?? []).map((x) => x.name) : []);
        for (const k of kinds) if (!served.has(k.plural)) out.push(k.kind);
      }
      this.unserved = out;
    } finally {
      this.running = false;
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probe().catch(() => {}), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
