// config/dashboard: read-only, least privilege, and covering every read the
// dashboard makes (SMI kinds, translation inputs, each adapter's native kinds).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { getRenderer } from '../../../adapters/index.js';
import { MESH_NAMES } from '../../../adapters/types.js';
import { SMI_GROUPS, SMI_KINDS, SMI_PLURALS } from '../../../schemas/hub.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
type Doc = { kind: string; metadata: { name: string }; rules?: Rule[]; spec?: { template: { spec: { containers: Array<{ command: string[] }> } } } };

const docs = yaml.loadAll(readFileSync(join(repoRoot(), 'config/dashboard/rbac.yaml'), 'utf8')) as Doc[];
const clusterRole = docs.find((d) => d.kind === 'ClusterRole')!;
const allows = (group: string, resource: string, verb: string): boolean =>
  (clusterRole.rules ?? []).some((r) => r.apiGroups.includes(group) && (r.resources.includes(resource) || r.resources.includes('*')) && r.verbs.includes(verb));

describe('config/dashboard', () => {
  it('grants only get and list, and the ConfigMap by name only', () => {
    for (const d of docs.filter((x) => x.rules)) for (const r of d.rules!) expect(r.verbs.every((v) => v === 'get' || v === 'list'), `${d.metadata.name}: ${r.verbs}`).to.equal(true);
    const role = docs.find((d) => d.kind === 'Role')!;
    expect(role.rules).to.deep.equal([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['smi-operator-config'], verbs: ['get'] }]);
    expect((clusterRole.rules ?? []).some((r) => r.resources.includes('secrets') || r.resources.includes('configmaps'))).to.equal(false);
  });

  it('lets it list every SMI kind, the translation inputs, TrafficMetrics and every adapter\'s native kinds', () => {
    for (const k of SMI_KINDS) expect(allows(SMI_GROUPS[k], SMI_PLURALS[k], 'list'), k).to.equal(true);
    for (const r of ['namespaces', 'services', 'serviceaccounts']) expect(allows('', r, 'list'), r).to.equal(true);
    for (const r of ['deployments', 'statefulsets', 'daemonsets']) expect(allows('apps', r, 'list'), r).to.equal(true);
    expect(allows('metrics.smi-spec.io', 'deployments', 'get')).to.equal(true);
    for (const mesh of MESH_NAMES) {
      for (const n of getRenderer(mesh).nativeKinds) expect(allows(n.apiVersion.split('/')[0]!, n.plural, 'list'), `${mesh} ${n.kind}`).to.equal(true);
    }
  });

  it('runs smictl dashboard from the image, on a port kubectl port-forward can reach', () => {
    const deployment = (yaml.loadAll(readFileSync(join(repoRoot(), 'config/dashboard/deployment.yaml'), 'utf8')) as Doc[])[0]!;
    const cmd = deployment.spec!.template.spec.containers[0]!.command;
    expect(cmd.slice(0, 3)).to.deep.equal(['node', 'dist/cli/smictl.js', 'dashboard']);
    expect(cmd).to.include.members(['--address', '0.0.0.0', '--port', '8080']);
  });
});
