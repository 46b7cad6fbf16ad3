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
  if (!match) throw new ParleyError('token_invalid', 'The Authorization header must be "Bearer <token>".');
  return match[1]!;
}

export async function principalOf(ctx: AppContext, req: Request): Promise<Principal> {
  const site = req.parleySite!;
  const token = bearerToken(req);
  return token ? principalFromToken(ctx, site, token) : anonymous(site);
}

/** Async route wrapper: a rejected promise goes to the error handler. */
export const route =
  (handler: (req: Request, res: Response) => Promise<unknown> | unknown) =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(next);
  };

