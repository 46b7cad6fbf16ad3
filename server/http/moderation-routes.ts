/**
 * Moderation routes of a site (mounted inside the site router, after the site loader and the
 * origin check): public rules, the "how moderation works" page, public actions and notices,
 * the numbers and the statements export; reports, appeals and notices of the signed-in
 * person; the moderators' queue, actions, log and appeal decisions; rule changes (admins).
 */
import type express from 'express';
import { ParleyError } from '../../moderation/errors.js';
import { pickLanguage } from '../i18n/index.js';
import { actorOf } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { decideAppeal, fileAppeal, myAppeals, openAppeals } from '../services/appeals.js';
import { moderationQueue, moderatorLog, publicAction, reverseAction, takeAction } from '../services/moderation.js';
import { getNotice, myNotices } from '../services/moderation-notices.js';
import { moderationSettings, updateModerationSettings } from '../services/moderation-settings.js';
import { createReport, myReports } from '../services/reports.js';
import { changeRule, howModerationWorks, howModerationWorksMarkdown, publicRules, ruleHistory } from '../services/rules.js';
import { transparencyDatabaseExport, transparencyReport } from '../services/transparency.js';
import { principalOf, route } from './request.js';

/** The longest `?lang=` accepted (a BCP 47 tag with region and script fits easily). */
const LANG_MAX = 35;

const id = (value: unknown) => String(value ?? '').slice(0, 64);

/** The signed-in viewer's id for public reads, or null; a bad token on a public read just reads anonymously. */
export async function optionalViewerId(ctx: AppContext, req: express.Request): Promise<string | null> {
  if (!req.headers.authorization) return null;
  try {
    return (await principalOf(ctx, req)).user?.id ?? null;
  } catch {
    return null;
  }
}

export function mountModerationRoutes(router: express.Router, ctx: AppContext): void {
  const site = (req: express.Request) => req.parleySite!.id;
  const actor = async (req: express.Request) => actorOf(await principalOf(ctx, req));

  // Public: rules, how moderation works, actions, notices (by unguessable id), numbers.
  router.get('/rules', route(async (req, res) => res.json(await publicRules(ctx, site(req)))));
  router.get('/rules/history', route(async (req, res) => res.json(await ruleHistory(ctx, site(req)))));
  router.put('/rules/:rule', route(async (req, res) => res.json(await changeRule(ctx, await actor(req), id(req.params.rule), req.body))));
  router.get(
    '/moderation/how-it-works',
    route(async (req, res) => {
      // In the language asked for (`?lang=`, the widget's), else the browser's; English otherwise.
      const asked = req.query.lang;
      if (asked !== undefined && (typeof asked !== 'string' || asked.length > LANG_MAX)) {
        throw new ParleyError('validation_failed', `lang must be a language tag of at most ${LANG_MAX} characters.`);
      }
      const lang = pickLanguage(asked, req.get('accept-language'));
      res.vary('Accept-Language');
      res.set('Content-Language', lang);
      if (req.query.format === 'markdown') {
        res.type('text/markdown; charset=utf-8').send(await howModerationWorksMarkdown(ctx, site(req), lang));
      } else {
        res.json(await howModerationWorks(ctx, site(req), lang));
      }
    }),
  );
  router.get('/moderation/actions/:id', route(async (req, res) => res.json(await publicAction(ctx, site(req), id(req.params.id)))));
  router.get('/notices/:id', route(async (req, res) => res.json(await getNotice(ctx, site(req), id(req.params.id)))));
  router.get('/transparency', route(async (req, res) => res.json(await transparencyReport(ctx, site(req), req.query))));
  router.get('/transparency/statements', route(async (req, res) => res.json(await transparencyDatabaseExport(ctx, site(req), req.query))));

  // The signed-in person: reports, appeals, notices.
  router.post(
    '/reports',
    route(async (req, res) => {
      const result = await createReport(ctx, await principalOf(ctx, req), req.body);
      res.status(result.created ? 201 : 200).json(result);
    }),
  );
  router.get('/me/reports', route(async (req, res) => res.json(await myReports(ctx, await principalOf(ctx, req)))));
  router.post('/appeals', route(async (req, res) => res.status(201).json(await fileAppeal(ctx, await principalOf(ctx, req), req.body))));
  router.get('/me/appeals', route(async (req, res) => res.json(await myAppeals(ctx, await principalOf(ctx, req)))));
  router.get('/me/notices', route(async (req, res) => res.json(await myNotices(ctx, await principalOf(ctx, req)))));

  // Moderators and admins (company staff never: `can()` refuses them).
  router.get('/moderation/queue', route(async (req, res) => res.json(await moderationQueue(ctx, await actor(req), req.query))));
  router.get('/moderation/log', route(async (req, res) => res.json(await moderatorLog(ctx, await actor(req), req.query))));
  router.post('/moderation/actions', route(async (req, res) => res.status(201).json(await takeAction(ctx, await actor(req), req.body))));
  router.post(
    '/moderation/actions/:id/reverse',
    route(async (req, res) => res.status(201).json(await reverseAction(ctx, await actor(req), id(req.params.id), req.body))),
  );
  router.get('/moderation/appeals', route(async (req, res) => res.json(await openAppeals(ctx, await actor(req)))));
  router.post(
    '/moderation/appeals/:id/decision',
    route(async (req, res) => res.json(await decideAppeal(ctx, await actor(req), id(req.params.id), req.body))),
  );
  router.get('/moderation/settings', route(async (req, res) => res.json({ settings: await moderationSettings(ctx, site(req)) })));
  router.put('/moderation/settings', route(async (req, res) => res.json(await updateModerationSettings(ctx, await actor(req), req.body))));

  router.all('/moderation/*rest', (_req, _res, next) => next(new ParleyError('not_found', 'No such moderation endpoint. See docs/api.md.')));
}
