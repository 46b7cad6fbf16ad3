/**
 * Scripted replies are labelled, not hidden (issue 6). When a company employee posts text
 * that is nearly the same as text already posted by staff of the same company anywhere on
 * the site, the post gets a public, automated label ("Similar text posted 4 times by Acme
 * staff") linking to the other posts, and the detection is recorded in the audit log.
 *
 * Detection is moderation/detectors/near-duplicate.ts (MinHash/LSH, pure, keeps no text).
 * The server keeps one in-memory index per site, built from the site's visible staff posts
 * (grouped by company) at start-up (app.ts) or lazily on first use, so it survives restarts
 * by being rebuilt from the database. Labels themselves are stored (`scripted_labels`, migration 5).
 *
 * Several nodes (issue 11): each node has its own index, and before every query it catches up
 * from the database with two cursors (./commit-cursor.ts): on `posts.rowid` for staff posts stored
 * since (by any node), and on `staff_post_changes.seq` for staff posts edited, removed, restored or
 * erased since (a trigger fills that feed, migration 21), whose current state replaces what the
 * index holds. So every node answers from the same posts as a fresh rebuild would, also on
 * PostgreSQL, where ids commit out of order (the cursor re-reads the ones still in flight). When
 * nothing changed, a catch-up is an indexed range read per cursor that finds nothing
 * (docs/scaling.md, "What each node keeps").
 *
 * Hot path: posting calls `labelIfScripted` only for authors with an affiliation; member
 * posts never touch the index. Site boilerplate (safety signposts, disclaimers) never counts.
 */
import * as v from 'valibot';
import { ALL_GROUPS, DEFAULT_THRESHOLD, NearDuplicateIndex } from '../../moderation/detectors/index.js';
import { ParleyError } from '../../moderation/errors.js';
import { PostBodySchema, TopicIdSchema, parseWith } from '../../moderation/schemas.js';
import type { AffiliationBadge, ScriptedLabel } from '../../moderation/types.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { PostRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { DEFAULT_PROMOTION_RULE, PROMOTION_RULE_SETTING, productMentionsIn, promotionRule, type ProductMention } from './product-mentions.js';
import { RULE_ID_PATTERN } from '../../moderation/rules.js';
import { currentRuleById } from './rules.js';
import { CommitCursor, newRows } from './commit-cursor.js';

export const THRESHOLD_SETTING = 'scripted-threshold';
export const BOILERPLATE_SETTING = 'scripted-boilerplate';
export const BOILERPLATE_MAX_TEXTS = 20;
export const BOILERPLATE_MAX_CHARS = 2000;
/** Ids listed on a label (the count says how many there were in all). */
const MAX_LISTED = 20;
/** Matches looked at per query: enough for an honest count without unbounded work. */
const MAX_MATCHES = 1000;

export const SCRIPTED_ACTOR = { type: 'automated', label: 'Scripted-reply detector' } as const;

/**
 * The queries, in SQL both SQLite and PostgreSQL accept (run through `ctx.store.database`).
 * The staff-post filter is a text pre-filter on the snapshot; the company id is read in TypeScript.
 */
