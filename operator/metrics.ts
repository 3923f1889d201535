// Prometheus metrics of one operator instance (own Registry, so two operators
// in one process - the leader-election test - do not collide).

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({ name: 'smi_operator_reconciles_total', help: 'Unit reconciles by unit type and result', labelNames: ['unit', 'result'] as const, registers: [this.registry] });
  readonly errors = new Counter({ name: 'smi_operator_reconcile_errors_total', help: 'Reconcile errors by unit type', labelNames: ['unit'] as const, registers: [this.registry] });
  readonly duration = new Histogram({ name: 'smi_operator_reconcile_duration_seconds', help: 'Reconcile duration', labelNames: ['unit'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] });
  private depthSource: () => number = () => 0;
  readonly queueDepth: Gauge = new Gauge({
    name: 'smi_operator_queue_depth',
    help: 'Keys waiting in the work queue',
    registers: [this.registry],
    // Read at scrape time, so the gauge is never stale.
    collect: (): void => {
      this.queueDepth.set(this.depthSource());
    },
  });
  readonly managedObjects = new Gauge({ name: 'smi_operator_managed_objects', help: 'Native objects carrying the managed-by label in the cache', registers: [this.registry] });
  readonly writes = new Counter({ name: 'smi_operator_writes_total', help: 'API writes by verb and target (object, status, event)', labelNames: ['verb', 'target'] as const, registers: [this.registry] });
  readonly liveReads = new Counter({ name: 'smi_operator_live_reads_total', help: 'Managed objects read live because their cached digest could not tell whether they match', registers: [this.registry] });
  readonly writesSkipped = new Counter({ name: 'smi_operator_writes_skipped_total', help: 'Applies skipped because the observed object already matched', registers: [this.registry] });
  readonly configReloads = new Counter({ name: 'smi_operator_config_reloads_total', help: 'Adapter ConfigMap loads by result', labelNames: ['result'] as const, registers: [this.registry] });
  readonly relists = new Counter({ name: 'smi_operator_watch_relists_total', help: 'Relists after a watch expired (410 Gone)', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly conflicts = new Counter({ name: 'smi_operator_conflicts_total', help: 'Desired objects blocked by an object the operator does not manage', registers: [this.registry] });
  readonly leader = new Gauge({ name: 'smi_operator_leader', help: '1 while this instance holds the lease', registers: [this.registry] });
  readonly loopCpu = new Histogram({
    name: 'smi_operator_event_loop_cpu_seconds',
    help: 'CPU time of one synchronous step on the event loop (validate: one SMI object; translate: one unit translated inline)',
    labelNames: ['step'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly offloaded = new Counter({ name: 'smi_operator_offloaded_total', help: 'Units translated in the offload worker (large SMI input)', registers: [this.registry] });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  watchQueueDepth(fn: () => number): void {
    this.depthSource = fn;
  }

  /** Total object/status writes so far (tests: a restart must add zero). */
  async writeCount(): Promise<number> {
    const m = await this.writes.get();
    return m.values.filter((v) => v.labels.target !== 'event').reduce((a, v) => a + v.value, 0);
  }

  async reconcileCount(unitType?: string): Promise<number> {
    const m = await this.reconciles.get();
    return m.values.filter((v) => !unitType || v.labels.unit === unitType).reduce((a, v) => a + v.value, 0);
  }
}
