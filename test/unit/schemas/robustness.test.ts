// Bad input gets problems, never an exception: arbitrary JSON in every place a
// field can be, for every kind and version.
import { expect } from 'chai';
import fc from 'fast-check';
import { convert, toHub } from '../../../schemas/conversion.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../../schemas/validate.js';
import { KIND_TABLE } from '../../../schemas/versions.js';
import { validObject } from './arbitraries.js';

const json = fc.jsonValue({ maxDepth: 4 });

/** A valid object with one field (at any depth) replaced by arbitrary JSON. */
function mutated(kind: string, version: string): fc.Arbitrary<KubeObject> {
  return fc.tuple(validObject(kind, version), json, fc.nat()).map(([obj, junk, pick]) => {
    const copy = structuredClone(obj) as Record<string, unknown>;
    const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) {
        node.forEach((v, i) => {
          slots.push([node, i]);
          collect(v);
        });
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          slots.push([node as Record<string, unknown>, k]);
          collect(v);
        }
      }
    };
    collect(copy);
    const [holder, key] = slots[pick % slots.length]!;
    (holder as Record<string | number, unknown>)[key] = junk;
    return copy as KubeObject;
  });
}

describe('robustness', () => {
  for (const info of KIND_TABLE) {
    for (const version of info.versions) {
      it(`${info.kind} ${version}: any field replaced by any JSON gives problems or a hub, never an exception`, () => {
        fc.assert(
          fc.property(mutated(info.kind, version), (obj) => {
            const v = validateSmiObject(obj);
            expect(v.hub !== undefined || v.problems.length > 0).to.equal(true);
            for (const p of v.problems) {
              expect(p.object).to.match(/^(\S+|<no kind>) .+\/.+$/);
              expect(formatProblem(p)).to.not.match(/\[object |undefined/);
            }
            if (v.hub) validateReferences(v.hub, [v.hub]);
            toHub(obj);
            for (const target of info.versions) convert(obj, `${info.group}/${target}`);
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});

describe('object references for malformed input', () => {
  it('keep the kind one word: whitespace in a kind is escaped, a missing kind is a placeholder', () => {
    const ref = (kind: unknown) => validateSmiObject({ apiVersion: 'split.smi-spec.io/v1alpha4', kind, metadata: { name: 'a', namespace: 'b' } } as KubeObject).problems[0]!.object;
    expect(ref(' !')).to.equal('"\\u0020!" b/a');
    expect(ref('Traffic\tSplit')).to.equal('"Traffic\\tSplit" b/a');
    expect(ref(7)).to.equal('<no kind> b/a');
    expect(ref('TrafficSplit ')).to.equal('"TrafficSplit\\u0020" b/a');
  });
});
