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
  router.get('/safety/flags', route(async (req, res) => res.json(listFlags(ctx, await who(req), req.query))));
  router.get('/safety/flags/:id', route(async (req, res) => res.json(getFlag(ctx, await who(req), req.params.id))));
  router.post(
    '/safety/flags/:id/forward',
    route(async (req, res) => {
      const result = forwardFlag(ctx, await who(req), req.params.id, req.body);
      res.status(result.created ? 201 : 200).json(result);
    }),
  );
  router.post('/safety/seen', route(async (req, res) => res.json(recordSeen(ctx, await who(req), req.body))));
  router.get('/safety/deliveries', route(async (req, res) => res.json(listDeliveries(ctx, await who(req), req.query))));
  router.post('/safety/deliveries/:id/retry', route(async (req, res) => res.json(retryDelivery(ctx, await who(req), req.params.id))));

  // The post's author.
  router.get('/safety/my-flags', route(async (req, res) => res.json(myFlags(ctx, await who(req), req.query))));
  router.post('/safety/flags/:id/consent', route(async (req, res) => res.json(setConsent(ctx, await who(req), req.params.id, req.body))));

  // The company's monitoring feed: a feed token (for a safety system) or a staff member's sign-in.
  router.get(
    '/safety/feed',
    route(async (req, res) => {
      const token = req.get('x-parley-feed-token');
      const reader = token !== undefined ? feedReaderFromToken(ctx, req.parleySite!, token) : feedReaderFromPrincipal(ctx, await who(req));
      res.setHeader('Cache-Control', 'no-store');
      res.json(safetyFeed(ctx, req.parleySite!, reader, req.query));
    }),
  );

  // Site admins.
  router.get('/safety/relay/:reference', route(async (req, res) => res.json(resolveReference(ctx, await who(req), req.params.reference))));
  router.get(
    '/admin/safety/settings',
    route(async (req, res) => {
      const actor = await admin(req);
      requirePermission(actor, 'manage-companies');
      res.json({ settings: safetySettings(ctx, actor.site.id) });
    }),
  );
  router.put('/admin/safety/settings', route(async (req, res) => res.json(updateSafetySettings(ctx, await admin(req), req.body))));
  router.get('/admin/companies/:company/safety-contact', route(async (req, res) => res.json(getSafetyContact(ctx, await admin(req), req.params.company, req.query))));
  router.get('/admin/companies/:company/safety-contacts', route(async (req, res) => res.json(listSafetyContacts(ctx, await admin(req), req.params.company))));
  router.put('/admin/companies/:company/safety-contact', route(async (req, res) => res.json(setSafetyContact(ctx, await admin(req), req.params.company, req.body))));
  router.post(
    '/admin/companies/:company/safety-feed-token',
    route(async (req, res) => res.status(201).json(createFeedToken(ctx, await admin(req), req.params.company))),
  );
  router.delete('/admin/companies/:company/safety-feed-token', route(async (req, res) => res.json(revokeFeedToken(ctx, await admin(req), req.params.company))));

}
