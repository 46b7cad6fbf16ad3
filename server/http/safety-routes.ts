/** Safety routing routes of a site (issue 6; mounted inside the site router): pharmacovigilance contacts, adverse-event flags, forwards, deliveries, monitoring feed, member signpost. See docs/api.md. */
import type express from 'express';
import type { AppContext } from '../services/context.js';

export function mountSafetyRoutes(router: express.Router, ctx: AppContext): void {
  void router;
  void ctx;
}
