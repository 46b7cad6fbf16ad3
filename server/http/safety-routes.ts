/**
 * Safety routing routes of a site (issue 6; mounted inside the site router): pharmacovigilance
 * contacts, adverse-event flags, forwards, deliveries, monitoring feed, member signpost.
 * See docs/api.md ("Possible adverse events") and docs/safety.md.
 */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { actorOf, requirePermission } from '../services/actor.js';
import { safetySettings, updateSafetySettings } from '../services/safety.js';
import { getFlag, listFlags, myFlags, recordSeen, resolveReference, setConsent } from '../services/safety-flags.js';
import { forwardFlag } from '../services/safety-forward.js';
import { listDeliveries, retryDelivery } from '../services/safety-delivery.js';
import {
  createFeedToken, feedReaderFromPrincipal, feedReaderFromToken, getSafetyContact, listSafetyContacts, revokeFeedToken, safetyFeed, setSafetyContact,
} from '../services/safety-admin.js';
import { principalOf, route } from './request.js';

export function mountSafetyRoutes(router: express.Router, ctx: AppContext): void {
  const who = (req: express.Request) => principalOf(ctx, req);
  const admin = async (req: express.Request) => actorOf(await principalOf(ctx, req));

  // Moderators and the company's own staff.
  router.get('/safety/flags', route(async (req, res) => res.json(await listFlags(ctx, await who(req), req.query))));
  router.get('/safety/flags/:id', route(async (req, res) => res.json(await getFlag(ctx, await who(req), req.params.id))));
  router.post(
    '/safety/flags/:id/forward',
    route(async (req, res) => {
      const result = await forwardFlag(ctx, await who(req), req.params.id, req.body);
      res.status(result.created ? 201 : 200).json(result);
    }),
  );
  router.post('/safety/seen', route(async (req, res) => res.json(await recordSeen(ctx, await who(req), req.body))));
  router.get('/safety/deliveries', route(async (req, res) => res.json(await listDeliveries(ctx, await who(req), req.query))));
  router.post('/safety/deliveries/:id/retry', route(async (req, res) => res.json(await retryDelivery(ctx, await who(req), req.params.id))));

  // The post's author.
  router.get('/safety/my-flags', route(async (req, res) => res.json(await myFlags(ctx, await who(req), req.query))));
  router.post('/safety/flags/:id/consent', route(async (req, res) => res.json(await setConsent(ctx, await who(req), req.params.id, req.body))));

  // The company's monitoring feed: a feed token (for a safety system) or a staff member's sign-in.
  router.get(
    '/safety/feed',
    route(async (req, res) => {
      const token = req.get('x-parley-feed-token');
      const reader = token !== undefined ? await feedReaderFromToken(ctx, req.parleySite!, token) : await feedReaderFromPrincipal(ctx, await who(req));
      res.setHeader('Cache-Control', 'no-store');
      res.json(await safetyFeed(ctx, req.parleySite!, reader, req.query));
    }),
  );

  // Site admins.
  router.get('/safety/relay/:reference', route(async (req, res) => res.json(await resolveReference(ctx, await who(req), req.params.reference))));
  router.get(
    '/admin/safety/settings',
    route(async (req, res) => {
      const actor = await admin(req);
      requirePermission(actor, 'manage-companies');
      res.json({ settings: await safetySettings(ctx, actor.site.id) });
    }),
  );
  router.put('/admin/safety/settings', route(async (req, res) => res.json(await updateSafetySettings(ctx, await admin(req), req.body))));
  router.get('/admin/companies/:company/safety-contact', route(async (req, res) => res.json(await getSafetyContact(ctx, await admin(req), req.params.company, req.query))));
  router.get('/admin/companies/:company/safety-contacts', route(async (req, res) => res.json(await listSafetyContacts(ctx, await admin(req), req.params.company))));
  router.put('/admin/companies/:company/safety-contact', route(async (req, res) => res.json(await setSafetyContact(ctx, await admin(req), req.params.company, req.body))));
  router.post(
    '/admin/companies/:company/safety-feed-token',
    route(async (req, res) => res.status(201).json(await createFeedToken(ctx, await admin(req), req.params.company))),
  );
  router.delete('/admin/companies/:company/safety-feed-token', route(async (req, res) => res.json(await revokeFeedToken(ctx, await admin(req), req.params.company))));

}
