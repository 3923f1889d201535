// Without Consul Enterprise namespaces every Kubernetes namespace shares one Consul
// namespace, so two emitted objects of one kind for one Consul service (from different
// Kubernetes namespaces) compete for a single config entry: consul-k8s syncs only one
// (for ServiceIntentions its webhook rejects the second).

import type { RenderSink } from './sink.js';

export function noteNamespaceCollisions(sink: RenderSink): void {
  const byEntry = new Map<string, Set<string>>();
  for (const e of sink.emitted) {
    const key = `${e.entry.kind}/${e.entry.name}`;
    const set = byEntry.get(key) ?? new Set<string>();
    set.add(e.object.metadata.namespace ?? 'default');
    byEntry.set(key, set);
  }
  for (const e of sink.emitted) {
    const namespaces = byEntry.get(`${e.entry.kind}/${e.entry.name}`);
    if (!namespaces || namespaces.size < 2) continue;
    const list = [...namespaces].sort().join(', ');
    for (const src of e.sources) {
      sink.note(
        src,
        `${e.entry.kind} for Consul service ${e.entry.name} is emitted in namespaces ${list}; without Consul Enterprise namespaces they are one config entry and consul-k8s accepts only one of them`,
      );
    }
  }
}
