/**
 * REST routes of one site: `/api/sites/:site/...`. Every route runs behind the site loader
 * (404 for unknown sites), the per-site origin check with CORS, and token verification.
 */
import express from 'express';
import { principalOf, requireJsonBody, route } from './request.js';
import { ParleyError } from '../../moderation/errors.js';
import { can } from '../../moderation/permissions.js';
import type { PublicSiteInfo } from '../../moderation/types.js';
import type { AppContext } from '../services/context.js';
import { viewerOf } from '../services/identity.js';
import { createPost } from '../services/posting.js';
import { readChanges, readPost, readTopicPage } from '../services/reading.js';
import { listTopics } from '../services/topics.js';
import { isOriginAllowed, originRefusal } from './origins.js';
import { mountIdentityRoutes } from './identity-routes.js';
import { ruleVersions } from '../services/rules.js';
import { mountModerationRoutes, optionalViewerId } from './moderation-routes.js';
import { mountLogRoutes } from './log-routes.js';
import { mountScriptedRoutes } from './scripted-routes.js';
import { mountEditRoutes } from './edit-routes.js';
import { mountSpamRoutes } from './spam-routes.js';
import { mountSafetyRoutes } from './safety-routes.js';
import { mountPresenceRoutes } from './presence-routes.js';
import { mountDeskRoutes } from './desk-routes.js';
import { mountOidcRoutes } from './oidc-routes.js';
import { mountSignInRoutes } from './sign-in-routes.js';
import { mountImportExportRoutes } from './import-export-routes.js';
import { mountSiteAdminRoutes } from './site-admin-routes.js';
import { signInOffer } from '../services/sign-in-methods.js';
import { mountAdminConsoleRoutes } from './admin-console-routes.js';
import { mountHtmlRoutes } from './html-routes.js';
import { mountNotificationRoutes } from './notification-routes.js';


export function siteRouter(ctx: AppContext, selfOrigins: () => string[]): express.Router {
  const router = express.Router({ mergeParams: true });

  router.use(async (req, res, next) => {
    const siteId = String(req.params.site ?? '');
    const site = /^[a-z0-9][a-z0-9-]{0,39}$/.test(siteId) ? await ctx.store.getSite(siteId) : null;
    if (!site) return next(new ParleyError('not_found', `There is no site "${siteId.slice(0, 40)}" on this server.`));
    const origin = req.headers.origin;
    if (!isOriginAllowed(site, origin, selfOrigins())) {
      // The refusal itself is readable by the page (only the refusal: no other header, no
      // data), so the widget can tell the host why instead of retrying a "network error".
      res.setHeader('Access-Control-Allow-Origin', origin!);
      res.setHeader('Vary', 'Origin');
      return next(new ParleyError('origin_not_allowed', originRefusal(origin, site.id)));
    }
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
      // Let the widget read the export's file name and when to retry after a rate limit.
      res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition, Retry-After');
    }
    if (req.method === 'OPTIONS') return res.status(204).end();
    req.parleySite = site;
    try {
      requireJsonBody(req);
    } catch (error) {
      return next(error);
    }
    next();
  });

  router.get('/', async (req, res) => {
    const site = req.parleySite!;
    const changes = (await ruleVersions(ctx, site.id)).filter((r) => r.version > 1).map((r) => r.effectiveFrom).sort();
    // How members sign in here (issue 12): the site's configured methods, or their defaults.
    const signIn = await signInOffer(ctx, site);
    const info: PublicSiteInfo = { id: site.id, name: site.name, rulesUrl: site.rulesUrl, demo: site.demo, rulesChangedAt: changes.at(-1) ?? null, signIn };
    res.json(info);
  });

  router.get(
    '/me',
    route(async (req, res) => {
      const principal = await principalOf(ctx, req);
      if (!principal.user) throw new ParleyError('unauthenticated', 'No sign-in token was sent.');
      res.json({ viewer: await viewerOf(ctx, principal) });
    }),
  );

  // Listing pages: topics by latest activity, or the counts of `ids` in one request (<parley-count>).
  router.get('/topics', route(async (req, res) => res.json(await listTopics(ctx, req.parleySite!.id, req.query))));

  router.get(
    '/topics/:topic/posts',
    route(async (req, res) => {
      res.json(await readTopicPage(ctx, req.parleySite!.id, req.params.topic, req.query, await optionalViewerId(ctx, req)));
    }),
  );

  router.get(
    '/topics/:topic/changes',
    route(async (req, res) => {
      res.json(await readChanges(ctx, req.parleySite!.id, req.params.topic, req.query.since));
    }),
  );

  router.post(
    '/posts',
    route(async (req, res) => {
      const principal = await principalOf(ctx, req);
      if (!can(principal.roles, 'read')) throw new ParleyError('forbidden', 'You may not use this site.');
      const result = await createPost(ctx, principal, req.body, req.ip ?? '');
      res.status(result.created ? 201 : 200).json(result);
    }),
  );

  router.get(
    '/posts/:id',
    route(async (req, res) => {
      res.json({ post: await readPost(ctx, req.parleySite!.id, req.params.id, await optionalViewerId(ctx, req)) });
    }),
  );

  mountIdentityRoutes(router, ctx);
  // Before moderation's routes, which end in a catch-all: /moderation/questions/... is the desk's (issue 14).
  mountDeskRoutes(router, ctx);
  // Issue 16 (holds, bulk actions, notes, helpful, search, pins): also before the catch-all.
  mountSpamRoutes(router, ctx);
  mountNotificationRoutes(router, ctx);
  mountModerationRoutes(router, ctx);
  mountLogRoutes(router, ctx);
  mountScriptedRoutes(router, ctx);
  mountEditRoutes(router, ctx);
  mountSafetyRoutes(router, ctx);
  mountPresenceRoutes(router, ctx);
  mountOidcRoutes(router, ctx);
  mountSignInRoutes(router, ctx);
  mountAdminConsoleRoutes(router, ctx);
  mountImportExportRoutes(router, ctx);
  mountHtmlRoutes(router, ctx);
  mountSiteAdminRoutes(router, ctx);
  return router;
}
