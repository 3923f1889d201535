// UPDATE_GOLDEN=1 must not turn a changed output into a pass under CI.

import { expect } from 'chai';
import { updateGolden } from '../../support/golden.js';

describe('golden files: UPDATE_GOLDEN', () => {
  it('rewrites only when asked, and never under CI', () => {
    expect(updateGolden({})).to.equal(false);
    expect(updateGolden({ UPDATE_GOLDEN: '1' })).to.equal(true);
    expect(updateGolden({ UPDATE_GOLDEN: '1', CI: 'false' })).to.equal(true);
    expect(() => updateGolden({ UPDATE_GOLDEN: '1', CI: 'true' })).to.throw(/refused under CI/);
    expect(() => updateGolden({ UPDATE_GOLDEN: '1', CI: '1' })).to.throw(/refused under CI/);
    expect(updateGolden({ CI: 'true' })).to.equal(false);
  });
});
