import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { buildCrd, structuralise } from '../../../schemas/crd.js';
import { generatedFiles } from '../../../schemas/generated-files.js';
import type { Schema } from '../../../schemas/source/common.js';
import { KIND_TABLE } from '../../../schemas/versions.js';
import { REPO_ROOT, SHARED_SMI } from './paths.js';

type Crd = { metadata: { name: string }; spec: { group: string; scope: string; names: Record<string, unknown>; versions: Array<Record<string, unknown>> } };

/** Every schema node, with its path, for structural checks. */
function walk(s: Schema, path: string, visit: (node: Schema, path: string) => void): void {
  visit(s, path);
  for (const [k, v] of Object.entries((s.properties as Record<string, Schema>) ?? {})) walk(v, `${path}.${k}`, visit);
  if (s.items) walk(s.items as Schema, `${path}[]`, visit);
  if (typeof s.additionalProperties === 'object') walk(s.additionalProperties as Schema, `${path}{}`, visit);
}

describe('generated files', () => {
  it('are up to date on disk (run `make generate` after changing schemas/source)', () => {
    const stale: string[] = [];
    for (const [path, content] of generatedFiles()) {
      const full = join(REPO_ROOT, path);
      if (!existsSync(full) || readFileSync(full, 'utf8') !== content) stale.push(path);
    }
    expect(stale).to.deep.equal([]);
  });
});

describe('CRDs', () => {
  const upstreamDir = join(SHARED_SMI, 'upstream', 'smi-sdk-go', 'crds');
  const upstream = ['split', 'access', 'httproutegroup', 'tcproute', 'udproute'].map((f) => yaml.load(readFileSync(join(upstreamDir, `${f}.yaml`), 'utf8')) as Crd);

  for (const info of KIND_TABLE) {
    const crd = buildCrd(info.kind) as unknown as Crd;
    describe(info.kind, () => {
      it('uses the upstream names, so it replaces the upstream CRD', function () {
        if (info.group === 'policy.smi-operator.io') this.skip(); // our own group: there is no upstream CRD
        const theirs = upstream.find((u) => u.metadata.name === crd.metadata.name);
        expect(theirs, `upstream CRD ${crd.metadata.name}`).to.not.equal(undefined);
        expect(crd.spec.group).to.equal(theirs!.spec.group);
        expect(crd.spec.scope).to.equal('Namespaced');
        for (const key of ['kind', 'plural', 'singular', 'shortNames']) expect(crd.spec.names[key], key).to.deep.equal(theirs!.spec.names[key]);
        // Every version upstream lists is served here.
        const ours = crd.spec.versions.map((v) => v.name);
        for (const v of theirs!.spec.versions) expect(ours).to.include(v.name);
      });
      it('serves every version, stores the newest, has a status subresource and no conversion stanza', () => {
        expect(crd.spec.versions.map((v) => v.name)).to.deep.equal([...info.versions].reverse());
        expect(crd.spec.versions.every((v) => v.served === true)).to.equal(true);
        expect(crd.spec.versions.filter((v) => v.storage).map((v) => v.name)).to.deep.equal([info.storageVersion]);
        expect(crd.spec.versions.every((v) => JSON.stringify(v.subresources) === '{"status":{}}')).to.equal(true);
        expect((crd.spec as Record<string, unknown>).conversion).to.equal(undefined);
      });
      it('has structural schemas: a type everywhere, no typed anyOf branches, no additionalProperties:false', () => {
        for (const v of crd.spec.versions) {
          const root = (v.schema as { openAPIV3Schema: Schema }).openAPIV3Schema;
          const bad: string[] = [];
          walk(root, v.name as string, (node, path) => {
            const intOrString = node['x-kubernetes-int-or-string'] === true;
            if (!node.type && !intOrString && !node['x-kubernetes-preserve-unknown-fields']) bad.push(`${path}: no type`);
            if (node.additionalProperties === false) bad.push(`${path}: additionalProperties false`);
            if (node.anyOf && !intOrString) bad.push(`${path}: anyOf`);
            if (node.const !== undefined) bad.push(`${path}: const`);
          });
          expect(bad).to.deep.equal([]);
          expect((root.properties as Record<string, Schema>).metadata).to.deep.equal({ type: 'object' });
          const status = (root.properties as Record<string, Schema>).status!;
          expect(Object.keys(status.properties as object)).to.deep.equal(['observedGeneration', 'conditions']);
        }
      });
    });
  }

  it('keeps int-or-string in the allowed form and hoists the quantity pattern', () => {
    const s = structuralise({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^x$' }] });
    expect(s).to.deep.equal({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^x$' });
  });
});
