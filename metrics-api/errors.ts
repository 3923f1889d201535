// Errors are values: every fallible step returns Result<T>, and the HTTP edge
// turns a MetricsError into a Kubernetes Status with the matching code.

export type Reason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

const CODES: Record<Reason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

export interface MetricsError {
  reason: Reason;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: MetricsError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(reason: Reason, message: string): Result<T> => ({ ok: false, error: { reason, message } });

export const codeOf = (reason: Reason): number => CODES[reason];

/** A Kubernetes `Status` (what kubectl prints for a failed request). */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: Reason;
  code: number;
}

export function toStatus(e: MetricsError): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason, code: codeOf(e.reason) };
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
