// A write the API server refuses is work left undone, not work done: the
// operator runs as a user whose Role first lacks `patch` on
// httproutegroups/status, so the status write fails (403); once the Role is
// fixed, the retried reconcile writes it without any other change to the object.

import { expect } from 'chai';
import { allNativeKinds } from '../../../adapters/index.js';
import { SMI_GROUPS } from '../../../schemas/hub.js';
import { resourcePath } from '../../../kube/client.js';
import type { RunningOperator } from '../../../operator/manager.js';
import { sharedCluster } from '../../support/cluster.js';
import { condition, eventually, newNamespace, routeGroup, runOperator, TestKube } from './helpers.js';

const HRG = 'specs.smi-spec.io/v1alpha4';
const RBAC = 'rbac.authorization.k8s.io/v1';
const USER = 'smi-operator-write-retry';
// Every group the operator watches except specs.smi-spec.io, derived so a new SMI or native
// kind cannot leave the operator unable to list it (it would never become ready).
const EVERY_OTHER_GROUP = [...new Set([...Object.values(SMI_GROUPS), ...allNativeKinds().map((k) => k.apiVersion.split('/')[0]!)])].filter((g) => g !== 'specs.smi-spec.io');

function role(ns: string, withStatus: boolean): Record<string, unknown> {
  const rules: Array<Record<string, string[]>> = [
    {
      apiGroups: ['', 'apps', ...EVERY_OTHER_GROUP],
      resources: ['*'],
      verbs: ['*'],
    },
    // No subresources here: httproutegroups/status is granted only below.
    { apiGroups: ['specs.smi-spec.io'], resources: ['httproutegroups', 'tcproutes', 'udproutes'], verbs: ['*'] },
  ];
  if (withStatus) rules.push({ apiGroups: ['specs.smi-spec.io'], resources: ['httproutegroups/status'], verbs: ['patch'] });
  return { apiVersion: RBAC, kind: 'Role', metadata: { name: 'smi-operator', namespace: ns }, rules };
}

describe('operator: a refused write is retried (real API server)', function () {
  this.timeout(150_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  const apply = async (plural: string, o: Record<string, unknown>): Promise<void> => {
    const name = (o.metadata as { name: string }).name;
    const r = await k.client.request('PATCH', resourcePath(RBAC, plural, ns, name), { query: { fieldManager: 'test-user', force: true }, body: o, contentType: 'application/apply-patch+yaml' });
    if (!r.ok) throw new Error(`apply ${plural}/${name}: ${r.error.message}`);
  };

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-retry');
    await apply('roles', role(ns, false));
    await apply('rolebindings', {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'smi-operator', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'smi-operator' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USER }],
    });
    op = await runOperator(ns, { kubeConfig: sharedCluster().userKubeConfig(USER) });
  });

  after(async () => {
    await op?.stop();
  });

  it('a status write refused with 403 fails the reconcile and is retried until it succeeds', async () => {
    await k.apply(routeGroup(ns, 'routes', [{ name: 'all', pathRegex: '/.*' }]));
    const errors = async (): Promise<number> => (await op!.metrics.errors.get()).values.reduce((a, v) => a + v.value, 0);
    await eventually('a failed reconcile (status patch forbidden)', async () => (await errors()) > 0, 30_000);
    expect(condition(await k.get(HRG, 'HTTPRouteGroup', ns, 'routes'), 'Ready'), 'no status can have been written yet').to.equal(undefined);

    await apply('roles', role(ns, true));
    const ready = await eventually('HTTPRouteGroup Ready once the Role allows status writes', async () => {
      const c = condition(await k.get(HRG, 'HTTPRouteGroup', ns, 'routes'), 'Ready');
      return c?.status === 'True' ? c : undefined;
    }, 90_000, 500);
    expect(ready.reason).to.equal('Accepted');
  });
});
