// Fuzzing validation and conversion: any input the manifest reader or the API
// server can hand over gives values, never an exception; every problem names
// its object (`<Kind> <ns>/<name>`) and a field path; valid objects convert to
// every served version and back without loss.

import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeObject } from '../../../schemas/hub.js';
import { objectRef } from '../../../schemas/hub.js';
import { convert, fromHub, toHub } from '../../../schemas/conversion.js';
import { formatProblem, type Problem } from '../../../schemas/problem.js';
import { validateReferences, validateSmiObject } from '../../../schemas/validate.js';
import { apiVersionsOf, servedKind } from '../../../schemas/versions.js';
import { validObject } from '../schemas/arbitraries.js';
import { RE2JS } from 're2js';
import { quantitiesToWeights } from '../../../schemas/quantity.js';
import { MAX_REGEX_BYTES, regexBytes } from '../../../schemas/regex.js';
import { corpusObject, garbageObject, mutated, SERVED_API_VERSIONS } from './generators.js';

const RUNS = Number(process.env.SMI_FUZZ_RUNS ?? 400);
const params = { numRuns: RUNS };

const generated = fc.constantFrom(...SERVED_API_VERSIONS).chain(({ apiVersion, kind }) => validObject(kind, apiVersion.split('/')[1]!));
/** Valid objects, mutations of them, and garbage: the whole input space. */
const anyInput = fc.oneof(corpusObject, generated, mutated(fc.oneof(corpusObject, generated)), garbageObject);

/** Required top-level fields: spec, or the pre-spec layouts (HTTPRouteGroup v1alpha1/2 matches, TrafficTarget v1alpha1). */
const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'matches', 'destination', 'specs', 'sources'];

/** Top-level keys a problem path may start with: the object's own keys or a required one. */
function pathRootOk(p: Problem, obj: KubeObject): boolean {
  // Keys may themselves contain '.' or '[', so match whole-key prefixes rather than split the path.
  const starts = (k: string): boolean => p.path === k || p.path.startsWith(`${k}.`) || p.path.startsWith(`${k}[`);
  return [...Object.keys(obj), ...TOP_LEVEL].some(starts);
}

/** Every problem is about this object and names a field, in the `<Kind> <ns>/<name>: <path>: <message>` form. */
function checkProblems(problems: Problem[], obj: KubeObject): void {
  const name = obj.metadata?.name;
  const ns = obj.metadata?.namespace;
  // Placeholders for missing or non-string names are the schemas' choice; real names must show.
  const ref = typeof name === 'string' && name.trim() !== '' && typeof ns === 'string' && ns.trim() !== '' ? objectRef(obj) : undefined;
  for (const p of problems) {
    if (ref) expect(p.object, formatProblem(p)).to.equal(ref);
    expect(p.object.startsWith(`${obj.kind} `), formatProblem(p)).to.equal(true);
    expect(p.object, formatProblem(p)).to.include('/');
    expect(p.path, `no field path in: ${formatProblem(p)}`).to.be.a('string').and.not.equal('');
    expect(pathRootOk(p, obj), `path ${p.path} names no field of the object: ${formatProblem(p)}`).to.equal(true);
    expect(p.message, formatProblem(p)).to.be.a('string').and.not.equal('');
    expect(formatProblem(p).startsWith(`${p.object}: ${p.path}: `)).to.equal(true);
  }
}