const SQL = {
  staffPosts: `SELECT id, body, author_snapshot FROM posts
    WHERE site = ? AND status = 'visible' AND author_snapshot LIKE '%"affiliation"%' ORDER BY rowid`,
  // `rows` is the cursor's step (rowid > ? [OR rowid IN (…)]). coalesce() keeps SQLite's planner on
  // that range (the narrow one) rather than reading the whole site through an index on (site, …):
  // a catch-up that finds nothing stays a few µs.
  staffPostsAfter: (rows: string) => `SELECT id, body, author_snapshot FROM posts
    WHERE ${rows} AND coalesce(site, '') = ? AND status = 'visible' AND author_snapshot LIKE '%"affiliation"%' ORDER BY rowid`,
  /** Staff posts changed since the watermark, as they are now (a removed or erased one is 'removed'). */
  changedAfter: (rows: string) => `SELECT p.id, p.body, p.status, p.author_snapshot FROM staff_post_changes c JOIN posts p ON p.id = c.post_id
    WHERE ${rows} AND c.site = ?`,
  insert: `INSERT INTO scripted_labels
    (site, post_id, similar_ids, count, company_id, company_name, similarity, created_at, log_index)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  labelsFor: (n: number) => `SELECT post_id, similar_ids, count, company_name, log_index FROM scripted_labels
    WHERE site = ? AND post_id IN (${Array.from({ length: n }, () => '?').join(', ')})`,
};
/** Ids per `IN (…)` list. */
const CHUNK = 500;

interface SiteIndex {
  index: NearDuplicateIndex;
  /** Staff posts stored since the index last caught up. */
  posts: CommitCursor;
  /** Staff posts changed since the index last caught up. */
  changes: CommitCursor;
  /** The site's boilerplate the index was built with (JSON of its texts). */
  boilerplate: string;
  /** The catch-up under way: one at a time, so a second never skips rows the first has not applied yet. */
  sync: Promise<void>;
}

/** One index per site, per running server (keyed on its context); concurrent first uses share one build. */
const INDEXES = new WeakMap<AppContext, Map<string, Promise<SiteIndex>>>();

/** The site's similarity threshold (site setting `scripted-threshold`, default 0.6). */
export async function scriptedThreshold(ctx: AppContext, site: string): Promise<number> {
  const raw = await ctx.store.getSetting(site, THRESHOLD_SETTING);
  const n = raw === null ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : DEFAULT_THRESHOLD;
}

/** The site's required boilerplate texts (never count as scripted). */
export async function boilerplateOf(ctx: AppContext, site: string): Promise<string[]> {
  const raw = await ctx.store.getSetting(site, BOILERPLATE_SETTING);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The site's index, built on first use from its visible staff posts, then caught up with the staff posts other nodes stored. */
async function indexOf(ctx: AppContext, site: string): Promise<NearDuplicateIndex> {
  let entry = await builtIndex(ctx, site);
  // Boilerplate changes which shingles count, and an admin may change it on another node: an
  // index built with other boilerplate is rebuilt (labels already given stay).
  if (JSON.stringify(await boilerplateOf(ctx, site)) !== entry.boilerplate) {
    const sites = INDEXES.get(ctx)!;
    const stale = sites.get(site);
    if (stale && (await stale) === entry) sites.delete(site);
    entry = await builtIndex(ctx, site);
  }
  const run = entry.sync.then(() => catchUp(ctx, site, entry));
  entry.sync = run.catch(() => {
    // The cursors moved past rows that were not applied: build afresh at the next use.
    const sites = INDEXES.get(ctx);
    void sites?.get(site)?.then((current) => { if (current === entry) sites.delete(site); }, () => undefined);
  });
  await run;
  return entry.index;
}

function builtIndex(ctx: AppContext, site: string): Promise<SiteIndex> {
  let sites = INDEXES.get(ctx);
  if (!sites) INDEXES.set(ctx, (sites = new Map()));
  let index = sites.get(site);
  if (!index) {
    const building = buildIndex(ctx, site);
    index = building;
    sites.set(site, building);
    // A failed build is forgotten, so the next use tries again.
    building.catch(() => {
      if (sites.get(site) === building) sites.delete(site);
    });
  }
  return index;
}

const companyOf = (snapshot: string) =>
  (JSON.parse(snapshot) as { affiliation?: { companyId?: string | null } | null }).affiliation?.companyId;

async function buildIndex(ctx: AppContext, site: string): Promise<SiteIndex> {
  const index = new NearDuplicateIndex();
  const boilerplate = await boilerplateOf(ctx, site);
  if (boilerplate.length) index.setBoilerplate(ALL_GROUPS, boilerplate);
  const started = performance.now();
  const db = ctx.store.database;
  const [posts, changes] = await Promise.all([CommitCursor.at(db, 'posts', 'rowid'), CommitCursor.at(db, 'staff_post_changes', 'seq')]);
  const rows = await ctx.store.database.all<{ id: string; body: string; author_snapshot: string }>(SQL.staffPosts, [site]);
  for (const row of rows) {
    const company = companyOf(row.author_snapshot);
    if (company != null) index.add(row.id, company, row.body);
  }
  ctx.log.info({ site, posts: index.size, ms: Math.round(performance.now() - started) }, 'scripted-reply index built');
  return { index, posts, changes, boilerplate: JSON.stringify(boilerplate), sync: Promise.resolve() };
}

/**
 * Adds the staff posts stored since the watermark (by any node; adding a post again replaces it),
 * then applies the changes to staff posts since the change watermark: an edited post is indexed
 * with its current text, a removed one leaves the index, a restored one comes back.
 */
async function catchUp(ctx: AppContext, site: string, entry: SiteIndex): Promise<void> {
  const db = ctx.store.database;
  const [postStep, changeStep] = await Promise.all([entry.posts.next(db), entry.changes.next(db)]);
  const posts = newRows('rowid', postStep);
  const changes = newRows('c.seq', changeStep);
  const [rows, changed] = await Promise.all([
    db.all<{ id: string; body: string; author_snapshot: string }>(SQL.staffPostsAfter(posts.sql), [...posts.params, site]),
    db.all<{ id: string; body: string; status: string; author_snapshot: string }>(SQL.changedAfter(changes.sql), [...changes.params, site]),
  ]);
  for (const row of rows) {
    const company = companyOf(row.author_snapshot);
    // Already indexed: its text can only have changed through an edit, which the change feed brings.
    if (company != null && !entry.index.has(row.id)) entry.index.add(row.id, company, row.body);
  }
  for (const row of changed) {
    const company = companyOf(row.author_snapshot);
    if (row.status === 'visible' && company != null) entry.index.add(row.id, company, row.body);
    else entry.index.remove(row.id);
  }
}

/** Builds a site's index now (at start-up) rather than on its first staff post after a restart. */
export async function warmScriptedIndex(ctx: AppContext, site: string): Promise<void> {
  await builtIndex(ctx, site);
}

/**
 * Checks a just-stored staff post against the company's earlier posts, then indexes it.
 * Returns the label when it has near-duplicates (stored, with its audit entry, in one
 * transaction), else null. Call only for posts whose author snapshot has an affiliation.
 */
export async function labelIfScripted(ctx: AppContext, post: PostRecord): Promise<ScriptedLabel | null> {
  const affiliation: AffiliationBadge | undefined = post.authorSnapshot.affiliation;
  if (!affiliation) return null;
  const index = await indexOf(ctx, post.site);
  const threshold = await scriptedThreshold(ctx, post.site);
  const company = affiliation.companyId;
  // The post is already committed (the caller stored it): query and index it in one step, with
  // no await in between, so two near-identical posts at once still see each other.
  const matches = index.query(company, post.body, threshold, { excludeId: post.id, limit: MAX_MATCHES });
  index.add(post.id, company, post.body);
  if (matches.length === 0) return null;

  const similarPostIds = matches.slice(0, MAX_LISTED).map((m) => m.id);
  const similarity = Math.round(matches[0]!.similarity * 1000) / 1000;
  const at = ctx.now().toISOString();
  // "Similar text posted {count} times": the earlier similar posts plus this one.
  const count = matches.length + 1;
  const logIndex = await ctx.store.transaction(async () => {
    const ref = await ctx.audit.append({
      site: post.site,
      kind: 'detection.scripted',
      at,
      actor: { ...SCRIPTED_ACTOR },
      subject: { postId: post.id, topic: post.topic },
      data: {
        postId: post.id,
        similarTo: similarPostIds,
        count,
        similarity,
        company,
        automated_detection: true,
        // The label is applied without a person deciding (it is a label, not a removal).
        automated_decision: true,
      },
    });
    const index = ref.index >= 0 ? ref.index : null;
    await ctx.store.database.run(SQL.insert, [post.site, post.id, JSON.stringify(similarPostIds), count, company, affiliation.companyName, similarity, at, index]);
    return index;
  });
  return { count, company: affiliation.companyName, similarPostIds, logIndex };
}

/**
 * After a staff member edited a post (issue 6): the index must hold its current text, as a
 * rebuild from the database would. An unlabelled post is checked again (editing a unique
 * text into a copy must not evade the label); a labelled one keeps its label (that version
 * was posted and stays in the history) and is only re-indexed. Returns a new label or null.
 */
export async function recheckEditedPost(ctx: AppContext, post: PostRecord): Promise<ScriptedLabel | null> {
  const affiliation = post.authorSnapshot.affiliation;
  if (!affiliation || post.status !== 'visible') return null;
  if ((await scriptedLabels(ctx, post.site, [post.id])).has(post.id)) {
    (await indexOf(ctx, post.site)).add(post.id, affiliation.companyId, post.body);
    return null;
  }
  return labelIfScripted(ctx, post);
}

/** Stored labels of these posts (one query per 500 ids). */
export async function scriptedLabels(ctx: AppContext, site: string, postIds: readonly string[]): Promise<Map<string, ScriptedLabel>> {
  const out = new Map<string, ScriptedLabel>();
  if (postIds.length === 0) return out;
  const ids = [...new Set(postIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await ctx.store.database.all<{
      post_id: string; similar_ids: string; count: number; company_name: string; log_index: number | null;
    }>(SQL.labelsFor(chunk.length), [site, ...chunk]);
    for (const r of rows) {
      out.set(r.post_id, { count: r.count, company: r.company_name, similarPostIds: JSON.parse(r.similar_ids), logIndex: r.log_index });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The composer's pre-check and the site's boilerplate
// ---------------------------------------------------------------------------------------------

export const CheckTextSchema = v.object({ topic: TopicIdSchema, body: PostBodySchema });

export interface CheckTextResult {
  similar: { count: number; postIds: string[] };
  threshold: number;
  /** Products of the site's register the text names (brand or generic name), in order of first mention. */
  productMentions: ProductMention[];
  /** The site's rule on promotion, when the text names a prescription-only medicine (a reminder); else null. */
  promotionRule: Awaited<ReturnType<typeof promotionRule>>;
}

/** For staff before posting: would this text be labelled as scripted? (Nothing is stored.) */
export async function checkText(ctx: AppContext, principal: Principal, input: unknown): Promise<CheckTextResult> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  const site = principal.site.id;
  const affiliation = principal.roles.includes('staff') ? await ctx.store.getActiveAffiliation(site, principal.user.id) : null;
  if (!affiliation) throw new ParleyError('forbidden', 'Only verified company staff can check text for similar staff posts.');
  const parsed = parseWith(CheckTextSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const threshold = await scriptedThreshold(ctx, site);
  const index = await indexOf(ctx, site);
  const matches = index.query(affiliation.companyId, parsed.value.body, threshold, { limit: MAX_MATCHES });
  const productMentions = await productMentionsIn(ctx, site, parsed.value.body);
  return {
    similar: { count: matches.length, postIds: matches.slice(0, MAX_LISTED).map((m) => m.id) },
    threshold,
    productMentions,
    promotionRule: productMentions.some((m) => m.prescriptionOnly) ? await promotionRule(ctx, site) : null,
  };
}

export const BoilerplateSchema = v.strictObject({
  texts: v.pipe(
    v.array(v.pipe(
      v.string('each boilerplate text is text'),
      v.check((t: string) => !/\p{Surrogate}/u.test(t), 'the text contains invalid characters'),
      v.trim(),
      v.minLength(1, 'a boilerplate text is empty'),
      v.maxLength(BOILERPLATE_MAX_CHARS, `a boilerplate text is longer than ${BOILERPLATE_MAX_CHARS} characters`),
    )),
    v.maxLength(BOILERPLATE_MAX_TEXTS, `at most ${BOILERPLATE_MAX_TEXTS} boilerplate texts`),
  ),
});

/** Admin: replace the site's required boilerplate. The index is rebuilt on next use. */
export async function setBoilerplate(ctx: AppContext, actor: Actor, input: unknown): Promise<{ texts: string[] }> {
  requirePermission(actor, 'manage-companies');
  const parsed = parseWith(BoilerplateSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const site = actor.site.id;
  const texts = [...new Set(parsed.value.texts)];
  await ctx.store.transaction(async () => {
    await ctx.store.setSetting(site, BOILERPLATE_SETTING, JSON.stringify(texts));
    await ctx.audit.append({
      site, kind: 'settings.boilerplate', at: ctx.now().toISOString(), actor: await auditActorOf(ctx, site, actor.id),
      data: { texts: texts.length },
    });
  });
  // Boilerplate changes which shingles count: rebuild the index now (after the commit), in the
  // admin's request rather than in a staff member's next post (labels already given stay).
  INDEXES.get(ctx)?.delete(site);
  await indexOf(ctx, site);
  return { texts };
}

// ---------------------------------------------------------------------------------------------
// The site's authenticity settings: how similar counts as scripted, which rule the reminder quotes
// ---------------------------------------------------------------------------------------------

export const THRESHOLD_MIN = 0.3;
export const THRESHOLD_MAX = 0.95;

export const AuthenticitySettingsSchema = v.strictObject({
  scriptedThreshold: v.optional(v.pipe(
    v.number('scriptedThreshold is a number'),
    v.minValue(THRESHOLD_MIN, `scriptedThreshold is at least ${THRESHOLD_MIN}`),
    v.maxValue(THRESHOLD_MAX, `scriptedThreshold is at most ${THRESHOLD_MAX}`),
  )),
  promotionRule: v.optional(v.pipe(v.string('promotionRule is a rule id'), v.regex(RULE_ID_PATTERN, 'a rule id looks like R4'))),
});

export interface AuthenticitySettings {
  /** Estimated Jaccard similarity from which a staff post counts as scripted. */
  scriptedThreshold: number;
  /** The house rule the prescription-medicine reminder quotes. */
  promotionRule: string;
}

export async function authenticitySettings(ctx: AppContext, site: string): Promise<AuthenticitySettings> {
  return { scriptedThreshold: await scriptedThreshold(ctx, site), promotionRule: (await ctx.store.getSetting(site, PROMOTION_RULE_SETTING)) || DEFAULT_PROMOTION_RULE };
}

/**
 * Admin: change the threshold and/or the promotion rule. Labels already given stay (they were
 * right by the rule of their day); the change is in the public log, as every rule change is.
 */
export async function setAuthenticitySettings(ctx: AppContext, actor: Actor, input: unknown): Promise<AuthenticitySettings> {
  requirePermission(actor, 'manage-companies');
  const parsed = parseWith(AuthenticitySettingsSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const site = actor.site.id;
  const { scriptedThreshold: threshold, promotionRule: rule } = parsed.value;
  if (rule !== undefined && !(await currentRuleById(ctx, site, rule))) {
    throw new ParleyError('validation_failed', `There is no house rule ${rule} on this site.`);
  }
  // The change and its log entry (which records the settings as they now are) commit together.
  return ctx.store.transaction(async () => {
    if (threshold !== undefined) await ctx.store.setSetting(site, THRESHOLD_SETTING, String(threshold));
    if (rule !== undefined) await ctx.store.setSetting(site, PROMOTION_RULE_SETTING, rule);
    const settings = await authenticitySettings(ctx, site);
    await ctx.audit.append({
      site, kind: 'settings.authenticity', at: ctx.now().toISOString(), actor: await auditActorOf(ctx, site, actor.id),
      data: { ...settings },
    });
    return settings;
  });
}
