// Every upstream spec example that carries an apiVersion validates, except the
// documented exceptions below (doc bugs and deliberate counter-examples).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isSmiObject } from '../../../schemas/conversion.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../../schemas/validate.js';
import { unservedSmiReason } from '../../../schemas/versions.js';
import { EXAMPLES_DIR } from './paths.js';

/** file -> why it does not validate, and the message it must produce. */
const EXCEPTIONS: Record<string, { reason: string; expect: string }> = {
  'specs-v1alpha1-02.yaml': {
    reason: 'doc bug: apiVersion "v1alpha1" lacks the group specs.smi-spec.io',
    expect: 'apiVersion v1alpha1 has no API group; HTTPRouteGroup is served as specs.smi-spec.io/v1alpha1, specs.smi-spec.io/v1alpha2, specs.smi-spec.io/v1alpha3, specs.smi-spec.io/v1alpha4',
  },
  'access-v1alpha4-01.yaml': {
    reason: 'access v1alpha4 (IdentityBinding) exists only as an unreleased doc; no CRD was ever published',
    expect: 'kind IdentityBinding is not served in group access.smi-spec.io (served kinds: TrafficTarget)',
  },
};

/** The doc an example comes from: split-v1alpha3-02.yaml -> split, v1alpha3. */
function docOf(file: string): { area: string; version: string } {
  const [area = '', version = ''] = file.split('-');
  return { area, version };
}

/**
 * The apiVersion the doc means for an example that omits it: its own group at the
 * doc's version, and for route kinds the specs version the doc says it pairs with.
 */
const SPECS_PAIRING: Record<string, Record<string, string>> = {
  split: { v1alpha3: 'v1alpha3', v1alpha4: 'v1alpha4' },
  access: { v1alpha1: 'v1alpha1', v1alpha2: 'v1alpha3', v1alpha3: 'v1alpha4', v1alpha4: 'v1alpha4' },
};
function impliedApiVersion(file: string, kind: string): string {
  const { area, version } = docOf(file);
  if (kind === 'TrafficSplit') return `split.smi-spec.io/${version}`;
  if (kind === 'TrafficTarget' || kind === 'IdentityBinding') return `access.smi-spec.io/${version}`;
  return `specs.smi-spec.io/${area === 'specs' ? version : (SPECS_PAIRING[area]?.[version] ?? version)}`;
}

/** Examples without apiVersion that still do not validate at their implied version. */
const IMPLIED_EXCEPTIONS: Record<string, { reason: string; expect: string[] }> = {
  'split-v1alpha3-02.yaml': {
    reason: 'doc bug: the HTTPRouteGroup puts matches at the top level (v1alpha1/2 shape), not under spec',
    expect: ['HTTPRouteGroup default/ab-test: spec: is required', 'HTTPRouteGroup default/ab-test: matches: unknown field'],
  },
  'split-v1alpha4-02.yaml': {
    reason: 'the same doc bug, copied into the v1alpha4 doc',
    expect: ['HTTPRouteGroup default/ab-test: spec: is required', 'HTTPRouteGroup default/ab-test: matches: unknown field'],
  },
};
// The self-referential counter-examples (split-v1alpha*-07/08) validate: the spec discourages
// them, but Argo Rollouts writes one by default and every mesh expresses it (schemas/README.md).
for (const f of ['access-v1alpha4-03.yaml', 'access-v1alpha4-04.yaml', 'access-v1alpha4-05.yaml']) {
  IMPLIED_EXCEPTIONS[f] = { reason: 'access v1alpha4 (IdentityBinding subjects) was never released: no CRD, not served', expect: [] };
}

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
  describe('without an apiVersion, at the version their doc implies', () => {
    const implied = readdirSync(EXAMPLES_DIR)
      .filter((f) => /^(split|access|specs)-.*\.yaml$/.test(f))
      .sort()
      .map((file) => ({
        file,
        objects: (yaml.loadAll(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as KubeObject[]).filter((d) => d && typeof d.kind === 'string' && d.apiVersion === undefined),
      }))
      .filter((e) => e.objects.length > 0);
    it('finds them', () => expect(implied.length).to.be.greaterThan(30));
    for (const { file, objects } of implied) {
      const exception = IMPLIED_EXCEPTIONS[file];
      it(exception ? `${file} is rejected: ${exception.reason}` : `${file} validates, references included`, () => {
        const withVersion = objects.map((o) => ({ ...o, apiVersion: impliedApiVersion(file, o.kind) }));
        const found: string[] = [];
        const hubs = [];
        for (const o of withVersion) {
          const unserved = unservedSmiReason(o.apiVersion, o.kind);
          if (unserved) {
            found.push(`unserved: ${o.kind}`);
            continue;
          }
          const r = validateSmiObject(o);
          found.push(...r.problems.map(formatProblem));
          if (r.hub) hubs.push(r.hub);
        }
        for (const h of hubs) found.push(...validateReferences(h, hubs).map(formatProblem));
        if (exception && exception.expect.length === 0) {
          expect(found.filter((l) => l.startsWith('unserved: '))).to.not.deep.equal([]);
        } else {
          expect(found).to.deep.equal(exception ? exception.expect : []);
        }
      });
    }
  });

  it('lists no exception that is not an example', () => {
    const files = new Set(all.map((e) => e.file));
    expect(Object.keys(EXCEPTIONS).filter((f) => !files.has(f))).to.deep.equal([]);
    const onDisk = new Set(readdirSync(EXAMPLES_DIR));
    expect(Object.keys(IMPLIED_EXCEPTIONS).filter((f) => !onDisk.has(f))).to.deep.equal([]);
  });
});
