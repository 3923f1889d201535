// Printer columns: every served version of every SMI kind shows Ready and its
// reason, and every column's path names a field that version really has (a
// column pointing at a field of another version prints blanks forever).
import { expect } from 'chai';
import { buildCrd } from '../../../schemas/crd.js';
import type { SmiKind } from '../../../schemas/hub.js';
import { fieldPath, printerColumns, STATUS_COLUMNS } from '../../../schemas/printer-columns.js';
import type { Schema } from '../../../schemas/source/common.js';
import { VERSION_SCHEMAS } from '../../../schemas/source/index.js';
import { KIND_TABLE } from '../../../schemas/versions.js';

type Column = { name: string; type: string; jsonPath: string; description: string; priority?: number };
type Version = { name: string; additionalPrinterColumns: Column[]; schema: { openAPIV3Schema: Schema } };

/** The schema node a plain dotted path (no filters) leads to, or undefined. */
function nodeAt(root: Schema, path: string): Schema | undefined {
  let node: Schema | undefined = root;
  for (const part of path.slice(1).split('.')) node = (node?.properties as Record<string, Schema> | undefined)?.[part];
  return node;
}

describe('printer columns', () => {
  for (const info of KIND_TABLE) {
    const versions = (buildCrd(info.kind).spec as { versions: Version[] }).versions;
    for (const v of versions) {
      describe(`${info.kind} ${v.name}`, () => {
        const cols = v.additionalPrinterColumns;
        it('shows Ready and its reason by default, the Ready message with -o wide, and Age', () => {
          const byName = new Map(cols.map((c) => [c.name, c]));
          expect(byName.get('Ready')?.jsonPath).to.equal('.status.conditions[?(@.type=="Ready")].status');
          expect(byName.get('Reason')?.jsonPath).to.equal('.status.conditions[?(@.type=="Ready")].reason');
          expect(byName.get('Ready')?.priority ?? 0).to.equal(0);
          expect(byName.get('Reason')?.priority ?? 0).to.equal(0);
          expect(byName.get('Message')).to.deep.include({ priority: 1, jsonPath: '.status.conditions[?(@.type=="Ready")].message' });
          expect(byName.get('Age')).to.deep.include({ type: 'date', jsonPath: '.metadata.creationTimestamp' });
        });
        it('points every spec column at a field this version has, without [*] (the API server prints only the first match)', () => {
          const root = v.schema.openAPIV3Schema;
          for (const c of cols.filter((c) => !c.jsonPath.startsWith('.status') && !c.jsonPath.startsWith('.metadata'))) {
            expect(c.jsonPath, c.name).to.not.include('[');
            expect(nodeAt(root, c.jsonPath), `${c.name}: ${c.jsonPath}`).to.not.equal(undefined);
          }
        });
        it('lists default columns before wide ones (kubectl keeps the order)', () => {
          const firstWide = cols.findIndex((c) => c.priority === 1);
          expect(cols.slice(firstWide).every((c) => c.priority === 1)).to.equal(true);
        });
      });
    }
  }

  it('shows the backends with their weights for every TrafficSplit version and destination + sources for every TrafficTarget', () => {
    const names = (kind: SmiKind, version: string) =>
      printerColumns(kind, VERSION_SCHEMAS[kind][version]!)
        .filter((c) => !c.priority)
        .map((c) => `${c.name}=${c.jsonPath}`);
    for (const version of ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4']) {
      expect(names('TrafficSplit', version)).to.include.members(['Service=.spec.service', 'Backends=.spec.backends']);
    }
    expect(names('TrafficTarget', 'v1alpha1')).to.include.members(['Destination=.destination.name', 'Sources=.sources']);
    for (const version of ['v1alpha2', 'v1alpha3']) {
      expect(names('TrafficTarget', version)).to.include.members(['Destination=.spec.destination.name', 'Sources=.spec.sources']);
    }
    expect(names('TCPRoute', 'v1alpha4')).to.include('Ports=.spec.matches.ports');
  });

  it('leaves out a column whose field the version does not have', () => {
    // TCPRoute v1alpha1..3 carry no ports.
    for (const version of ['v1alpha1', 'v1alpha2', 'v1alpha3']) {
      expect(printerColumns('TCPRoute', VERSION_SCHEMAS.TCPRoute[version]!).map((c) => c.name)).to.deep.equal([...STATUS_COLUMNS.map((c) => c.name), 'Age', 'Message']);
    }
    expect(fieldPath({ properties: {}, required: [] }, 'service')).to.equal(undefined);
  });
});
