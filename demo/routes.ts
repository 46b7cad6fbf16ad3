/**
 * The demo's own API under /demo/api (mounted by demo/plugin.ts, so only with `--demo`):
 * - GET /personas: the fictional people a visitor may be;
 * - POST /sign-in {persona}: one click signs a visitor in as a persona, by minting the token a
 *   real host site would mint (only for the site marked as demo);
 * - GET /outbox: without SMTP, the mail Parley would have sent, so a visitor can follow a staff
 *   sign-in link. Only mail to the demo's fictional addresses is shown (DEMO_MAIL_DOMAINS): a
 *   visitor who types a real address (their own, or a patient's) never sees it listed to all.
 */
import express from 'express';
import { SignJWT } from 'jose';
import * as v from 'valibot';
import { ParleyError } from '../moderation/errors.js';
import { parseWith } from '../moderation/schemas.js';
import { route } from '../server/http/request.js';
import { routeGroup, type RouteDescription } from '../server/http/api-routes.js';
import type { AppContext } from '../server/services/context.js';
import { DEMO_MAIL_DOMAINS, DEMO_SITE, PERSONAS } from './personas.js';

export const SignInSchema = v.strictObject({ persona: v.pipe(v.string(), v.maxLength(40)) });
const TOKEN_SECONDS = 60 * 60;

const SignedInSchema = v.strictObject({
  token: v.string(), expiresIn: v.number(), persona: v.strictObject({ key: v.string(), name: v.string() }),
});
const demo = routeGroup('/demo/api', 'demo');
/** These routes as /api/openapi.json describes them (the plug-in hands them to the server). */
export const DEMO_ROUTES: RouteDescription[] = [
  demo.get('/personas', 'Demo personas anyone may sign in as'),
  demo.get('/outbox', 'Mail the demo would have sent (to its fictional addresses only)'),
  demo.post('/sign-in', 'A host token for a demo persona (the demo’s stand-in for a host site’s sign-in)', { body: SignInSchema, response: SignedInSchema }),
];

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
  // follow the staff sign-in link sent to an address at novacura.example. Anyone can read this
  // page, so it lists mail to the demo's fictional domains only, never a real address.
  router.get('/outbox', async (_req, res) => {
    const site = await ctx.store.getSite(DEMO_SITE.id);
    if (!site?.demo) throw new ParleyError('forbidden', 'The outbox is only shown on the demo site.');
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      notice: 'Demo mode: mail is not sent; this is what Parley would have sent.',
      messages: (await ctx.store.listOutbox(site.id, 20, DEMO_MAIL_DOMAINS)).map((m) => ({ recipient: m.recipient, subject: m.subject, body: m.body, createdAt: m.createdAt })),
    });
  });

  router.post(
    '/sign-in',
    route(async (req, res) => {
      const input = parseWith(SignInSchema, req.body);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      const persona = PERSONAS.find((p) => p.key === input.value.persona && p.signIn);
      if (!persona) throw new ParleyError('not_found', 'No such demo persona.');
      const site = await ctx.store.getSite(DEMO_SITE.id);
      if (!site?.demo || !site.secret) throw new ParleyError('forbidden', 'Demo sign-in is only available on the demo site.');
      const now = Math.floor(ctx.now().getTime() / 1000);
      const token = await new SignJWT({ name: persona.name, ...(persona.email ? { email: persona.email } : {}) })
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
