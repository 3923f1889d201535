import { expect } from 'chai';
import { getAdapter } from '../../../../adapters/index.js';
import type { MeshRenderer } from '../../../../adapters/common/model.js';
import { mergeNotes, translateWith } from '../../../../adapters/translate.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type ObjectResult } from '../../../../adapters/types.js';
import { snapshot, split, svc } from './fixtures.js';

const base: ObjectResult = { object: 'TrafficSplit shop/ab', kind: 'TrafficSplit', namespace: 'shop', name: 'ab', status: 'Conflict', messages: ['m1'] };

describe('mergeNotes', () => {
  it('keeps the worse status and appends messages once', () => {
    const { results, stray } = mergeNotes([base], [
      { object: base.object, status: 'Unsupported', message: 'better status does not win' },
      { object: base.object, status: 'Invalid', message: 'worse wins' },
      { object: base.object, message: 'worse wins' },
    ]);
    expect(results).to.deep.equal([{ ...base, status: 'Invalid', messages: ['m1', 'better status does not win', 'worse wins'] }]);
    expect(stray).to.deep.equal([]);
    expect(base.messages).to.deep.equal(['m1']); // inputs untouched
  });
  it('returns notes about unknown objects apart', () => {
    const note = { object: 'TrafficSplit shop/nope', message: 'x' };
    expect(mergeNotes([base], [note]).stray).to.deep.equal([note]);
  });
});

describe('translateWith', () => {
  const obj = (apiVersion: string, kind: string, ns: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: ns } });
  const renderer: MeshRenderer = {
    mesh: 'istio',
    nativeKinds: [],
    render: (model) => ({
      objects: [obj('b/v1', 'K', 'n', 'x'), obj('a/v1', 'Z', 'n', 'x'), obj('a/v1', 'K', 'n', 'y'), obj('a/v1', 'K', 'm', 'z')],
      notes: model.splits.map((s) => ({ object: `TrafficSplit shop/${s.split.metadata.name}`, status: 'Unsupported' as const, message: `rendered ${s.backends.length}` })),
    }),
    closedForm: () => undefined,
  };

  it('resolves, renders, merges notes and sorts objects by apiVersion, kind, namespace, name', () => {
    const out = translateWith(renderer, snapshot({ services: [svc('web'), svc('v1')], trafficSplits: [split('ab', 'web', [['v1', 1]])] }), DEFAULT_MESH_OPTIONS);
    expect(out.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal([
      'a/v1 K m/z',
      'a/v1 K n/y',
      'a/v1 Z n/x',
      'b/v1 K n/x',
    ]);
    expect(out.results).to.deep.equal([{ ...base, status: 'Unsupported', messages: ['rendered 1'] }]);
  });
});

describe('getAdapter', () => {
  it('has an adapter for every mesh, named after it', () => {
    for (const mesh of MESH_NAMES) {
      const a = getAdapter(mesh);
      expect(a.mesh).to.equal(mesh);
      const out = a.translate(snapshot({}), DEFAULT_MESH_OPTIONS);
      expect(out).to.deep.equal({ objects: [], results: [] });
    }
  });
});
