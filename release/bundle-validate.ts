// The checks `operator-sdk bundle validate <dir>` (v1.42.3: operator-registry
// v1.59.0 format checks, operator-framework/api v0.34.0 validators) makes, per
// /work/shared/crds/olm/BUNDLE.md §1-4, plus "one object per file" (the loader
// silently reads only a file's first document, so a second one would be lost).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';

export interface Validation {
  errors: string[];
  warnings: string[];
}

type Obj = { apiVersion?: string; kind?: string; metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown>; [k: string]: unknown };

export const SUPPORTED_KINDS = [
  'ClusterServiceVersion', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount', 'Service',
  'Secret', 'ConfigMap', 'PrometheusRule', 'ServiceMonitor', 'PodDisruptionBudget', 'PriorityClass', 'VerticalPodAutoscaler', 'NetworkPolicy',
  'ConsoleYAMLSample', 'ConsoleQuickStart', 'ConsoleCLIDownload', 'ConsoleLink', 'ConsolePlugin',
];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// blang/semver: MAJOR.MINOR.PATCH with optional pre-release and build.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const INSTALL_MODES = ['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'];
const OLM_KEYS = ['olm.operatorGroup', 'olm.operatorNamespace', 'olm.targetNamespaces', 'olm.providedAPIs', 'olm.skipRange'];
const MAX_BUNDLE = 1 << 20;

const isSubdomain = (s: string) => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
const isLabelValue = (s: string) => s.length <= 63 && LABEL_VALUE.test(s);

function validLabelKey(k: string): boolean {
  const [prefix, name] = k.includes('/') ? [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)] : [undefined, k];
  return (prefix === undefined || isSubdomain(prefix)) && name.length <= 63 && LABEL_NAME.test(name);
}

/** Kubernetes ObjectMeta validation of what a bundle object can get wrong: name, labels, annotation keys and size. */
export function objectMetaProblems(o: Obj, where: string): string[] {
  const out: string[] = [];
  const m = o.metadata ?? {};
  if (!m.name || !isSubdomain(m.name)) out.push(`${where}: metadata.name ${JSON.stringify(m.name)} is not a DNS-1123 subdomain`);
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    if (!validLabelKey(k)) out.push(`${where}: invalid label key ${JSON.stringify(k)}`);
    if (!isLabelValue(String(v))) out.push(`${where}: invalid label value ${JSON.stringify(v)} for ${k}`);
  }
  let size = 0;
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    if (!validLabelKey(k)) out.push(`${where}: invalid annotation key ${JSON.stringify(k)}`);
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) out.push(`${where}: annotations exceed 256 KiB`);
  return out;
}

function loadAnnotations(dir: string): { file?: string; annotations?: Record<string, string> } {
  const preferred = join(dir, 'metadata', 'annotations.yaml');
  const candidates = existsSync(preferred) ? [preferred] : walk(dir);
  for (const f of candidates) {
    try {
      const doc = yaml.load(readFileSync(f, 'utf8')) as { annotations?: Record<string, string> } | null;
      if (doc?.annotations && Object.keys(doc.annotations).length > 0) return { file: f, annotations: doc.annotations };
    } catch {
      // not YAML: keep looking
    }
  }
  return {};
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((e) => !e.startsWith('.')).sort().flatMap((e) => (statSync(join(dir, e)).isDirectory() ? walk(join(dir, e)) : [join(dir, e)]));
}

