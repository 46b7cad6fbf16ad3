/**
 * Import and export of a whole site (issue 15), admins only:
 * - `POST /admin/import?format=disqus|wordpress|parley&dryRun=true|false` with the file as the raw
 *   body (up to IMPORT_MAX_BYTES, this route only) → an ImportReport. dryRun defaults to true.
 * - `GET /admin/export` → the site as a JSON download (docs/import-export.md).
 * The admin check runs before a single byte of the file is read, so nobody else can make the
 * server take in 20 MB.
 */
import express from 'express';
import { IMPORT_MAX_BYTES } from '../../moderation/import-export.js';
import { actorOf, requirePermission } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { exportSite } from '../services/site-export.js';
import { importOptions, importSite } from '../services/site-import.js';
import { principalOf, route } from './request.js';
import { ParleyError } from '../../moderation/errors.js';

/** Requests the app-wide JSON parser must leave alone: this route reads its own, larger body. */
export const IMPORT_PATH = /^\/api\/sites\/[^/]+\/admin\/import\/?$/;

const readFileBody = express.raw({ type: () => true, limit: IMPORT_MAX_BYTES });

function rawBody(req: express.Request, res: express.Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    readFileBody(req, res, (error?: unknown) => {
      if (!error) return resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const e = error as { type?: string };
      if (e.type === 'entity.too.large') reject(new ParleyError('payload_too_large', `An import file may be at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB.`));
      else reject(error);
    });
  });
}

export function mountImportExportRoutes(router: express.Router, ctx: AppContext): void {
  router.post(
    '/admin/import',
    route(async (req, res) => {
      const actor = actorOf(await principalOf(ctx, req));
      requirePermission(actor, 'import-site');
      const options = importOptions(req.query);
      const bytes = await rawBody(req, res);
      res.json(await importSite(ctx, actor, { ...options, bytes }));
    }),
  );
  router.get(
    '/admin/export',
    route(async (req, res) => {
      const data = await exportSite(ctx, actorOf(await principalOf(ctx, req)));
      res.setHeader('Content-Disposition', `attachment; filename="parley-${data.site.id}-export-${data.exportedAt.slice(0, 10)}.json"`);
      res.json(data);
    }),
  );
}
