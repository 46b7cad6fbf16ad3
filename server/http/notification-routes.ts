/**
 * Notification routes (issue 13).
 *
 * Inside the site router (`/api/sites/{site}/…`, signed-in members): preferences, following a
 * topic, `@` suggestions, seen markers and "since your last visit", and the admins' window.
 *
 * Outside it (`notificationLinksRouter`): the links in notification mail, which work without
 * signing in because the signed token names the person and what to do:
 * - `GET /notifications/unsubscribe?token=` a page asking to confirm; `POST` the same URL
 *   unsubscribes (the page's button, and mail clients' RFC 8058 one-click POST with the body
 *   `List-Unsubscribe=One-Click`). A GET never changes anything: link scanners open links.
 * - `GET /notifications/confirm?token=` a page; `POST` confirms the address.
 */
import express from 'express';
import type { AppContext } from '../services/context.js';
import {
  followState, markSeen, mentionSuggestions, notificationSettings, notificationSiteSettings, setFollowing,
  setNotificationSiteSettings, sinceLastVisit, updateNotificationSettings,
} from '../services/notifications.js';
import { confirmFromLink, linkPage, unsubscribeFromLink } from '../services/notify-links.js';
import { principalOf, route } from './request.js';

export function mountNotificationRoutes(router: express.Router, ctx: AppContext): void {
  const who = (req: express.Request) => principalOf(ctx, req);
  router.get('/me/notifications', route(async (req, res) => res.json(await notificationSettings(ctx, await who(req)))));
  router.put('/me/notifications', route(async (req, res) => res.json(await updateNotificationSettings(ctx, await who(req), req.body))));
  router.get('/topics/:topic/follow', route(async (req, res) => res.json(await followState(ctx, await who(req), req.params.topic))));
  router.put('/topics/:topic/follow', route(async (req, res) => res.json(await setFollowing(ctx, await who(req), req.params.topic, req.body))));
  router.get('/topics/:topic/mention-suggestions', route(async (req, res) => res.json(await mentionSuggestions(ctx, await who(req), req.params.topic, req.query))));
  router.get('/topics/:topic/since-last-visit', route(async (req, res) => res.json(await sinceLastVisit(ctx, await who(req), req.params.topic))));
  router.put('/topics/:topic/seen', route(async (req, res) => res.json(await markSeen(ctx, await who(req), req.params.topic, req.body))));
  router.get('/admin/notifications', route(async (req, res) => res.json(await notificationSiteSettings(ctx, await who(req)))));
  router.put('/admin/notifications', route(async (req, res) => res.json(await setNotificationSiteSettings(ctx, await who(req), req.body))));
}

export function notificationLinksRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  const page = (res: express.Response, status: number, html: string) => {
    // Not cached, not indexed, and the token never leaks to another site through a Referer.
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex');
    res.send(html);
  };
  router.get('/notifications/unsubscribe', route(async (req, res) => {
    const shown = await linkPage(ctx, 'unsubscribe', req.query.token);
    page(res, shown.status, shown.html);
  }));
  router.post('/notifications/unsubscribe', route(async (req, res) => {
    const done = await unsubscribeFromLink(ctx, req.query.token);
    page(res, done.status, done.html);
  }));
  router.get('/notifications/confirm', route(async (req, res) => {
    const shown = await linkPage(ctx, 'confirm', req.query.token);
    page(res, shown.status, shown.html);
  }));
  router.post('/notifications/confirm', route(async (req, res) => {
    const done = await confirmFromLink(ctx, req.query.token);
    page(res, done.status, done.html);
  }));
  return router;
}
