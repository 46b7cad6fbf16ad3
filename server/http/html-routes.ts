/**
 * GET /topics/:topic/html: the topic's first page as an HTML fragment for readers without
 * JavaScript and for search engines (server/render/topic-html.ts). Meant to be read
 * server-to-server by the host (no Origin header, so the site's origin rules let it through,
 * as they let a browser on an allowed origin); always the public view: a sign-in token is
 * ignored, so nobody's own removed words can end up in a page cache. Query: `order`, `limit`
 * as for /posts (strict: anything else is a 400).
 */
import type express from 'express';
import type { AppContext } from '../services/context.js';
import { readTopicPage } from '../services/reading.js';
import { renderTopicHtml } from '../render/topic-html.js';
import { route } from './request.js';

export function mountHtmlRoutes(router: express.Router, ctx: AppContext): void {
  router.get(
    '/topics/:topic/html',
    route(async (req, res) => {
      const site = req.parleySite!;
      const page = await readTopicPage(ctx, site.id, req.params.topic, req.query, null);
      res
        .status(200)
        .type('html')
        // Hosts may cache it briefly; the live widget takes over for readers with JavaScript.
        .setHeader('Cache-Control', 'public, max-age=60')
        .send(renderTopicHtml(page, { name: site.name, rulesUrl: site.rulesUrl }));
    }),
  );
}
