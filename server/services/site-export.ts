/**
 * The whole site as one documented JSON file (issue 15; format in docs/import-export.md,
 * header `format: "parley-export", version: 1`): topics, posts with their edit history,
 * authors by display name, house rules with every version, moderation actions with their
 * statements of reasons, the company register and the public audit log with its latest
 * signed checkpoint. Never in it: members' emails, host subject ids, reporters, moderators'
 * user ids (they appear as their public label), sessions, secrets, keys, the outbox,
 * pharmacovigilance contacts. Another installation imports it with `format=parley`.
 */
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../moderation/import-export.js';
import { MAX_RANGE, MerkleAuditLog } from '../audit/merkle-audit-log.js';
import type { SiteRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { moderatorPublicLabel } from './moderation-settings.js';
import { ruleVersions } from './rules.js';

export async function exportSite(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'export-site');
  // One transaction: every part of the file is from the same moment, as when this was synchronous.
  return ctx.store.transaction(() => exportOf(ctx, actor.site));
}

async function exportOf(ctx: AppContext, site: SiteRecord) {
  const store = ctx.store;
  const posts = await store.exportPosts(site.id);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: ctx.now().toISOString(),
    site: { id: site.id, name: site.name, origins: site.origins, rulesUrl: site.rulesUrl, createdAt: site.createdAt },
    rules: await ruleVersions(ctx, site.id),
    topics: (await store.exportTopics(site.id)).map((t) => ({ id: t.id, title: t.title, locked: t.locked, createdAt: t.createdAt, postCount: t.postCount })),
    authors: await store.exportAuthors(site.id),
    // A removed post's words are shown to nobody but its author, so they do not travel either.
    posts: await Promise.all(posts.map(async (p) => ({
      id: p.id, topic: p.topic, parent: p.parent, authorId: p.authorId, body: p.status === 'removed' ? '' : p.body,
      createdAt: p.createdAt, editedAt: p.editedAt, status: p.status, authorBadges: p.authorSnapshot,
      history: p.editedAt && p.status !== 'removed'
        ? (await store.replacedVersions(site.id, p.id)).map((v) => ({
            version: v.version, body: v.body, writtenAt: v.writtenAt, replacedAt: v.replacedAt, afterReply: v.afterReply, afterReport: v.afterReport,
          }))
        : [],
    }))),
    actions: await actionsOf(ctx, site.id),
    companies: (await store.listCompanies(site.id)).map(({ site: _site, ...company }) => company),
    log: await auditLogOf(ctx, site.id),
  };
}

/** One at a time: a moderator's public number may be assigned on first use (a write). */
async function actionsOf(ctx: AppContext, site: string) {
  const actions = [];
  for (const { moderatorId, subjectUserId: _private, ...action } of await ctx.store.listActions(site, {})) {
    actions.push({ ...action, moderator: await moderatorPublicLabel(ctx, site, moderatorId) });
  }
  return actions;
}

async function auditLogOf(ctx: AppContext, site: string) {
  if (!(ctx.audit instanceof MerkleAuditLog)) return null;
  const audit = ctx.audit;
  const size = await audit.size(site);
  const entries = [];
  for (let start = 0; start < size; start += MAX_RANGE) {
    for (const e of await audit.entries(site, start, Math.min(size, start + MAX_RANGE))) entries.push({ index: e.index, leafHash: e.leafHash, leaf: e.leaf });
  }
  const checkpoint = size > 0 ? await audit.latestCheckpoint(site, { fresh: true }) : null;
  return {
    origin: await audit.origin(site),
    size,
    checkpoint: checkpoint ? { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, note: checkpoint.note } : null,
    entries,
  };
}
