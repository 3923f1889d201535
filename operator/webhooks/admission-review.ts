// admission.k8s.io/v1 AdmissionReview for SMI kinds -> allow / deny, via
// validateSmiObject. Non-SMI objects and deletes are allowed. A denial lists
// every problem, one per line, each naming object and field.

import type { KubeObject } from '../../schemas/hub.js';
import { refOf } from '../../schemas/object-ref.js';
import { formatProblem } from '../../schemas/problem.js';
import { validateSmiObject } from '../../schemas/validate.js';
import { servedKind, unservedSmiField } from '../../schemas/versions.js';

export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: { uid: string; allowed: boolean; status?: { code: number; reason: string; message: string } };
}

interface AdmissionRequest {
  uid?: unknown;
  operation?: unknown;
  namespace?: unknown;
  name?: unknown;
  object?: unknown;
}

function answer(uid: string, denial?: string): AdmissionReviewResponse {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: denial === undefined ? { uid, allowed: true } : { uid, allowed: false, status: { code: 422, reason: 'Invalid', message: denial } },
  };
}

/** The object of a CREATE or UPDATE review, if any (read defensively). */
export function admissionObject(body: unknown): KubeObject | undefined {
  const request = (body as { request?: AdmissionRequest } | null)?.request;
  if (request?.operation !== 'CREATE' && request?.operation !== 'UPDATE') return undefined;
  const o = request.object;
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as KubeObject) : undefined;
}

export function reviewAdmission(body: unknown): AdmissionReviewResponse {
  const request = (body as { request?: AdmissionRequest } | null)?.request;
  const uid = typeof request?.uid === 'string' ? request.uid : '';
  if (!request) return answer(uid, 'AdmissionReview: missing request');
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return answer(uid);
  const raw = request.object as KubeObject | undefined;
  if (!raw || typeof raw !== 'object') return answer(uid);
  // On create the name and namespace may come from the URL or generateName.
  const metadata = { ...(raw.metadata ?? {}) };
  if (metadata.namespace === undefined && typeof request.namespace === 'string' && request.namespace) metadata.namespace = request.namespace;
  if (metadata.name === undefined) metadata.name = typeof request.name === 'string' && request.name ? request.name : `${String(metadata.generateName ?? '')}<generated>`;
  const obj: KubeObject = { ...raw, metadata };
  const unserved = unservedSmiField(obj.apiVersion, obj.kind);
  if (unserved) return answer(uid, `${refOf(obj)}: ${unserved.path}: ${unserved.message}`);
  if (!servedKind(obj.apiVersion, obj.kind)) return answer(uid);
  const { problems } = validateSmiObject(obj);
  return answer(uid, problems.length ? problems.map(formatProblem).join('\n') : undefined);
}
