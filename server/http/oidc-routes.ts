/**
 * OpenID Connect sign-in routes of a site (issue 12), mounted inside the site router:
 *
 *   GET  /sign-in/oidc/start?returnUrl=…   302 to the provider (4xx JSON when refused before any redirect)
 *   GET  /sign-in/oidc/callback?code&state  302 to returnUrl#parley-oidc=<ticket> or #parley-oidc-error=<code>
 *   POST /sign-in/oidc/complete {ticket}    → SessionTokens
 *   GET|PUT|DELETE /admin/oidc               the site's provider (admins; the client secret is write-only)
 *
 * The browser-facing redirects are never cached and send no Referer (the provider's URL
 * carries the state, the return URL the ticket).
 */
import type express from 'express';
import { actorOf } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { clearOidcSettings, getOidcSettings, setOidcSettings } from '../services/oidc-settings.js';
import { completeOidcSignIn, finishOidcSignIn, startOidcSignIn } from '../services/oidc-sign-in.js';
import { principalOf, route } from './request.js';

function redirect(res: express.Response, location: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.redirect(302, location);
}

export function mountOidcRoutes(router: express.Router, ctx: AppContext): void {
  // req.ip: the client address, behind a trusted proxy the one it reports (http/client-address.ts).
  router.get('/sign-in/oidc/start', route(async (req, res) => redirect(res, await startOidcSignIn(ctx, req.parleySite!, req.query, req.ip ?? ''))));
  router.get('/sign-in/oidc/callback', route(async (req, res) => redirect(res, await finishOidcSignIn(ctx, req.parleySite!, req.query))));
  router.post('/sign-in/oidc/complete', route(async (req, res) => res.json(await completeOidcSignIn(ctx, req.parleySite!, req.body))));

  const admin = async (req: express.Request) => actorOf(await principalOf(ctx, req));
  router.get('/admin/oidc', route(async (req, res) => res.json(await getOidcSettings(ctx, await admin(req)))));
  router.put(
    '/admin/oidc',
    route(async (req, res) => {
      const result = await setOidcSettings(ctx, await admin(req), req.body);
      res.status(result.created ? 201 : 200).json({ oidc: result.oidc });
    }),
  );
  router.delete('/admin/oidc', route(async (req, res) => res.json(await clearOidcSettings(ctx, await admin(req)))));
}
