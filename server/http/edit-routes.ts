/** Edit history routes of a site (issue 6; mounted inside the site router): edit a post, read its versions. See docs/api.md. */
import type express from 'express';
import { ParleyError } from '../../moderation/errors.js';
import { can } from '../../moderation/permissions.js';
import type { AppContext } from '../services/context.js';
import { editPost, readHistory } from '../services/editing.js';
import { principalOf, route } from './request.js';

export function mountEditRoutes(router: express.Router, ctx: AppContext): void {
  router.patch(
    '/posts/:id',
    route(async (req, res) => {
      const principal = await principalOf(ctx, req);
      if (!can(principal.roles, 'read')) throw new ParleyError('forbidden', 'You may not use this site.');
      res.json(await editPost(ctx, principal, req.params.id, req.body, req.ip ?? ''));
    }),
  );

  // Public, like the post itself: no token needed, the same answer for everyone.
  router.get(
    '/posts/:id/history',
    route(async (req, res) => {
      res.json({ history: await readHistory(ctx, req.parleySite!.id, req.params.id) });
    }),
  );
}
