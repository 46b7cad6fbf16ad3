/**
 * First-run routes (issue 15), server-level (there is no site yet):
 *
 *   GET  /setup?token=…[&lang=] the setup page (or why its link cannot be used), in the browser's language
 *   GET  /setup/accept          the first admin's landing page (token in the fragment)
 *   GET  /setup/setup.js, /setup/setup.css
 *   POST /api/setup {token, site: {id, name, origins, signIn}, adminEmail} → 201 SetupResult
 *   POST /api/setup/accept {token} → {site, session}
 *
 * The token is the authority here, not a role (moderation/permissions.ts ROUTE_RULES).
 */
import express from 'express';
import type { AppContext } from '../services/context.js';
import { acceptInvitation, completeSetup, SETUP_LINK_HOURS, setupLinkState } from '../services/first-run.js';
import { pickLanguage } from '../i18n/index.js';
import { route } from './request.js';
import { acceptPage, refusedSetupPage, SETUP_CSS, SETUP_JS, setupPage } from './setup-page.js';

export function setupRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  // The pages speak the browser's language, or the one `?lang=` names (issue 17).
  const pageLanguage = (req: express.Request) => pickLanguage(typeof req.query.lang === 'string' ? req.query.lang : null, req.get('accept-language'));
  // Pages with a secret in their address: never cached, never sent on as a Referer.
  const privatePage = (res: express.Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html');
  };

  router.get('/setup', async (req, res) => {
    privatePage(res);
    const state = await setupLinkState(ctx, req.query.token);
    const lang = pageLanguage(req);
    if (state.ok) return res.send(setupPage(lang));
    res.status(state.reason === 'unknown' ? 404 : 410).send(refusedSetupPage(state.reason, lang, SETUP_LINK_HOURS));
  });
  router.get('/setup/accept', (req, res) => {
    privatePage(res);
    res.send(acceptPage(pageLanguage(req)));
  });
  router.get('/setup/setup.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(SETUP_JS);
  });
  router.get('/setup/setup.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'no-cache');
    res.send(SETUP_CSS);
  });

  router.post('/api/setup', route(async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await completeSetup(ctx, req.body));
  }));
  router.post('/api/setup/accept', route(async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await acceptInvitation(ctx, req.body));
  }));
  return router;
}
