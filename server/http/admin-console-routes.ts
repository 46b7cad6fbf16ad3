/**
 * The small routes the admin console (issue 15, `<parley-admin>`) needs beyond the existing
 * admin API; mounted inside the site router (site loader and origin check run first).
 * - `POST /admin/rules/preview {text}` → `{html}`: a house rule's text rendered by the same
 *   Markdown renderer as published rules (raw HTML escaped, links limited to http(s)/mailto); the
 *   console sanitises it again with DOMPurify. Admins only (`manage-rules`), nothing stored.
 */
import type express from 'express';
import { ParleyError } from '../../moderation/errors.js';
import { RulePreviewSchema } from '../../moderation/moderation-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import { renderMarkdown } from '../render/markdown.js';
import { actorOf, requirePermission } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { principalOf, route } from './request.js';

export function mountAdminConsoleRoutes(router: express.Router, ctx: AppContext): void {
  router.post(
    '/admin/rules/preview',
    route(async (req, res) => {
      requirePermission(actorOf(await principalOf(ctx, req)), 'manage-rules');
      const parsed = parseWith(RulePreviewSchema, req.body);
      if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
      res.json({ html: renderMarkdown(parsed.value.text) });
    }),
  );
}
