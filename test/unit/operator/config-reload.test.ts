import { expect } from 'chai';
import { silentLogger } from '../../../log/log.js';
import { ConfigReloader } from '../../../operator/config/reload.js';
import type { MeshConfig } from '../../../operator/config/mesh-config.js';
import { OperatorMetrics } from '../../../operator/metrics.js';
import type { EventSpec } from '../../../operator/writer.js';
import type { KubeObject } from '../../../schemas/hub.js';

const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smi-operator-config', namespace: 'smi-system' }, data }) as KubeObject;

describe('config reload', () => {
  it('a new valid ConfigMap takes effect (Event, callback); an invalid one keeps the last good configuration with a Warning', () => {
    const events: EventSpec[] = [];
    const changes: MeshConfig[] = [];
    const r = new ConfigReloader({ defaultMesh: 'istio', metrics: new OperatorMetrics(false), log: silentLogger(), event: (_o, e) => events.push(e), changed: (c) => changes.push(c) });
    expect(r.current().mesh).to.equal('istio');
    r.load(cm({ mesh: 'linkerd' }));
    expect(r.current().mesh).to.equal('linkerd');
    r.load(cm({ mesh: 'linkerd' })); // unchanged: nothing happens
    r.load(cm({ mesh: 'nginx' }));
    expect(r.current().mesh, 'the last good configuration stays').to.equal('linkerd');
    r.load(undefined); // deleted: back to the defaults
    expect(r.current().mesh).to.equal('istio');
    expect(changes.map((c) => c.mesh)).to.deep.equal(['linkerd', 'istio']);
    expect(events.map((e) => `${e.type} ${e.reason}`)).to.deep.equal(['Normal ConfigLoaded', 'Warning InvalidConfig']);
    expect(events[1]!.message).to.include('keeping mesh=linkerd');
  });
});
