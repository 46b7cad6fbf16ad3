/**
 * The demo's pages, with each `<parley-discussion>` holding the topic's HTML rendition
 * (GET /topics/{topic}/html) as a host's server would include it (a PHP include, a WordPress
 * plugin): readers without JavaScript and search engines see the conversation, and the widget
 * takes over when its script runs. Pages without a discussion fall through to the static files.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { renderTopicHtml } from '../server/render/topic-html.js';
import type { AppContext } from '../server/services/context.js';
import { readTopicPage } from '../server/services/reading.js';
import { DEMO_SITE } from './personas.js';

const ELEMENT = /(<parley-discussion\b[^>]*\btopic="([a-z0-9-]{1,80})"[^>]*>)(<\/parley-discussion>)/g;

/** Middleware (like express.static beside it, not an API route): GET /, /treatments, /carers… */
export function demoPages(ctx: AppContext, siteDir: string): express.RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path === '/' ? 'index' : req.path.slice(1);
    if (!/^[a-z]{1,40}$/.test(name)) return next();
    const file = path.join(siteDir, `${name}.html`);
    if (!fs.existsSync(file)) return next();
    const page = fs.readFileSync(file, 'utf8');
    if (!page.includes('<parley-discussion')) return next();
    const site = await ctx.store.getSite(DEMO_SITE.id);
    if (!site) return next();
    const topics = [...new Set(Array.from(page.matchAll(ELEMENT), (m) => m[2]!))];
    const pages = new Map(await Promise.all(topics.map(async (topic) => [topic, await readTopicPage(ctx, site.id, topic, {}, null)] as const)));
    const html = page.replace(ELEMENT, (_m, open: string, topic: string, close: string) => {
      const rendition = renderTopicHtml(pages.get(topic)!, { name: site.name, rulesUrl: site.rulesUrl });
      return `${open}\n${rendition}\n${close}`;
    });
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  };
}
