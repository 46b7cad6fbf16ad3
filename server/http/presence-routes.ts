/** Company presence routes of a site (issue 6; mounted inside the site router): weekly series and the steadiness index, as JSON. See docs/api.md. */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { companyPresence } from '../services/presence.js';
import { route } from './request.js';

export function mountPresenceRoutes(router: express.Router, ctx: AppContext): void {
  // Public, like the register: anyone may see how a company takes part.
  router.get('/companies/:id/presence', route(async (req, res) => {
    res.json(await companyPresence(ctx, req.parleySite!, req.params.id, req.query));
  }));
}
