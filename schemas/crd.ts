// CustomResourceDefinitions (apiextensions.k8s.io/v1) derived from the JSON
// Schemas: structural, every version served, the hub the storage version, a
// status subresource. No conversion stanza here (strategy None, so the CRDs
// install on a bare API server); the kustomize patch switches on the webhook.

import type { SmiKind } from './hub.js';
import { jsonSchemaFor } from './json-schema.js';
import { printerColumns } from './printer-columns.js';
import type { Schema } from './source/common.js';
import { VERSION_SCHEMAS } from './source/index.js';
import { kindInfo, type KindInfo } from './versions.js';

const DROP = new Set(['$schema', '$id', 'title', 'const']);

/** JSON Schema -> structural OpenAPI v3: no additionalProperties:false, no typed anyOf branches. */
export function structuralise(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROP.has(key)) continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'anyOf') {
      if (schema['x-kubernetes-preserve-unknown-fields']) continue; // shape checked by admission
      if (schema['x-kubernetes-int-or-string']) {
        // The allowed int-or-string form: bare typed branches, value checks hoisted.
        const branches = value as Schema[];
        out.anyOf = branches.map((b) => ({ type: b.type }));
        for (const b of branches) if (b.pattern) out.pattern = b.pattern;
        continue;
      }
    }
    if (key === 'properties') {
      // The API server drops an empty map when it stores the CRD; emitting it would make the
      // applied `.spec.versions` differ from the stored one, and a second server-side-apply
      // manager (Argo CD, Flux) would conflict on that atomic list.
      if (Object.keys(value as object).length === 0) continue;
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, structuralise(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) {
      out[key] = structuralise(value as Schema);
    } else if (Array.isArray(value) && value.length === 0) {
      continue; // `required: []` and the like: dropped by the API server too (omitempty)
    } else {
      out[key] = value;
    }
  }
  return out;
}

function versionEntry(info: KindInfo, version: string): Schema {
  const full = jsonSchemaFor(info.kind, version)!;
  const openAPIV3Schema = structuralise(full);
  // The API server owns metadata validation; only `type: object` is allowed at the root.
  (openAPIV3Schema.properties as Record<string, Schema>).metadata = { type: 'object' };
  const columns = printerColumns(info.kind, VERSION_SCHEMAS[info.kind][version]!);
  return {
    name: version,
    served: true,
    storage: version === info.storageVersion,
    subresources: { status: {} },
    additionalPrinterColumns: columns,
    schema: { openAPIV3Schema },
  };
}

export function crdName(info: KindInfo): string {
  return `${info.plural}.${info.group}`;
}

export function buildCrd(kind: SmiKind): Schema {
  const info = kindInfo(kind);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(info), labels: { 'app.kubernetes.io/part-of': 'smi-operator' } },
    spec: {
      group: info.group,
      scope: 'Namespaced',
      names: { kind: info.kind, listKind: info.listKind, plural: info.plural, singular: info.singular, shortNames: [info.shortName] },
      // Newest first, as upstream lists them.
      versions: [...info.versions].reverse().map((v) => versionEntry(info, v)),
    },
  };
}

export const WEBHOOK_SERVICE = { namespace: 'smi-system', name: 'smi-operator-webhook-service', path: '/convert', port: 443 } as const;
export const SERVING_CERT = 'smi-system/smi-operator-serving-cert';

/** Kustomize patch turning on webhook conversion for one CRD. */
export function webhookPatch(kind: SmiKind): Schema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(kindInfo(kind)) },
    spec: {
      conversion: {
        strategy: 'Webhook',
        webhook: { clientConfig: { service: { ...WEBHOOK_SERVICE } }, conversionReviewVersions: ['v1'] },
      },
    },
  };
}

/** Kustomize patch asking cert-manager to inject the CA bundle (for an overlay). */
export function caInjectionPatch(kind: SmiKind): Schema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(kindInfo(kind)), annotations: { 'cert-manager.io/inject-ca-from': SERVING_CERT } },
  };
}
