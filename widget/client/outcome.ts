/**
 * What every client call resolves to: the value, or Parley's one error shape. Transport
 * problems get codes of their own (`network`, `timeout`) so callers can tell "the server
 * said no" from "the message may not have arrived".
 */
import type { ErrorCode, FieldIssue } from '../../moderation/errors.js';

export type ClientErrorCode = ErrorCode | 'network' | 'timeout';

export interface Failure {
  error: { code: ClientErrorCode; message: string; retryAfterSeconds?: number; issues?: FieldIssue[] };
}

export type Outcome<T> = T | Failure;

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as Failure).error?.code === 'string';
}

export function failure(code: ClientErrorCode, message: string): Failure {
  return { error: { code, message } };
}

/** True when the request may not have reached the server, so it is safe (and wise) to resend. */
export function isTransportFailure(f: Failure): boolean {
  return f.error.code === 'network' || f.error.code === 'timeout';
}
