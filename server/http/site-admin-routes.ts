/**
 * The site's own settings (issue 15), mounted inside the site router: admins only
 * (`manage-site` in moderation/permissions.ts), the same services as the CLI would call.
 *
 *   GET   /admin/site                → {id, name, origins, signIn, hasSecret, publicKeys}
 *   PATCH /admin/site {name?, origins?} → the same, with `hints` about the origins
 *   POST  /admin/site/secret         → {secret} (shown once)
 *   PUT   /admin/site/public-keys {publicKeys}
 */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { actorOf } from '../services/actor.js';
import { rotateSecret, setPublicKeys, siteSettings, updateSite } from '../services/site-admin.js';
import { principalOf, route } from './request.js';

export function mountSiteAdminRoutes(router: express.Router, ctx: AppContext): void {
  const admin = async (req: express.Request) => actorOf(await principalOf(ctx, req));
  router.get('/admin/site', route(async (req, res) => res.json(await siteSettings(ctx, await admin(req)))));
  router.patch('/admin/site', route(async (req, res) => res.json(await updateSite(ctx, await admin(req), req.body))));
  router.post(
    '/admin/site/secret',
    route(async (req, res) => {
      // Shown once: no cache may keep it.
      res.setHeader('Cache-Control', 'no-store');
      res.json(await rotateSecret(ctx, await admin(req)));
    }),
  );
  router.put('/admin/site/public-keys', route(async (req, res) => res.json(await setPublicKeys(ctx, await admin(req), req.body))));
}
