/**
 * Demo-only sign-in: one click signs a visitor in as a persona by minting the token a real
 * host site would mint. Mounted only with `--demo`, and only for sites marked as demo.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { SignJWT } from 'jose';
import * as v from 'valibot';
import { ParleyError } from '../../moderation/errors.js';
import { parseWith } from '../../moderation/schemas.js';
import { DEMO_SITE, PERSONAS } from '../../demo/personas.js';
import type { AppContext } from '../services/context.js';
import { route } from './request.js';
import { readTopicPage } from '../services/reading.js';
import { renderTopicHtml } from '../render/topic-html.js';

const SignInSchema = v.strictObject({ persona: v.pipe(v.string(), v.maxLength(40)) });
const TOKEN_SECONDS = 60 * 60;

export function demoRouter(ctx: AppContext): express.Router {
  const router = express.Router();

  router.get('/personas', (_req, res) => {
    res.json({
      notice: 'Demo mode: anyone can sign in as these fictional people. A real site signs its own members in.',
      site: DEMO_SITE.id,
      personas: PERSONAS.filter((p) => p.signIn).map((p) => ({ key: p.key, name: p.name, description: p.description })),
    });
  });

  // Demo only: without SMTP, mail stays in the outbox; the demo shows it so a visitor can
  // follow the staff sign-in link sent to an address at novacura.example.
  router.get('/outbox', (_req, res) => {
    const site = ctx.store.getSite(DEMO_SITE.id);
    if (!site?.demo) throw new ParleyError('forbidden', 'The outbox is only shown on the demo site.');
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      notice: 'Demo mode: mail is not sent; this is what Parley would have sent.',
      messages: ctx.store.listOutbox(site.id, 20).map((m) => ({ recipient: m.recipient, subject: m.subject, body: m.body, createdAt: m.createdAt })),
    });
  });

  router.post(
    '/sign-in',
    route(async (req, res) => {
      const input = parseWith(SignInSchema, req.body);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      const persona = PERSONAS.find((p) => p.key === input.value.persona && p.signIn);
      if (!persona) throw new ParleyError('not_found', 'No such demo persona.');
      const site = ctx.store.getSite(DEMO_SITE.id);
      if (!site?.demo || !site.secret) throw new ParleyError('forbidden', 'Demo sign-in is only available on the demo site.');
      const now = Math.floor(ctx.now().getTime() / 1000);
      const token = await new SignJWT({ name: persona.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(persona.sub)
        .setAudience(site.id)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_SECONDS)
        .sign(new TextEncoder().encode(site.secret));
      res.json({ token, expiresIn: TOKEN_SECONDS, persona: { key: persona.key, name: persona.name } });
    }),
  );

  return router;
}

/**
 * The demo's pages, with each `<parley-discussion>` holding the topic's HTML rendition
 * (GET /topics/{topic}/html) as a host's server would include it (a PHP include, a WordPress
 * plugin): readers without JavaScript and search engines see the conversation, and the widget
 * takes over when its script runs. Pages without a discussion fall through to the static files.
 */
export function demoPages(ctx: AppContext, siteDir: string): express.Router {
  const router = express.Router();
  const ELEMENT = /(<parley-discussion\b[^>]*\btopic="([a-z0-9-]{1,80})"[^>]*>)(<\/parley-discussion>)/g;
  router.get(['/', '/:page'], (req, res, next) => {
    const name = String(req.params.page ?? 'index');
    if (!/^[a-z]{1,40}$/.test(name)) return next();
    const file = path.join(siteDir, `${name}.html`);
    if (!fs.existsSync(file)) return next();
    const page = fs.readFileSync(file, 'utf8');
    if (!page.includes('<parley-discussion')) return next();
    const site = ctx.store.getSite(DEMO_SITE.id);
    if (!site) return next();
    const html = page.replace(ELEMENT, (_m, open: string, topic: string, close: string) => {
      const rendition = renderTopicHtml(readTopicPage(ctx, site.id, topic, {}, null), { name: site.name, rulesUrl: site.rulesUrl });
      return `${open}\n${rendition}\n${close}`;
    });
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  return router;
}
