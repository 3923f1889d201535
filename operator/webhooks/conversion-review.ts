// apiextensions.k8s.io/v1 ConversionReview -> response, via schemas/conversion.
// Pure: the server only moves bytes. All objects convert or the review fails,
// with every problem in the message.

import { convert } from '../../schemas/conversion.js';
import type { KubeObject } from '../../schemas/hub.js';
import { formatProblem } from '../../schemas/problem.js';

export interface ConversionReviewResponse {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'ConversionReview';
  response: { uid: string; convertedObjects: KubeObject[]; result: { status: 'Success' | 'Failure'; message?: string } };
}

export function reviewConversion(body: unknown): ConversionReviewResponse {
  const request = (body as { request?: { uid?: unknown; desiredAPIVersion?: unknown; objects?: unknown } } | null)?.request;
  const uid = typeof request?.uid === 'string' ? request.uid : '';
  const fail = (message: string): ConversionReviewResponse => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    response: { uid, convertedObjects: [], result: { status: 'Failure', message } },
  });
  if (!request || typeof request.desiredAPIVersion !== 'string' || !Array.isArray(request.objects)) {
    return fail('ConversionReview: request needs uid, desiredAPIVersion and objects');
  }
  const converted: KubeObject[] = [];
  const problems: string[] = [];
  for (const obj of request.objects as KubeObject[]) {
    const r = convert(obj, request.desiredAPIVersion);
    if (r.object) converted.push(r.object);
    problems.push(...r.problems.map(formatProblem));
  }
  if (problems.length) return fail(problems.join('; '));
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid, convertedObjects: converted, result: { status: 'Success' } } };
}
