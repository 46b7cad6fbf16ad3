/** Request helpers shared by the routers: the bearer token, the acting principal, async routes. */
import type { NextFunction, Request, Response } from 'express';
import { ParleyError } from '../../moderation/errors.js';
import type { AppContext } from '../services/context.js';
import { anonymous, principalFromToken, type Principal } from '../services/identity.js';
import type { SiteRecord } from '../store/store.js';

declare module 'express-serve-static-core' {
  interface Request {
    parleySite?: SiteRecord;
  }
}

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  // Another scheme (Basic, a bare token) is no sign-in at all, not a bad token: `unauthenticated`, as documented.
  if (!match) throw new ParleyError('unauthenticated', 'Sign in with an "Authorization: Bearer <token>" header; other schemes are not accepted.');
  return match[1]!;
}

export async function principalOf(ctx: AppContext, req: Request): Promise<Principal> {
  const site = req.parleySite!;
  const token = bearerToken(req);
  return token ? await principalFromToken(ctx, site, token) : anonymous(site);
}

/**
 * A request body must be JSON (`Content-Type: application/json`): any other type is unreadable
 * (`bad_request`), not an empty message refused field by field. The exceptions are witnesses'
 * cosigned checkpoint notes, which are plain text, and import files (issue 15: Disqus or WordPress
 * XML, a Parley export), which their own route reads and checks after the admin check.
 */
export function requireJsonBody(req: Request): void {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody || req.is('application/json')) return;
  if (req.path === '/log/cosignatures' && req.is('text/plain')) return;
  if (req.path === '/admin/import' || req.path === '/admin/import/') return;
  throw new ParleyError('bad_request', 'The request body must be JSON, sent with "Content-Type: application/json".');
}

/** Async route wrapper: a rejected promise goes to the error handler. */
export const route =
  (handler: (req: Request, res: Response) => Promise<unknown> | unknown) =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(next);
  };

