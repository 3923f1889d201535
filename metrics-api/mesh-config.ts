// The metrics API follows the operator's adapter ConfigMap: its `mesh` decides the
// metric names queried, its optional `prometheusUrl` where they are queried. Re-read
// periodically, so switching meshes needs no restart of the metrics API.

import { isMetricsMesh, type MetricsMesh } from '../adapters/types.js';
import type { KubeAccess } from './kube.js';

export interface MeshSettings { mesh: MetricsMesh; prometheusUrl: string }

/** ConfigMap data -> settings; a missing or unknown value keeps the default (the flags/env). */
export function settingsFrom(data: Record<string, string> | undefined, defaults: MeshSettings): MeshSettings {
  // gamma has no metrics of its own: the metric names stay the default's.
  const mesh = isMetricsMesh(data?.mesh) ? data.mesh : defaults.mesh;
  let prometheusUrl = defaults.prometheusUrl;
  if (data?.prometheusUrl) {
    try {
      const u = new URL(data.prometheusUrl);
      if (u.protocol === 'http:' || u.protocol === 'https:') prometheusUrl = data.prometheusUrl;
    } catch {
      // not a URL: keep the default
    }
  }
  return { mesh, prometheusUrl };
}

export class MeshConfigFollower {
  private current: MeshSettings;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kube: KubeAccess,
    private readonly ref: { namespace: string; name: string },
    private readonly defaults: MeshSettings,
    private readonly everyMs = 10_000,
  ) {
    this.current = defaults;
  }

  settings(): MeshSettings {
    return this.current;
  }

  async refresh(): Promise<void> {
    const r = await this.kube.getConfigMap(this.ref.namespace, this.ref.name);
    // NotFound: the defaults; any other error: keep the last good settings.
    if (r.ok) this.current = settingsFrom(r.value, this.defaults);
    else if (r.error.reason === 'NotFound') this.current = this.defaults;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
