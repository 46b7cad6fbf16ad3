/**
 * Questions put to a company and the company desk (issue 14; mounted inside the site router).
 * Permissions are the services': the desk is for the company's verified staff, read-only for
 * moderators and admins; marking out of scope is moderation. See docs/api.md ("Company desk").
 */
import type express from 'express';
import {
  claimQuestion, companyDesk, decidePledge, deskSettings, proposePledge, releaseClaim, setDeskSettings,
} from '../services/company-desk.js';
import type { AppContext } from '../services/context.js';
import { markAnswered, markOutOfScope } from '../services/questions.js';
import { principalOf, route } from './request.js';

export function mountDeskRoutes(router: express.Router, ctx: AppContext): void {
  const who = (req: express.Request) => principalOf(ctx, req);

  router.get('/companies/:company/desk', route(async (req, res) => res.json(await companyDesk(ctx, await who(req), req.params.company, req.query))));
  router.post('/companies/:company/questions/:postId/claim', route(async (req, res) => res.json(await claimQuestion(ctx, await who(req), req.params.company, req.params.postId))));
  router.delete('/companies/:company/questions/:postId/claim', route(async (req, res) => res.json(await releaseClaim(ctx, await who(req), req.params.company, req.params.postId))));
  router.post('/companies/:company/questions/:postId/answer', route(async (req, res) => res.json(await markAnswered(ctx, await who(req), req.params.company, req.params.postId, req.body))));
  router.put('/companies/:company/pledge', route(async (req, res) => res.json(await proposePledge(ctx, await who(req), req.params.company, req.body))));

  router.post('/moderation/questions/:postId/out-of-scope', route(async (req, res) => res.json(await markOutOfScope(ctx, await who(req), req.params.postId, req.body))));

  router.post('/admin/companies/:company/pledge', route(async (req, res) => res.json(await decidePledge(ctx, await who(req), req.params.company, req.body))));
  router.get('/admin/desk', route(async (req, res) => res.json(await deskSettings(ctx, await who(req)))));
  router.put('/admin/desk', route(async (req, res) => res.json(await setDeskSettings(ctx, await who(req), req.body))));
}
