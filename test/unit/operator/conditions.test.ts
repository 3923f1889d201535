import { expect } from 'chai';
import { computeStatus, transitionEvent, type DesiredConditions } from '../../../operator/controller/conditions.js';

const ok: DesiredConditions = {
  accepted: { status: 'True', reason: 'Accepted', message: 'fine' },
  ready: { status: 'True', reason: 'Applied', message: 'istio: VirtualService applied' },
};

describe('computeStatus', () => {
  it('sets both conditions with observedGeneration on first sight, and reports both as transitions', () => {
    const c = computeStatus(undefined, 3, ok, 'T1');
    expect(c?.status.observedGeneration).to.equal(3);
    expect(c?.status.conditions?.map((x) => [x.type, x.status, x.observedGeneration, x.lastTransitionTime])).to.deep.equal([
      ['Accepted', 'True', 3, 'T1'],
      ['Ready', 'True', 3, 'T1'],
    ]);
    expect(c?.transitions.map((t) => t.type)).to.deep.equal(['Accepted', 'Ready']);
  });

  it('returns nothing when nothing changed (write only on change)', () => {
    const first = computeStatus(undefined, 3, ok, 'T1')!;
    expect(computeStatus(first.status, 3, ok, 'T2')).to.equal(undefined);
  });

  it('keeps lastTransitionTime when only the message or generation changes', () => {
    const first = computeStatus(undefined, 3, ok, 'T1')!;
    const next = computeStatus(first.status, 4, { ...ok, ready: { ...ok.ready, message: 'other' } }, 'T2')!;
    expect(next.status.conditions?.every((c) => c.lastTransitionTime === 'T1')).to.equal(true);
    expect(next.status.observedGeneration).to.equal(4);
    expect(next.transitions).to.deep.equal([]);
  });

  it('moves lastTransitionTime and reports a transition when a status flips', () => {
    const first = computeStatus(undefined, 1, ok, 'T1')!;
    const bad = computeStatus(first.status, 2, { accepted: { status: 'False', reason: 'Invalid', message: 'spec.backends[0].weight: bad' }, ready: { status: 'False', reason: 'Invalid', message: 'x' } }, 'T2')!;
    const acc = bad.status.conditions?.find((c) => c.type === 'Accepted');
    expect(acc?.lastTransitionTime).to.equal('T2');
    expect(acc?.reason).to.equal('Invalid');
    expect(bad.transitions.map((t) => t.type)).to.deep.equal(['Accepted', 'Ready']);
  });

  it('keeps conditions written by others', () => {
    const cur = { conditions: [{ type: 'Custom', status: 'True' as const, reason: 'X', message: '', lastTransitionTime: 'T0' }] };
    const c = computeStatus(cur, 1, ok, 'T1')!;
    expect(c.status.conditions?.map((x) => x.type)).to.deep.equal(['Accepted', 'Ready', 'Custom']);
  });
});

describe('transitionEvent', () => {
  const invalid: DesiredConditions = {
    accepted: { status: 'False', reason: 'Invalid', message: 'spec.backends[0].weight: bad' },
    ready: { status: 'False', reason: 'Invalid', message: 'not translated' },
  };

  it('summarises a first sight with both conditions True as one Normal Ready Event', () => {
    const e = transitionEvent(computeStatus(undefined, 1, ok, 'T1')!);
    expect(e).to.deep.equal({ type: 'Normal', reason: 'Ready', message: 'Accepted=True (Accepted): fine; Ready=True (Applied): istio: VirtualService applied' });
  });

  it('names the first failing condition\'s reason in a Warning', () => {
    const e = transitionEvent(computeStatus(undefined, 1, invalid, 'T1')!)!;
    expect([e.type, e.reason]).to.deep.equal(['Warning', 'Invalid']);
    expect(e.message).to.contain('Accepted=False (Invalid): spec.backends[0].weight: bad');
    const conflict = transitionEvent(computeStatus(undefined, 1, { ...ok, ready: { status: 'False', reason: 'Conflict', message: 'VirtualService x exists' } }, 'T1')!)!;
    expect([conflict.type, conflict.reason]).to.deep.equal(['Warning', 'Conflict']);
  });

  it('gives an Event for each transition, and none for a change without one', () => {
    const first = computeStatus(undefined, 1, invalid, 'T1')!;
    const fixed = computeStatus(first.status, 2, ok, 'T2')!;
    expect(transitionEvent(fixed)?.reason).to.equal('Ready');
    // Only Ready flips: still one Event.
    const broken = computeStatus(fixed.status, 2, { ...ok, ready: { status: 'False', reason: 'ApplyFailed', message: 'denied' } }, 'T3')!;
    expect(broken.transitions.map((t) => t.type)).to.deep.equal(['Ready']);
    expect(transitionEvent(broken)).to.include({ type: 'Warning', reason: 'ApplyFailed' });
    const messageOnly = computeStatus(fixed.status, 3, { ...ok, ready: { ...ok.ready, message: 'istio: VirtualService, AuthorizationPolicy applied' } }, 'T4')!;
    expect(transitionEvent(messageOnly)).to.equal(undefined);
  });
});
