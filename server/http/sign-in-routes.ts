/**
 * Members' own sign-in (issue 12), mounted inside the site router: email sign-in (link and
 * one-time code), the new member's welcome, and the site's choice of sign-in methods.
 * OpenID Connect routes live beside these in a router of their own.
 */
import type express from 'express';
import { actorOf } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { requestMemberSignIn, verifyMemberCode, verifyMemberLink } from '../services/member-sign-in.js';
import { setSignInMethods } from '../services/sign-in-methods.js';
import { welcome } from '../services/welcome.js';
import { principalOf, route } from './request.js';

export function mountSignInRoutes(router: express.Router, ctx: AppContext): void {
  router.post('/sign-in/email', route(async (req, res) => res.status(202).json(await requestMemberSignIn(ctx, req.parleySite!, req.body, req.ip ?? ''))));
  router.post('/sign-in/email/verify', route(async (req, res) => res.json(await verifyMemberLink(ctx, req.parleySite!, req.body))));
  router.post('/sign-in/email/code', route(async (req, res) => res.json(await verifyMemberCode(ctx, req.parleySite!, req.body))));

  router.post('/me/welcome', route(async (req, res) => res.json(await welcome(ctx, await principalOf(ctx, req), req.body))));

  // The methods in force are public (GET /api/sites/{site}); only admins change them.
  router.put('/admin/sign-in', route(async (req, res) => res.json(await setSignInMethods(ctx, actorOf(await principalOf(ctx, req)), req.body))));
}
