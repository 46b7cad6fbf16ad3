/**
 * The one error shape of Parley's protocol: REST bodies, socket acks and widget messages
 * all carry `{ error: { code, message } }`. Codes are stable and machine-readable;
 * messages are for humans and may change.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'token_invalid'
  | 'forbidden'
  | 'not_found'
  | 'origin_not_allowed'
  | 'payload_too_large'
  | 'idempotency_conflict'
  /** An edit sent with `expectedRev` found the post changed since (edited elsewhere, labelled). */
  | 'edit_conflict'
  /** A question put to a company is no longer open (answered, out of scope), or a colleague's claim is in force (issue 14). */
  | 'question_conflict'
  /** A possible adverse event cannot be forwarded: the company has no pharmacovigilance contact registered. */
  | 'no_safety_contact'
  | 'rate_limited'
  /** A member who signed in by email or OpenID Connect must first choose a name and accept the house rules (`POST /me/welcome`). */
  | 'welcome_required'
  | 'topic_locked'
  | 'too_deep'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; retryAfterSeconds?: number; issues?: FieldIssue[] };
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** Thrown inside the server and mapped to HTTP status / socket ack; plain data otherwise. */
export class ParleyError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly extra: { retryAfterSeconds?: number; issues?: FieldIssue[] } = {},
  ) {
    super(message);
    this.name = 'ParleyError';
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof (value as ErrorBody).error?.code === 'string'
  );
}

/** HTTP status for each code, so REST and sockets agree on meaning. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  too_deep: 400,
  unauthenticated: 401,
  token_invalid: 401,
  forbidden: 403,
  welcome_required: 403,
  origin_not_allowed: 403,
  topic_locked: 403,
  not_found: 404,
  idempotency_conflict: 409,
  no_safety_contact: 409,
  edit_conflict: 409,
  question_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};