function formatChecks(dir: string, ann: Record<string, string> | undefined, mediaType: string, v: Validation): void {
  for (const d of ['manifests', 'metadata']) if (!existsSync(join(dir, d)) || !statSync(join(dir, d)).isDirectory()) v.errors.push(`format: bundle directory has no ${d}/`);
  if (!ann) return;
  const k = (s: string) => `operators.operatorframework.io.bundle.${s}`;
  if (!ann[k('mediatype.v1')]) v.errors.push(`format: annotation ${k('mediatype.v1')} is missing`);
  else if (ann[k('mediatype.v1')] !== mediaType) v.errors.push(`format: annotation ${k('mediatype.v1')}=${ann[k('mediatype.v1')]} does not match the detected media type ${mediaType}`);
  for (const key of ['manifests.v1', 'metadata.v1', 'package.v1']) if (ann[k(key)] === undefined) v.errors.push(`format: annotation ${k(key)} is missing`);
  const channels = (ann[k('channels.v1')] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  if (channels.length === 0) v.errors.push(`format: annotation ${k('channels.v1')} must list at least one channel`);
  if (k('channel.default.v1') in ann && !ann[k('channel.default.v1')]) v.errors.push(`format: annotation ${k('channel.default.v1')} is empty`);
  const depsFile = join(dir, 'metadata', 'dependencies.yaml');
  if (existsSync(depsFile)) {
    const deps = (yaml.load(readFileSync(depsFile, 'utf8')) as { dependencies?: Array<{ type?: string; value?: Record<string, unknown> }> } | null)?.dependencies ?? [];
    for (const [i, d] of deps.entries()) {
      const val = d.value ?? {};
      const need = (f: string) => typeof val[f] === 'string' && val[f] !== '';
      if (d.type === 'olm.package') {
        if (!need('packageName') || !need('version')) v.errors.push(`format: dependencies[${i}] olm.package needs packageName and a version range`);
      } else if (d.type === 'olm.gvk') {
        if (!need('group') || !need('version') || !need('kind')) v.errors.push(`format: dependencies[${i}] olm.gvk needs group, version and kind`);
      } else if (d.type === 'olm.label') {
        if (!need('label')) v.errors.push(`format: dependencies[${i}] olm.label needs label`);
      } else if (d.type === 'olm.constraint') {
        if (!((val.cel as { rule?: string } | undefined)?.rule)) v.errors.push(`format: dependencies[${i}] olm.constraint needs cel.rule`);
      } else v.errors.push(`format: dependencies[${i}]: unsupported dependency type ${d.type}`);
    }
  }
}

function crdProblems(crd: Obj, where: string): string[] {
  const out: string[] = [];
  const s = (crd.spec ?? {}) as { group?: string; names?: { plural?: string; kind?: string; listKind?: string }; scope?: string; versions?: Array<{ name: string; served?: boolean; storage?: boolean }>; conversion?: { strategy?: string; webhook?: { conversionReviewVersions?: string[] } } };
  if (crd.metadata?.name !== `${s.names?.plural}.${s.group}`) out.push(`${where}: metadata.name must be <plural>.<group> (${s.names?.plural}.${s.group})`);
  if (!s.names?.kind) out.push(`${where}: spec.names.kind is required`);
  if (!['Namespaced', 'Cluster'].includes(s.scope ?? '')) out.push(`${where}: spec.scope must be Namespaced or Cluster`);
  const versions = s.versions ?? [];
  if (versions.length === 0) out.push(`${where}: spec.versions must not be empty`);
  if (versions.filter((x) => x.storage).length !== 1) out.push(`${where}: exactly one version must be the storage version`);
  if (new Set(versions.map((x) => x.name)).size !== versions.length) out.push(`${where}: duplicate version names`);
  const strategy = s.conversion?.strategy ?? 'None';
  if (!['None', 'Webhook'].includes(strategy)) out.push(`${where}: spec.conversion.strategy must be None or Webhook`);
  if (strategy === 'Webhook' && !(s.conversion?.webhook?.conversionReviewVersions ?? []).length) out.push(`${where}: Webhook conversion needs conversionReviewVersions`);
  return out;
}

function csvChecks(csv: Obj, crds: Obj[], objects: Array<{ file: string; obj: Obj }>, v: Validation): void {
  const spec = (csv.spec ?? {}) as Record<string, unknown>;
  const name = csv.metadata?.name ?? '';
  if (!csv.apiVersion || !csv.kind) v.errors.push('csv: apiVersion and kind are required');
  if (!isSubdomain(name) || !isLabelValue(name)) v.errors.push(`csv: metadata.name ${JSON.stringify(name)} must be a DNS-1123 subdomain and a label value (<= 63 characters)`);
  if (spec.replaces !== undefined && (!isSubdomain(String(spec.replaces)) || !isLabelValue(String(spec.replaces)))) v.errors.push(`csv: spec.replaces ${JSON.stringify(spec.replaces)} is not a valid name`);
  // Required fields (CSV Go fields without omitempty).
  const install = (spec.install ?? {}) as { strategy?: string; spec?: { deployments?: Array<{ name: string; spec?: { template?: { spec?: { serviceAccountName?: string } } } }> } };
  if (!csv.metadata) v.errors.push('csv: required field missing: metadata');
  if (!csv.spec) v.errors.push('csv: required field missing: spec');
  if (!install.strategy) v.errors.push('csv: required field missing: spec.install.strategy');
  if (!spec.displayName) v.errors.push('csv: required field missing: spec.displayName');
  if (install.spec && !install.spec.deployments) v.errors.push('csv: required field missing: spec.install.spec.deployments');

  const anns = csv.metadata?.annotations;
  for (const key of Object.keys(anns ?? {})) {
    const proper = OLM_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (proper && proper !== key) v.errors.push(`csv: annotation ${key} must be spelled ${proper}`);
  }
  if (anns?.['olm.properties'] !== undefined) v.warnings.push('csv: olm.properties annotation: use metadata/properties.yaml');

  // Provided APIs: owned CRD versions and owned APIServices.
  const owned = ((spec.customresourcedefinitions as { owned?: Array<{ name: string; version: string; kind: string }> } | undefined)?.owned ?? []);
  const ownedApis = ((spec.apiservicedefinitions as { owned?: Array<{ group: string; version: string; kind: string }> } | undefined)?.owned ?? []);
  const provided = new Set([...owned.map((o) => `${o.name.slice(o.name.indexOf('.') + 1)}/${o.version}/${o.kind}`), ...ownedApis.map((a) => `${a.group}/${a.version}/${a.kind}`)]);
  const examplesText = anns?.['alm-examples'] ?? anns?.['olm.examples'];
  if (!anns) v.warnings.push('csv: no annotations (alm-examples)');
  else if (examplesText === undefined) v.warnings.push('csv: no alm-examples annotation');
  if (anns?.['alm-examples'] !== undefined && anns['olm.examples'] !== undefined) v.warnings.push('csv: both alm-examples and olm.examples; only alm-examples is checked');
  if (examplesText !== undefined) {
    let examples: unknown;
    try {
      examples = JSON.parse(examplesText);
    } catch (e) {
      v.errors.push(`csv: alm-examples is not valid JSON: ${(e as Error).message}`);
    }
    if (examples !== undefined && (!Array.isArray(examples) || examples.some((x) => typeof x !== 'object' || x === null || Array.isArray(x)))) v.errors.push('csv: alm-examples must be a JSON list of objects');
    else if (Array.isArray(examples)) {
      const seen = new Set<string>();
      for (const ex of examples as Obj[]) {
        const gvk = `${ex.apiVersion}/${ex.kind}`;
        seen.add(gvk);
        if (!provided.has(gvk)) v.errors.push(`csv: alm-examples: ${gvk}: example must have a provided API`);
      }
      for (const p of provided) if (!seen.has(p)) v.warnings.push(`csv: provided API ${p} has no example`);
    }
  }

  const modes = (spec.installModes as Array<{ type: string; supported: boolean }> | undefined) ?? [];
  if (modes.length === 0) v.errors.push('csv: install modes not found');
  else {
    for (const m of modes) if (!INSTALL_MODES.includes(m.type)) v.errors.push(`csv: install mode type ${m.type} is not valid`);
    const supported = modes.filter((m) => m.supported).map((m) => m.type);
    if (supported.length === 0) v.errors.push('csv: no supported install mode');
    const conversion = ((spec.webhookdefinitions as Array<{ conversionCRDs?: string[] }> | undefined) ?? []).some((w) => (w.conversionCRDs ?? []).length > 0);
    if (conversion && supported.some((t) => t !== 'AllNamespaces')) v.errors.push('csv: a conversion webhook requires AllNamespaces to be the only supported install mode');
  }
  if (spec.minKubeVersion === undefined || spec.minKubeVersion === '') v.warnings.push('csv: spec.minKubeVersion is not set');
  else if (!SEMVER.test(String(spec.minKubeVersion))) v.errors.push(`csv: spec.minKubeVersion ${JSON.stringify(spec.minKubeVersion)} is not semver`);

  // BundleValidator: owned CRDs <-> bundle CRDs, duplicates, service accounts, size.
  const bundleGvks = new Map<string, number>();
  for (const crd of crds) {
    const s = (crd.spec ?? {}) as { group?: string; names?: { kind?: string }; versions?: Array<{ name: string }> };
    for (const ver of s.versions ?? []) {
      const k = `${crd.metadata?.name}/${ver.name}/${s.names?.kind}`;
      bundleGvks.set(k, (bundleGvks.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of bundleGvks) if (n > 1) v.errors.push(`bundle: duplicate CRD ${k}`);
  for (const o of owned) if (!bundleGvks.has(`${o.name}/${o.version}/${o.kind}`)) v.errors.push(`bundle: owned CRD ${o.name} ${o.version} ${o.kind} not found in bundle`);
  const ownedGK = new Set(owned.map((o) => `${o.name}/${o.kind}`));
  for (const k of bundleGvks.keys()) {
    const [crdName, , kind] = k.split('/');
    if (!owned.some((o) => `${o.name}/${o.version}/${o.kind}` === k) && !ownedGK.has(`${crdName}/${kind}`)) v.errors.push(`bundle: CRD ${k} is present in bundle but not defined in CSV`);
  }
  const sas = new Set((install.spec?.deployments ?? []).map((d) => d.spec?.template?.spec?.serviceAccountName).filter(Boolean));
  for (const { file, obj } of objects) if (obj.kind === 'ServiceAccount' && sas.has(obj.metadata?.name)) v.errors.push(`bundle: ${file}: ServiceAccount ${obj.metadata?.name} is the serviceAccountName of a CSV deployment (OLM creates it)`);
}

/** Validate a bundle directory; `errors` empty means `operator-sdk bundle validate` would exit 0. */
export function validateBundle(dir: string): Validation {
  const v: Validation = { errors: [], warnings: [] };
  const { annotations } = loadAnnotations(dir);
  if (!annotations) {
    v.errors.push(`metadata not found in ${dir}`);
    return v;
  }
  const manifestsDir = join(dir, (annotations['operators.operatorframework.io.bundle.manifests.v1'] ?? 'manifests/').replace(/\/$/, ''));
  if (!existsSync(manifestsDir)) {
    v.errors.push(`format: manifests directory ${manifestsDir} does not exist`);
    formatChecks(dir, annotations, 'registry+v1', v);
    return v;
  }
  const entries = readdirSync(manifestsDir).sort();
  const objects: Array<{ file: string; obj: Obj }> = [];
  for (const e of entries) {
    const p = join(manifestsDir, e);
    if (e.startsWith('.')) v.errors.push(`manifests: hidden file ${e} is not allowed`);
    else if (statSync(p).isDirectory()) v.errors.push(`manifests: sub-directory ${e} is not allowed (the directory must be flat)`);
    else {
      let docs: unknown[];
      try {
        docs = yaml.loadAll(readFileSync(p, 'utf8')).filter((d) => d !== null);
      } catch (err) {
        v.errors.push(`manifests: ${e}: cannot be decoded: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      if (docs.length !== 1) v.errors.push(`manifests: ${e}: holds ${docs.length} objects; one object per file (the loader reads only the first)`);
      if (docs[0] && typeof docs[0] === 'object') objects.push({ file: e, obj: docs[0] as Obj });
    }
  }
  if (objects.length === 0) v.errors.push(`manifests: ${manifestsDir} contains no yaml files`);
  const csvs = objects.filter((o) => o.obj.kind === 'ClusterServiceVersion');
  const mediaType = csvs.length > 0 ? 'registry+v1' : 'plain';
  formatChecks(dir, annotations, mediaType, v);
  if (csvs.length > 1) v.errors.push('invalid bundle: contains multiple CSVs');
  if (csvs.length === 0) {
    v.errors.push('invalid bundle: no ClusterServiceVersion');
    return v;
  }
  const crds: Obj[] = [];
  for (const { file, obj } of objects) {
    if (obj.kind === 'CustomResourceDefinition') {
      if (!['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'].includes(obj.apiVersion ?? '')) v.errors.push(`manifests: ${file}: unsupported CRD version ${obj.apiVersion}`);
      crds.push(obj);
      v.errors.push(...crdProblems(obj, `crd ${file}`));
    } else if (obj.kind !== 'ClusterServiceVersion') {
      if (!SUPPORTED_KINDS.includes(obj.kind ?? '')) v.errors.push(`manifests: ${file}: unsupported media type registry+v1 for bundle object ${obj.kind}`);
      v.errors.push(...objectMetaProblems(obj, `manifests: ${file}`));
    }
  }
  csvChecks(csvs[0]!.obj, crds, objects, v);
  // Size: gzip then base64 of all files, as the registry stores them.
  const all = Buffer.concat(walk(dir).map((f) => readFileSync(f)));
  const size = Buffer.from(gzipSync(all)).toString('base64').length;
  if (size > MAX_BUNDLE) v.errors.push(`bundle: size ${size} bytes (gzip+base64) exceeds ${MAX_BUNDLE}`);
  else if (size > MAX_BUNDLE * 0.85) v.warnings.push(`bundle: size ${size} bytes is over 85% of the ${MAX_BUNDLE} limit`);
  return v;
}
