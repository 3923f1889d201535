// Annotations the operator reads trigger reconciles (issue 18.9): editing
// `smi-operator.io/destination-port` on a TrafficTarget (it restricts the ports,
// and changes no generation) used to trigger nothing, so the policy kept allowing
// every port.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { AP, applyApp, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficTarget } from './helpers.js';

type Rule = { to?: Array<{ operation: { ports?: string[] } }> };
const ports = (ap: KubeObject | undefined): string[][] | undefined => (ap?.spec as { rules?: Rule[] } | undefined)?.rules?.map((r) => r.to?.[0]?.operation.ports ?? ['*']);

describe('operator reconciles on the annotations it reads (real API server)', function () {
  this.timeout(90_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-annot');
    await applyApp(k, ns);
    await k.apply(tcpRoute(ns, 'all'));
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('editing smi-operator.io/destination-port restricts (and widens back) the allowed ports', async () => {
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    await eventually('every port allowed', async () => JSON.stringify(ports(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api'))) === JSON.stringify([['*']]));
    const before = await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api');

    await k.mergePatch('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api', { metadata: { annotations: { 'smi-operator.io/destination-port': '8080' } } });
    const after = await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api');
    expect(after?.metadata.generation, 'an annotation edit changes no generation').to.equal(before?.metadata.generation);
    // Rule ports are pod ports on every mesh (docs/capabilities.md): the Service's port 80 targets container port 8080.
    await eventually('only pod port 8080 allowed', async () => JSON.stringify(ports(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api'))) === JSON.stringify([['8080']]));

    await k.mergePatch('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api', { metadata: { annotations: { 'smi-operator.io/destination-port': null } } });
    await eventually('every port allowed again', async () => JSON.stringify(ports(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api'))) === JSON.stringify([['*']]));
  });
});
