// The adapter ConfigMap, reloaded on every change: an invalid one keeps the last
// good configuration (reported in a Warning Event and the log), a new valid one
// replaces it and tells the caller, who re-translates everything.

import type { KubeObject } from '../../schemas/hub.js';
import type { Logger } from '../../log/log.js';
import type { OperatorMetrics } from '../metrics.js';
import type { EventSpec } from '../writer.js';
import { DEFAULT_CONFIG, parseMeshConfig, sameConfig, type MeshConfig } from './mesh-config.js';
import type { MeshName } from '../../adapters/types.js';

export interface ReloadDeps {
  defaultMesh: MeshName;
  metrics: OperatorMetrics;
  /** Logger bound to the ConfigMap's namespace/name. */
  log: Logger;
  /** Events on the ConfigMap (leader-gated by the status writer). */
  event(cm: KubeObject, e: EventSpec): void;
  /** A new configuration is in force. */
  changed(cfg: MeshConfig): void;
}

export class ConfigReloader {
  private cfg: MeshConfig;

  constructor(private readonly d: ReloadDeps) {
    this.cfg = { ...DEFAULT_CONFIG, mesh: d.defaultMesh };
  }

  current(): MeshConfig {
    return this.cfg;
  }

  /** The ConfigMap as it is now (undefined: absent, i.e. the defaults). */
  load(cm: KubeObject | undefined): void {
    const data = (cm as { data?: Record<string, string> } | undefined)?.data;
    const r = parseMeshConfig(cm ? data : {}, this.d.defaultMesh);
    if (!r.ok) {
      this.d.metrics.configReloads.inc({ result: 'invalid' });
      this.d.log.error('invalid adapter ConfigMap; keeping the last good configuration', { errors: r.errors, mesh: this.cfg.mesh });
      if (cm) this.d.event(cm, { type: 'Warning', reason: 'InvalidConfig', message: `${r.errors.join('; ')}; keeping mesh=${this.cfg.mesh}` });
      return;
    }
    this.d.metrics.configReloads.inc({ result: 'ok' });
    if (sameConfig(r.config, this.cfg)) return;
    this.d.log.info('adapter configuration changed', { from: this.cfg.mesh, to: r.config.mesh, options: r.config.options });
    this.cfg = r.config;
    if (cm) this.d.event(cm, { type: 'Normal', reason: 'ConfigLoaded', message: `mesh=${this.cfg.mesh}` });
    this.d.changed(this.cfg);
  }
}
