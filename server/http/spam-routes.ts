/**
 * Issue 16 routes of a site (mounted inside the site router, before moderation's catch-all):
 * hold settings (public; admins change them), bulk actions and moderator notes (moderators),
 * "Helpful", an author deleting their own post, search, and pins. See docs/api.md.
 */
import type express from 'express';
import { actorOf } from '../services/actor.js';
import { bulkAction } from '../services/bulk-actions.js';
import type { AppContext } from '../services/context.js';
import { setHelpful } from '../services/helpful.js';
import { publicHoldSettings, updateHoldSettings } from '../services/holds.js';
import { addModeratorNote, listModeratorNotes } from '../services/moderator-notes.js';
import { deleteOwnPost } from '../services/own-deletion.js';
import { pinPost, unpinTopic } from '../services/pins.js';
import { searchSite } from '../services/search.js';
import { principalOf, route } from './request.js';

const param = (value: unknown) => String(value ?? '').slice(0, 200);

export function mountSpamRoutes(router: express.Router, ctx: AppContext): void {
  const site = (req: express.Request) => req.parleySite!.id;
  const actor = async (req: express.Request) => actorOf(await principalOf(ctx, req));

  // Holds: the options are public, like everything about how the site moderates.
  router.get('/moderation/holds/settings', route(async (req, res) => res.json(await publicHoldSettings(ctx, site(req)))));
  router.put('/moderation/holds/settings', route(async (req, res) => res.json(await updateHoldSettings(ctx, await actor(req), req.body))));

  // Moderators' craft.
  router.post('/moderation/bulk', route(async (req, res) => res.json(await bulkAction(ctx, await actor(req), req.body))));
  router.get(
    '/moderation/accounts/:userId/notes',
    route(async (req, res) => res.json(await listModeratorNotes(ctx, await actor(req), param(req.params.userId)))),
  );
  router.post(
    '/moderation/accounts/:userId/notes',
    route(async (req, res) => res.status(201).json(await addModeratorNote(ctx, await actor(req), param(req.params.userId), req.body))),
  );

  // Readers.
  router.put('/posts/:id/helpful', route(async (req, res) => res.json(await setHelpful(ctx, await principalOf(ctx, req), req.params.id, true))));
  router.delete('/posts/:id/helpful', route(async (req, res) => res.json(await setHelpful(ctx, await principalOf(ctx, req), req.params.id, false))));
  router.delete('/posts/:id', route(async (req, res) => res.json(await deleteOwnPost(ctx, await principalOf(ctx, req), req.params.id, req.body))));
  router.get('/search', route(async (req, res) => res.json(await searchSite(ctx, site(req), req.query))));
  router.put('/topics/:topic/pin', route(async (req, res) => res.json(await pinPost(ctx, await actor(req), req.params.topic, req.body))));
  router.delete('/topics/:topic/pin', route(async (req, res) => res.json(await unpinTopic(ctx, await actor(req), req.params.topic, req.body))));
}
