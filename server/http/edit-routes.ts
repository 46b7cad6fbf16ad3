/** Edit history routes of a site (issue 6; mounted inside the site router): edit a post, read its versions. See docs/api.md. */
import type express from 'express';
import type { AppContext } from '../services/context.js';

export function mountEditRoutes(router: express.Router, ctx: AppContext): void {
  void router;
  void ctx;
}
