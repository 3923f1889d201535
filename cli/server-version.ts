// The operator's version on a cluster: the tag of its Deployment's image.

import type { KubeClient } from '../kube/client.js';
import { BUILTIN_KINDS, kindPath } from '../kube/rest-mapper.js';
import { OPERATOR_DEPLOYMENT } from './check/names.js';

export type ServerVersion = { ok: true; version: string; image: string } | { ok: false; reason: string };

/** `ghcr.io/o/smi-operator:v0.2.0` -> `0.2.0`; undefined without a tag (or with a digest only). */
export function imageVersion(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1);
  if (!last.includes(':')) return undefined;
  return last.slice(last.indexOf(':') + 1).replace(/@.*$/, '').replace(/^v/, '') || undefined;
}

export async function serverVersion(client: KubeClient, namespace: string): Promise<ServerVersion> {
  const r = await client.request<{ spec: { template: { spec: { containers: { image: string }[] } } } }>('GET', kindPath(BUILTIN_KINDS.Deployment, namespace, OPERATOR_DEPLOYMENT));
  if (!r.ok) return { ok: false, reason: r.error.status === 404 ? `no Deployment ${namespace}/${OPERATOR_DEPLOYMENT}` : r.error.message };
  const image = r.body.spec.template.spec.containers.map((c) => c.image).find((i) => i.includes('smi-operator'));
  const v = image ? imageVersion(image) : undefined;
  return v && image ? { ok: true, version: v, image } : { ok: false, reason: `image ${image ?? '(none)'} has no version tag` };
}
