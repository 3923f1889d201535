// docs/capabilities.md is for users: `make generate` writes it from the adapters'
// tables, and the prose around the matrix (the introduction and the rules for
// every mesh) speaks of Kubernetes objects, fields and statuses, never of the
// operator's own source (file names, function names, internal stages).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilitiesDoc, COMMON_RULES } from '../../../adapters/common/capabilities.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { CAPABILITIES_DOC, CAPABILITY_TABLES } from '../../../release/capabilities-doc.js';

// What gives internals away: source paths, calls, and the operator's own vocabulary.
const INTERNAL = [/\.ts\b/, /\badapters\//, /\w\(\)/, /\bresolve\b/i, /\brenderers?\b/i, /\bhub\b/i];

const internals = (text: string): string[] => INTERNAL.filter((re) => re.test(text)).map(String);

describe('docs/capabilities.md for users', () => {
  const doc = readFileSync(join(repoRoot(), CAPABILITIES_DOC), 'utf8');

  it('is what make generate writes (the committed file is fresh)', () => {
    expect(doc).to.equal(capabilitiesDoc(CAPABILITY_TABLES));
  });

  it('the introduction and the rules for every mesh name no internals', () => {
    // Everything a reader sees before the per-mesh matrix (the HTML comment is for maintainers).
    const prose = doc.slice(0, doc.indexOf('## SMI features, per mesh')).replace(/<!--[\s\S]*?-->/g, '');
    expect(prose).to.contain('## Rules for every mesh');
    expect(internals(prose), prose).to.deep.equal([]);
    for (const r of COMMON_RULES) expect(internals(`${r.feature} ${r.rule}`), r.feature).to.deep.equal([]);
  });

  it('the check would catch the old wording', () => {
    expect(internals('## Mesh-neutral rules (adapters/common/resolve.ts, same for every mesh)')).to.not.deep.equal([]);
    expect(internals('each renderer fits them to what its mesh holds (adapters/common/weights.ts)')).to.not.deep.equal([]);
  });

  it('tells the reader where an approximation shows (status, smictl describe)', () => {
    expect(doc).to.contain('smictl describe <kind>/<name>');
    expect(doc).to.match(/\*\*approximated\*\*/);
  });
});