describe('fuzz: validation and conversion', function () {
  this.timeout(120_000);
  let rejections: unknown[] = [];
  const onRejection = (r: unknown): void => void rejections.push(r);
  before(() => process.on('unhandledRejection', onRejection));
  after(() => process.off('unhandledRejection', onRejection));
  beforeEach(() => (rejections = []));
  afterEach(async () => {
    await new Promise((r) => setImmediate(r));
    expect(rejections, 'unhandled rejections').to.deep.equal([]);
  });

  it('validateSmiObject never throws; it returns a hub or problems naming the object and field', () => {
    fc.assert(
      fc.property(anyInput, (obj) => {
        if (!servedKind(obj.apiVersion, obj.kind)) return; // not SMI: callers skip it (see unservedSmiReason)
        const r = validateSmiObject(obj);
        if (r.hub) {
          expect(r.problems).to.deep.equal([]);
          expect(r.hub.kind).to.equal(obj.kind);
        } else {
          expect(r.problems.length, 'no hub and no problem').to.be.greaterThan(0);
          checkProblems(r.problems, obj);
        }
      }),
      params,
    );
  });

  it('mutated valid objects: every rejection names the field (and never throws)', () => {
    // Separate property so near-valid inputs get the whole run budget.
    fc.assert(
      fc.property(mutated(fc.oneof(corpusObject, generated)), (obj) => {
        const r = validateSmiObject(obj);
        if (!r.hub) checkProblems(r.problems, obj);
      }),
      params,
    );
  });

  it('toHub/convert to every served version never throw; problems are well formed', () => {
    fc.assert(
      fc.property(anyInput, (obj) => {
        const served = servedKind(obj.apiVersion, obj.kind);
        const h = toHub(obj);
        if (!h.hub) {
          expect(h.problems.length).to.be.greaterThan(0);
          if (served) checkProblems(h.problems, obj);
        }
        if (!served) return;
        for (const to of apiVersionsOf(served.info.kind)) {
          const c = convert(obj, to);
          if (c.object) {
            expect(c.object.apiVersion).to.equal(to);
            expect(c.object.kind).to.equal(obj.kind);
          } else checkProblems(c.problems, obj);
        }
      }),
      params,
    );
  });

  it('valid objects survive a round trip through every served version', () => {
    fc.assert(
      fc.property(fc.oneof(corpusObject, generated), (obj) => {
        const v = validateSmiObject(obj);
        if (!v.hub) return; // documented counter-examples in the corpus
        const hub = toHub(obj).hub!;
        for (const to of apiVersionsOf(hub.kind)) {
          const down = fromHub(hub, to);
          expect(down.problems).to.deep.equal([]);
          const back = toHub(down.object!);
          expect(back.problems.map(formatProblem), `${obj.apiVersion} -> ${to} -> hub`).to.deep.equal([]);
          expect(back.hub, `${obj.apiVersion} -> ${to} -> hub`).to.deep.equal(hub);
        }
      }),
      params,
    );
  });

  it('hostile regexes and quantities: never a throw, and the work per object stays bounded (counted, not timed)', () => {
    // Huge, deeply repeated and pathological fragments (the issue 18 corpus), up to ~100 KB.
    const fragment = fc.constantFrom('x\\Q', '\\E', '\\', '(', ')', '(?:', '[[:', '[:a', ':]', ']', 'a{1000}', '.*', '|', 'é', '$', 'a');
    const hostile = fc.tuple(fc.array(fragment, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 25_000 })).map(([parts, k]) => parts.join('').repeat(k));
    const regex = fc.oneof(hostile, fc.string({ maxLength: 40 }));
    const group = fc.array(fc.record({ pathRegex: regex, headers: fc.dictionary(fc.constantFrom('x-a', 'X-A', 'x-b', 'user-agent'), regex, { maxKeys: 3 }) }), { minLength: 1, maxLength: 6 });
    // The schema's own patterns compile once, with the validator: not per object.
    validateSmiObject({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'warm', namespace: 'n' }, spec: { matches: [{ name: 'a' }] } });
    fc.assert(
      fc.property(group, (matches) => {
        const obj: KubeObject = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name: 'g', namespace: 'n' }, spec: { matches: matches.map((m, i) => ({ name: `m${i}`, ...m })) } };
        const compiled: string[] = [];
        const original = RE2JS.compile.bind(RE2JS);
        RE2JS.compile = ((p: string, ...rest: unknown[]) => {
          compiled.push(p);
          return (original as (...a: unknown[]) => RE2JS)(p, ...rest);
        }) as typeof RE2JS.compile;
        let r: ReturnType<typeof validateSmiObject>;
        try {
          r = validateSmiObject(obj);
        } finally {
          RE2JS.compile = original;
        }
        if (!r.hub) checkProblems(r.problems, obj);
        const regexes = matches.reduce((n, m) => n + 1 + Object.keys(m.headers).length, 0);
        // Each regex at most once, and nothing over the length limit ever reaches the compiler.
        expect(compiled.length).to.be.at.most(regexes);
        for (const p of compiled) expect(regexBytes(p)).to.be.at.most(MAX_REGEX_BYTES);
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
    const quantity = fc.oneof(
      fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{1,40}$/), fc.constantFrom('e', 'E', 'e-', 'e+'), fc.stringMatching(/^[0-9]{1,400}$/)).map((p) => p.join('')),
      fc.constantFrom('1e999999999', '1e-999999999', '0e999999999', `${'9'.repeat(100_000)}`, `0.${'0'.repeat(100_000)}1`, '9Ei', '1n'),
    );
    fc.assert(
      fc.property(fc.array(quantity, { minLength: 1, maxLength: 4 }), (qs) => {
        for (const w of quantitiesToWeights(qs)) {
          if ('weight' in w) expect(Number.isSafeInteger(w.weight)).to.equal(true);
          else expect(w.error).to.be.a('string');
        }
      }),
      params,
    );
  });

  it('validateReferences never throws for any set of valid hubs, and problems name the field', () => {
    const hubs = fc.array(fc.oneof(corpusObject, generated, mutated(corpusObject)), { maxLength: 8 }).map((objs) => objs.map((o) => validateSmiObject(o).hub).filter((h) => h !== undefined));
    fc.assert(
      fc.property(hubs, (all) => {
        for (const h of all) checkProblems(validateReferences(h, all), h);
      }),
      params,
    );
  });
});
