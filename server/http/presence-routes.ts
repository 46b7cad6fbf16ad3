/** Company presence routes of a site (issue 6; mounted inside the site router): weekly series and the steadiness index, as JSON. See docs/api.md. */
import type express from 'express';
import type { AppContext } from '../services/context.js';

export function mountPresenceRoutes(router: express.Router, ctx: AppContext): void {
  void router;
  void ctx;
}
