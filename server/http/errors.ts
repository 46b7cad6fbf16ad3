/** Maps anything thrown in a route to the protocol's `{error:{code,message}}` with the right status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HTTP_STATUS, ParleyError } from '../../moderation/errors.js';
import type { Logger } from 'pino';

export function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const e = error as { type?: string; status?: number; expose?: boolean };
  if (e?.type === 'entity.too.large') return new ParleyError('payload_too_large', 'The request body is too large.');
  if (e?.type === 'entity.parse.failed') return new ParleyError('bad_request', 'The request body is not valid JSON.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new ParleyError('bad_request', 'The request body must be UTF-8 JSON.');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return new ParleyError('bad_request', 'The request could not be read.');
  return new ParleyError('internal', 'Something went wrong on the server. Please try again.');
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const parleyError = toParleyError(error);
    if (parleyError.code === 'internal') log.error({ err: error, url: req.originalUrl, ip: req.ip }, 'request failed');
    if (parleyError.extra.retryAfterSeconds) res.setHeader('Retry-After', String(parleyError.extra.retryAfterSeconds));
    res.status(HTTP_STATUS[parleyError.code]).json(parleyError.toBody());
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new ParleyError('not_found', 'No such endpoint. See docs/api.md.'));
};
