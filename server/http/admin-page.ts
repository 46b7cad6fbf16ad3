/**
 * The admin console as a page of the Parley server (issue 15): `GET /admin/<site>` is a plain
 * HTML page that loads `/parley.js` and shows `<parley-admin site="<site>">`; the element does
 * the rest through the API, so the page itself carries no data and no permission (anyone may
 * load it; only the site's admins get anything from the API). It fits the server's CSP
 * (`script-src 'self'`, `style-src 'self'`): no inline script or style, its few page styles
 * come from `/admin/console.css`. How an organisation reaches it: README.md, docs/operations.md.
 * The page speaks the browser's language or `?lang=` (issue 17) and hands it to the element.
 */
import express from 'express';
import type { AppContext } from '../services/context.js';
import { PAGE_TOKENS_CSS } from '../render/page-css.js';
import { directionOf, messages, pickLanguage } from '../i18n/index.js';
import { adminPageMessages } from '../i18n/admin-page.js';

const SITE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PAGE_CSS = `${PAGE_TOKENS_CSS}body { margin: 0 auto; max-width: 64rem; padding: 1rem; }
@media (max-width: 30rem) { body { padding: 0.5rem; } }
noscript p { padding: 1rem; border: 1px solid var(--p-border); border-radius: var(--p-radius); }`;

export function adminPage(ctx: AppContext): express.Router {
  const router = express.Router();
  router.get('/admin/console.css', (_req, res) => {
    res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(PAGE_CSS);
  });
  router.get('/admin/:site', async (req, res) => {
    const id = String(req.params.site);
    const site = SITE_ID.test(id) ? await ctx.store.getSite(id) : null;
    res.setHeader('Cache-Control', 'no-store');
    const lang = pickLanguage(typeof req.query.lang === 'string' ? req.query.lang : null, req.get('accept-language'));
    const t = messages(adminPageMessages, lang);
    const root = `<html lang="${lang}" dir="${directionOf(lang)}">`;
    if (!site) {
      // A page refuses as a page people can read (as the setup page does; docs/api.md).
      res.status(404).type('text/html; charset=utf-8').send(`<!doctype html>
${root}<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${t('noSite')}</title><link rel="stylesheet" href="/admin/console.css"></head>
<body><main><h1>${t('noSite')}</h1><p>${escapeHtml(t('noSiteText', { id: id.slice(0, 40) }))}</p></main></body></html>
`);
      return;
    }
    res.type('text/html; charset=utf-8').send(`<!doctype html>
${root}
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(t('title', { site: site.name }))}</title>
<link rel="stylesheet" href="/admin/console.css">
<script type="module" src="/parley.js"></script>
</head>
<body>
<main>
<parley-admin site="${escapeHtml(site.id)}" lang="${lang}"></parley-admin>
<noscript><p>${t('noScript')}</p></noscript>
</main>
</body>
</html>
`);
  });
  return router;
}
