/**
 * Scripted-reply routes of a site (issue 6; mounted inside the site router): the staff
 * composer's pre-check and the admin's required boilerplate. See docs/api.md.
 */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { actorOf, requirePermission } from '../services/actor.js';
import { authenticitySettings, boilerplateOf, checkText, setAuthenticitySettings, setBoilerplate } from '../services/scripted-replies.js';
import { principalOf, route } from './request.js';

export function mountScriptedRoutes(router: express.Router, ctx: AppContext): void {
  router.post('/staff/check-text', route(async (req, res) => res.json(await checkText(ctx, await principalOf(ctx, req), req.body))));
  router.get(
    '/admin/boilerplate',
    route(async (req, res) => {
      const actor = actorOf(await principalOf(ctx, req));
      requirePermission(actor, 'manage-companies');
      res.json({ texts: await boilerplateOf(ctx, actor.site.id) });
    }),
  );
  router.put('/admin/boilerplate', route(async (req, res) => res.json(await setBoilerplate(ctx, actorOf(await principalOf(ctx, req)), req.body))));
  router.get(
    '/admin/authenticity',
    route(async (req, res) => {
      const actor = actorOf(await principalOf(ctx, req));
      requirePermission(actor, 'manage-companies');
      res.json(await authenticitySettings(ctx, actor.site.id));
    }),
  );
  router.put('/admin/authenticity', route(async (req, res) => res.json(await setAuthenticitySettings(ctx, actorOf(await principalOf(ctx, req)), req.body))));
}
