/**
 * Imports a Disqus, WordPress or Parley export into a site (issue 15). The file is read in
 * full first (server/import/), then everything is written in ONE transaction: a file that
 * fails half-way leaves nothing behind. A dry run does the very same work and rolls it back,
 * so its report is exactly what the real import would do now.
 *
 * - Topics by page URL (a stable id, source/topicIdForUrl), titles kept.
 * - Authors become members marked "imported": never verified, never staff, no roles, no badges.
 * - Dates and reply structure kept; a reply whose parent is missing (deleted, spam, not in the
 *   file) becomes a top-level post, and one nested deeper than Parley allows hangs under its
 *   deepest allowed ancestor; both are reported as problems.
 * - Idempotent: each post and author remembers its source id; re-running creates nothing twice.
 * - One public audit log entry per (real) import, with its counts.
 * Imported posts are not broadcast (readers see them on their next load) and are not run
 * through the adverse-event and scripted-reply detectors: those judge what is written here.
 */
import { ParleyError } from '../../moderation/errors.js';
import {
  IMPORT_MAX_BYTES, IMPORT_PROBLEMS_MAX, IMPORT_TOPICS_LISTED_MAX, ImportQuerySchema,
  type ImportFormatName, type ImportReport,
} from '../../moderation/import-export.js';
import { LIMITS } from '../../moderation/limits.js';
import { parseWith } from '../../moderation/schemas.js';
import { auditActorOf } from '../audit/identity-events.js';
import { readDisqus } from '../import/disqus.js';
import { readParleyExport, type ParleySourceFile } from '../import/parley-file.js';
import type { SourceFile, SourcePost } from '../import/source.js';
import { readWordPress } from '../import/wordpress.js';
import { ImportFileError } from '../import/xml-records.js';
import { renderMarkdown } from '../render/markdown.js';
import type { PostRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import { upsertCompany } from './admin.js';
import type { AppContext } from './context.js';

/** Reads and checks the query of `POST /admin/import` (format, dryRun). */
export function importOptions(query: unknown): { format: ImportFormatName; dryRun: boolean } {
  const parsed = parseWith(ImportQuerySchema, query);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  return { format: parsed.value.format, dryRun: parsed.value.dryRun !== 'false' };
}

function readFile(format: ImportFormatName, bytes: Uint8Array, maxBytes: number): SourceFile | ParleySourceFile {
  if (bytes.length === 0) throw new ParleyError('validation_failed', 'The file is empty.');
  if (bytes.length > maxBytes) {
    throw new ParleyError('payload_too_large', `An import file may be at most ${maxBytes / 1024 / 1024} MB.`);
  }
  try {
    if (format === 'disqus') return readDisqus(bytes);
    if (format === 'wordpress') return readWordPress(bytes);
    return readParleyExport(bytes);
  } catch (error) {
    if (error instanceof ImportFileError) throw new ParleyError('validation_failed', `Nothing was imported. ${error.message}`);
    throw error;
  }
}

/** Thrown inside the transaction to roll a dry run back; carries the report out. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run: rolled back');
  }
}

export async function importSite(
  ctx: AppContext, actor: Actor, input: { format: ImportFormatName; dryRun: boolean; bytes: Uint8Array; maxBytes?: number },
): Promise<ImportReport> {
  requirePermission(actor, 'import-site');
  const { format, dryRun } = input;
  const file = readFile(format, input.bytes, input.maxBytes ?? IMPORT_MAX_BYTES);
  // A nested transaction joins the outer one, so throwing could not roll a dry run back there.
  if (ctx.store.database.inTransaction()) throw new Error('importSite must run in its own transaction, not inside another one');

  try {
    return await ctx.store.transaction(async () => {
      const report = await writeImport(ctx, actor, format, file, dryRun);
      if (dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

async function writeImport(ctx: AppContext, actor: Actor, format: ImportFormatName, file: SourceFile, dryRun: boolean): Promise<ImportReport> {
  const site = actor.site.id;
  const store = ctx.store;
  const problems = [...file.problems];
  const counts = { topicsNew: 0, topicsExisting: 0, postsNew: 0, postsExisting: 0, skipped: file.skipped, authorsNew: 0, authorsExisting: 0 };
  const threads = new Map(file.threads.map((t) => [t.sourceId, t]));
  const postsPerTopic = new Map<string, number>();
  const seenTopics = new Set<string>();
  const seenAuthors = new Map<string, string>();
  // Where each source post went here: local id and depth (for replies nested too deep).
  const placed = new Map<string, { id: string; depth: number; parent: string | null; topic: string }>();
  const sourceIds = new Set(file.posts.map((p) => p.sourceId));

  const authorFor = async (post: SourcePost): Promise<string> => {
    const source = `${format}:author:${post.author.key}`;
    const known = seenAuthors.get(source) ?? (await store.importedId(site, source));
    if (known) {
      if (!seenAuthors.has(source)) counts.authorsExisting++;
      seenAuthors.set(source, known);
      return known;
    }
    const id = ctx.newId();
    await store.createImportedAuthor({
      id, site, sub: `import:${format}:${post.author.key}`.slice(0, 200), displayName: post.author.name,
      email: post.author.email, importedFrom: format, createdAt: post.createdAt,
    });
    await store.rememberImported(site, source, id);
    seenAuthors.set(source, id);
    counts.authorsNew++;
    return id;
  };

  // Oldest first, so seq follows the original order; a parent always goes before its replies.
  const pending = [...file.posts].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  // Without recursion: a hostile file may chain replies 100,000 deep, or in a circle (whose
  // first post then has no parent placed before it, and becomes a top-level post).
  const order: SourcePost[] = [];
  const done = new Set<string>();
  const bySource = new Map(pending.map((p) => [p.sourceId, p]));
  for (const post of pending) {
    const chain: SourcePost[] = [];
    const onChain = new Set<string>();
    for (let at: SourcePost | undefined = post; at && !done.has(at.sourceId) && !onChain.has(at.sourceId); at = at.parentId ? bySource.get(at.parentId) : undefined) {
      chain.push(at);
      onChain.add(at.sourceId);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      done.add(chain[i]!.sourceId);
      order.push(chain[i]!);
    }
  }

  for (const post of order) {
    const where = `post ${post.sourceId}`;
    const thread = threads.get(post.threadId);
    if (!thread) {
      problems.push({ where, message: 'its thread is not in the file; left out' });
      counts.skipped++;
      continue;
    }
    const topic = thread.topicId;
    if (!seenTopics.has(topic)) {
      seenTopics.add(topic);
      if (await store.getTopic(site, topic)) counts.topicsExisting++;
      else counts.topicsNew++;
    }
    // Every author in the file is counted, new or met before (the report tells both).
    const authorId = await authorFor(post);
    const source = `${format}:post:${post.sourceId}`;
    const already = await store.importedId(site, source);
    if (already) {
      const existing = await store.getPost(site, already);
      if (existing) placed.set(post.sourceId, { id: existing.id, depth: existing.depth, parent: existing.parent, topic: existing.topic });
      counts.postsExisting++;
      postsPerTopic.set(topic, (postsPerTopic.get(topic) ?? 0) + 1);
      continue;
    }

    let parent: { id: string; depth: number; parent: string | null; topic: string } | null = null;
    if (post.parentId) {
      parent = placed.get(post.parentId) ?? null;
      if (!parent) {
        const earlier = await store.importedId(site, `${format}:post:${post.parentId}`);
        const stored = earlier ? await store.getPost(site, earlier) : null;
        if (stored) parent = { id: stored.id, depth: stored.depth, parent: stored.parent, topic: stored.topic };
      }
      if (!parent) {
        const why = sourceIds.has(post.parentId) ? 'could not be placed' : 'is not in the file (deleted, spam or missing)';
        problems.push({ where, message: `the comment it replies to (${post.parentId}) ${why}; imported as a top-level post` });
      } else if (parent.topic !== topic) {
        problems.push({ where, message: `it replies to a comment on another page; imported as a top-level post` });
        parent = null;
      }
      // Deeper than Parley nests: hang it under its deepest allowed ancestor.
      if (parent && parent.depth + 1 > LIMITS.maxReplyDepth) {
        problems.push({ where, message: `nested deeper than ${LIMITS.maxReplyDepth} replies; placed under an earlier reply in its thread` });
        while (parent && parent.depth + 1 > LIMITS.maxReplyDepth) {
          const up: string | null = parent.parent;
          const stored: PostRecord | null = up ? await store.getPost(site, up) : null;
          parent = stored ? { id: stored.id, depth: stored.depth, parent: stored.parent, topic: stored.topic } : null;
        }
      }
    }

    const outcome = await store.createPost({
      id: ctx.newId(), site, topic, topicTitle: thread.title, parent: parent?.id ?? null, authorId,
      // Never verified: an imported author carries no badge, whatever the source said.
      authorSnapshot: {},
      body: post.body, html: renderMarkdown(post.body), createdAt: post.createdAt,
      idempotencyKey: `import:${source}`.slice(0, 200), maxDepth: LIMITS.maxReplyDepth,
    });
    if (outcome.kind !== 'created') {
      problems.push({ where, message: outcome.kind === 'topic-locked' ? 'its topic is locked here; left out' : `not imported (${outcome.kind})` });
      counts.skipped++;
      continue;
    }
    await store.rememberImported(site, source, outcome.post.id);
    placed.set(post.sourceId, { id: outcome.post.id, depth: outcome.post.depth, parent: outcome.post.parent, topic });
    counts.postsNew++;
    postsPerTopic.set(topic, (postsPerTopic.get(topic) ?? 0) + 1);
  }

  // Parley files also carry the company register: companies not registered here yet are added
  // through the same service (and public log entries) as the admin API.
  let companies: ImportReport['companies'];
  if ('companies' in file) {
    companies = { new: 0, existing: 0 };
    for (const [i, raw] of (file as ParleySourceFile).companies.entries()) {
      const c = (raw ?? {}) as Record<string, unknown>;
      if (typeof c.id === 'string' && (await store.getCompany(site, c.id))) {
        companies.existing++;
        continue;
      }
      try {
        if (!dryRun) await upsertCompany(ctx, actor, { id: c.id, legalName: c.legalName, displayName: c.displayName, emailDomains: c.emailDomains, products: c.products, disclosure: c.disclosure, sponsored: c.sponsored });
        companies.new++;
      } catch (error) {
        problems.push({ where: `company ${i + 1}`, message: `not imported: ${(error as Error).message}` });
      }
    }
  }

  const topicIds = file.threads
    .filter((t) => postsPerTopic.has(t.topicId))
    .slice(0, IMPORT_TOPICS_LISTED_MAX)
    .map((t) => ({ url: t.url, topic: t.topicId, title: t.title, posts: postsPerTopic.get(t.topicId)! }));
  const report: ImportReport = {
    format, dryRun,
    topics: { new: counts.topicsNew, existing: counts.topicsExisting },
    posts: { new: counts.postsNew, existing: counts.postsExisting, skipped: counts.skipped },
    authors: { new: counts.authorsNew, existing: counts.authorsExisting },
    ...(companies ? { companies } : {}),
    topicIds,
    problems: problems.slice(0, IMPORT_PROBLEMS_MAX),
    problemCount: problems.length,
    logIndex: null,
  };
  if (!dryRun) {
    // One public entry per import: what came in, in numbers (no names, no text).
    const ref = await ctx.audit.append({
      site, kind: 'site.imported', at: ctx.now().toISOString(), actor: await auditActorOf(ctx, site, actor.id),
      data: { format, topics: report.topics, posts: report.posts, authors: report.authors, ...(companies ? { companies } : {}) },
    });
    report.logIndex = ref.index >= 0 ? ref.index : null;
  }
  return report;
}
