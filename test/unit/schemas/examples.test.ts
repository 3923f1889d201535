// Every upstream spec example that carries an apiVersion validates, except the
// documented exceptions below (doc bugs and deliberate counter-examples).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isSmiObject } from '../../../schemas/conversion.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateSmiObject } from '../../../schemas/validate.js';
import { unservedSmiReason } from '../../../schemas/versions.js';
import { EXAMPLES_DIR } from './paths.js';

/** file -> why it does not validate, and the message it must produce. */
const EXCEPTIONS: Record<string, { reason: string; expect: string }> = {
  'split-v1alpha1-07.yaml': {
    reason: 'counter-example: the doc shows it to say "TrafficSplits cannot be self-referential"',
    expect: 'TrafficSplit default/my-split: spec.backends[1].service: is the root service foobar itself; a TrafficSplit cannot be self-referential',
  },
  'split-v1alpha2-07.yaml': {
    reason: 'same counter-example in the v1alpha2 doc',
    expect: 'TrafficSplit default/my-split: spec.backends[1].service: is the root service foobar itself; a TrafficSplit cannot be self-referential',
  },
  'specs-v1alpha1-02.yaml': {
    reason: 'doc bug: apiVersion "v1alpha1" lacks the group specs.smi-spec.io',
    expect: 'apiVersion v1alpha1 has no API group; HTTPRouteGroup is served as specs.smi-spec.io/v1alpha1, specs.smi-spec.io/v1alpha2, specs.smi-spec.io/v1alpha3, specs.smi-spec.io/v1alpha4',
  },
  'access-v1alpha4-01.yaml': {
    reason: 'access v1alpha4 (IdentityBinding) exists only as an unreleased doc; no CRD was ever published',
    expect: 'kind IdentityBinding is not served in group access.smi-spec.io',
  },
};

function examples(): Array<{ file: string; objects: KubeObject[] }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => /^(split|access|specs)-.*\.yaml$/.test(f))
    .sort()
    .map((file) => ({
      file,
      objects: (yaml.loadAll(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as KubeObject[]).filter((d) => d && typeof d.apiVersion === 'string'),
    }))
    .filter((e) => e.objects.length > 0);
}

function lines(obj: KubeObject): string[] {
  const unserved = unservedSmiReason(obj.apiVersion, obj.kind);
  if (unserved) return [unserved];
  if (!isSmiObject(obj)) return []; // Services in the same doc blocks
  return validateSmiObject(obj).problems.map(formatProblem);
}

describe('upstream spec examples', () => {
  const all = examples();
  it('finds the examples that carry an apiVersion', () => {
    expect(all.length).to.be.greaterThan(20);
  });
  for (const { file, objects } of all) {
    const exception = EXCEPTIONS[file];
    it(exception ? `${file} is rejected: ${exception.reason}` : `${file} validates`, () => {
      const found = objects.flatMap(lines);
      expect(found).to.deep.equal(exception ? [exception.expect] : []);
    });
  }
  it('lists no exception that is not an example', () => {
    const files = new Set(all.map((e) => e.file));
    expect(Object.keys(EXCEPTIONS).filter((f) => !files.has(f))).to.deep.equal([]);
  });
});
