/**
 * Identity routes of a site (mounted inside the site router, so the site loader and the
 * origin check run first): the public register, sessions, email proof for staff, the
 * member's own account, and site administration.
 */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { actorOf, requirePermission } from '../services/actor.js';
import { decideNameChange, findUsers, grantRole, revokeRole, siteAdminOverview, upsertCompany } from '../services/admin.js';
import { blockAccount, myBlocks, unblockAccount } from '../services/blocks.js';
import { eraseMember, exportMember, renameMember, requestNameChange } from '../services/members.js';
import { company, companyRegister, topicParticipants } from '../services/register.js';
import { exchangeHostToken, refreshSession, signOutEverywhere } from '../services/sessions.js';
import { requestEmailLink, revokeStaff, verifyEmailLink, verifyProfessional, verifyStaff } from '../services/staff.js';
import { principalOf, route } from './request.js';
import { ParleyError } from '../../moderation/errors.js';

export function mountIdentityRoutes(router: express.Router, ctx: AppContext): void {
  // Public: the register of companies, their disclosures and people; who takes part in a topic.
  router.get('/companies', route(async (req, res) => res.json(await companyRegister(ctx, req.parleySite!))));
  router.get('/companies/:company', route(async (req, res) => res.json(await company(ctx, req.parleySite!, req.params.company))));
  router.get('/topics/:topic/participants', route(async (req, res) => res.json(await topicParticipants(ctx, req.parleySite!, req.params.topic))));

  // Sessions.
  router.post('/session', route(async (req, res) => res.json(await exchangeHostToken(ctx, req.parleySite!, req.body))));
  router.post('/session/refresh', route(async (req, res) => res.json(await refreshSession(ctx, req.parleySite!, req.body))));
  router.post(
    '/session/sign-out-everywhere',
    route(async (req, res) => res.json(await signOutEverywhere(ctx, await principalOf(ctx, req)))),
  );

  // Email proof of employment for company staff.
  router.post('/staff/email-link', route(async (req, res) => res.status(202).json(await requestEmailLink(ctx, req.parleySite!, req.body, req.ip ?? ''))));
  router.post('/staff/verify', route(async (req, res) => res.json(await verifyEmailLink(ctx, req.parleySite!, req.body))));

  // The member's own account.
  router.patch('/me', route(async (req, res) => res.json(await renameMember(ctx, await principalOf(ctx, req), req.body))));
  router.post('/me/name-change', route(async (req, res) => res.status(201).json(await requestNameChange(ctx, await principalOf(ctx, req), req.body))));
  router.get(
    '/me/export',
    route(async (req, res) => {
      const data = await exportMember(ctx, await principalOf(ctx, req));
      res.setHeader('Content-Disposition', `attachment; filename="parley-${data.site}-my-data.json"`);
      res.json(data);
    }),
  );
  router.delete('/me', route(async (req, res) => res.json(await eraseMember(ctx, await principalOf(ctx, req), req.body))));
  // Blocking (issue 13): private to the member.
  router.get('/me/blocks', route(async (req, res) => res.json(await myBlocks(ctx, await principalOf(ctx, req)))));
  router.put('/me/blocks/:userId', route(async (req, res) => res.json(await blockAccount(ctx, await principalOf(ctx, req), req.params.userId))));
  router.delete('/me/blocks/:userId', route(async (req, res) => res.json(await unblockAccount(ctx, await principalOf(ctx, req), req.params.userId))));

  // Site administration (admins only; the CLI calls the same services).
  const admin = async (req: express.Request) => actorOf(await principalOf(ctx, req));
  router.get('/admin', route(async (req, res) => res.json(await siteAdminOverview(ctx, await admin(req)))));
  router.get('/admin/users', route(async (req, res) => res.json(await findUsers(ctx, await admin(req), req.query.name))));
  router.post('/admin/roles', route(async (req, res) => res.json(await grantRole(ctx, await admin(req), req.body))));
  router.delete('/admin/roles', route(async (req, res) => res.json(await revokeRole(ctx, await admin(req), req.body))));
  router.put(
    '/admin/companies/:company',
    route(async (req, res) => {
      // Authorised before the body is looked at: a refusal must not depend on what was sent.
      const actor = await admin(req);
      requirePermission(actor, 'manage-companies');
      if (req.body && typeof req.body === 'object' && req.body.id !== req.params.company) {
        throw new ParleyError('validation_failed', 'id: must match the company in the path');
      }
      const result = await upsertCompany(ctx, actor, req.body);
      res.status(result.created ? 201 : 200).json(result);
    }),
  );
  router.post('/admin/staff', route(async (req, res) => res.json(await verifyStaff(ctx, await admin(req), req.body))));
  router.post('/admin/staff/revoke', route(async (req, res) => res.json(await revokeStaff(ctx, await admin(req), req.body))));
  router.post('/admin/professionals', route(async (req, res) => res.json(await verifyProfessional(ctx, await admin(req), req.body))));
  router.post(
    '/admin/name-changes/:id',
    route(async (req, res) => res.json(await decideNameChange(ctx, await admin(req), String(req.params.id).slice(0, 64), req.body))),
  );
  router.get(
    '/admin/identity-events',
    route(async (req, res) => {
      // Role grants, revocation reasons and erasures: for the site's admins only (issue 15's
      // security review found this answering any signed-in person).
      requirePermission(await admin(req), 'manage-roles');
      const after = Number(req.query.after ?? 0);
      res.json({ events: await ctx.store.listIdentityEvents(req.parleySite!.id, Number.isFinite(after) ? after : 0, 200) });
    }),
  );
}
