/**
 * Holds (issue 16), wired: the site's options (public, changed by admins), the facts the domain
 * needs when a post is written, the spam-wave index, and what happens after a held post is stored.
 * The domain (moderation/holds.ts) decides; posting.ts asks `holdCheck` before storing and calls
 * `afterHeldPost` after.
 *
 * A held post is never silent: its author gets it back with `hold` (and sees it in the topic),
 * every reason feeds the moderators' queue through the one path for automated detections
 * (`flagPost`, recorded as automated), and only a person releases or removes it.
 *
 * Spam waves reuse the near-duplicate machinery of scripted replies (NearDuplicateIndex): one
 * small in-memory index per site of new accounts' recent posts, rebuilt from the database on
 * first use (so a restart forgets nothing within the window), pruned as posts age out of it.
 * Several nodes (issues 11, 16): before every decision the index catches up from the database with
 * a cursor on `posts.rowid` (./commit-cursor.ts), as the scripted-reply index does, so a wave whose
 * posts reach different nodes is seen whole on each of them.
 */
import { NearDuplicateIndex } from '../../moderation/detectors/index.js';
import { ParleyError } from '../../moderation/errors.js';
import { describeHoldSettings, holdReasons, holdSettingsOf, wordListLabels } from '../../moderation/holds.js';
import { parseWith } from '../../moderation/schemas.js';
import { HoldSettingsSchema, type HoldReasonView, type HoldSettings } from '../../moderation/spam-schemas.js';
import type { PostRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { flagPost } from './reports.js';
import { CommitCursor, newRows } from './commit-cursor.js';
import { currentRuleById } from './rules.js';
import { valid } from './validate.js';
import { HOLD_SETTINGS_KEY, holdDetector, holdSettings } from './hold-settings.js';

export { holdDetector, holdSettings, publicHoldSettings } from './hold-settings.js';
import { queueChanged } from './queue-events.js';
import { takeAction } from './moderation.js';

/** PUT /moderation/holds/settings (admins): fields left out stay as they are. */
export async function updateHoldSettings(ctx: AppContext, actor: Actor, input: unknown): Promise<{ settings: HoldSettings }> {
  requirePermission(actor, 'manage-rules');
  const change = valid(parseWith(HoldSettingsSchema, input));
  const site = actor.site.id;
  for (const list of change.wordLists ?? []) {
    const rule = await currentRuleById(ctx, site, list.ruleId);
    if (!rule) throw new ParleyError('validation_failed', `wordLists: rule ${list.ruleId} is not in force on this site.`);
  }
  const settings = holdSettingsOf({ ...(await holdSettings(ctx, site)), ...stripUndefined(change) });
  await ctx.store.setSetting(site, HOLD_SETTINGS_KEY, JSON.stringify(settings));
  return { settings };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------
// Spam waves
// ---------------------------------------------------------------------------------------------

interface WaveEntry { id: string; authorId: string; at: number }
interface WaveIndex {
  index: NearDuplicateIndex;
  /** The indexed posts, roughly oldest first (pruned from the front). */
  entries: WaveEntry[];
  /** Posts already looked at (indexed or too short to index), so a catch-up never reads one twice. */
  seen: Map<string, number>;
  /** New accounts' posts stored (by any node) since the index last caught up. */
  cursor: CommitCursor;
  /** The catch-up under way: one at a time, so a second never skips rows the first has not applied yet. */
  sync: Promise<void>;
}
const WAVE_GROUP = 'new-accounts';
/** Posts looked at when the index is rebuilt, and kept at most (oldest dropped first). */
const WAVE_MAX_POSTS = 5000;
const WAVES = new WeakMap<AppContext, Map<string, Promise<WaveIndex>>>();
/** Short spam is short: a lower floor than scripted replies' ten words. */
const WAVE_OPTIONS = { minTokens: 4, threshold: 0.6 } as const;

const SQL = {
  /**
   * New accounts' posts stored after a rowid, by any node (the same filter as recentPostsOfNewAccounts).
   * coalesce() keeps SQLite's planner on the rowid range rather than reading the whole site through
   * an index on (site, …): measured 3 ms → 0.06 ms per catch-up with 20,000 posts on a busy machine.
   */
  newAfter: (rows: string) => `SELECT p.id, p.author_id, p.body, p.created_at FROM posts p JOIN users u ON u.id = p.author_id
    WHERE ${rows} AND coalesce(p.site, '') = ? AND p.created_at >= ? AND u.created_at >= ? AND p.status = 'visible' AND u.kind = 'member'
    ORDER BY p.rowid`,
};

/** The start of the wave window and of "new account", as ISO times. */
function windowOf(ctx: AppContext, settings: HoldSettings): { since: string; accountsSince: string; before: number } {
  const now = ctx.now().getTime();
  const before = now - settings.waveWindowMinutes * 60_000;
  return { since: new Date(before).toISOString(), accountsSince: new Date(now - settings.newAccountDays * 86_400_000).toISOString(), before };
}

function builtWaveIndex(ctx: AppContext, site: string, settings: HoldSettings): Promise<WaveIndex> {
  let sites = WAVES.get(ctx);
  if (!sites) WAVES.set(ctx, (sites = new Map()));
  let wave = sites.get(site);
  if (!wave) {
    const building = (async () => {
      const { since, accountsSince } = windowOf(ctx, settings);
      const cursor = await CommitCursor.at(ctx.store.database, 'posts', 'rowid');
      const rows = await ctx.store.recentPostsOfNewAccounts(site, since, accountsSince, WAVE_MAX_POSTS);
      const wave: WaveIndex = { index: new NearDuplicateIndex(WAVE_OPTIONS), entries: [], seen: new Map(), cursor, sync: Promise.resolve() };
      for (const row of rows.reverse()) remember(wave, { id: row.id, authorId: row.authorId, body: row.body, createdAt: row.createdAt });
      return wave;
    })();
    wave = building;
    sites.set(site, building);
    building.catch(() => {
      if (sites.get(site) === building) sites.delete(site);
    });
  }
  return wave;
}

/** The site's wave index, caught up with the new accounts' posts every node stored since it last looked. */
async function waveIndexOf(ctx: AppContext, site: string, settings: HoldSettings): Promise<WaveIndex> {
  const wave = await builtWaveIndex(ctx, site, settings);
  const run = wave.sync.then(async () => {
    const { since, accountsSince } = windowOf(ctx, settings);
    const rows = newRows('p.rowid', await wave.cursor.next(ctx.store.database));
    const found = await ctx.store.database.all<{ id: string; author_id: string; body: string; created_at: string }>(
      SQL.newAfter(rows.sql), [...rows.params, site, since, accountsSince],
    );
    for (const row of found) remember(wave, { id: row.id, authorId: row.author_id, body: row.body, createdAt: row.created_at });
  });
  wave.sync = run.catch(() => {
    // The cursor moved past rows that were not applied: build afresh at the next use.
    const sites = WAVES.get(ctx);
    void sites?.get(site)?.then((current) => { if (current === wave) sites.delete(site); }, () => undefined);
  });
  await run;
  return wave;
}

function prune(wave: WaveIndex, before: number): void {
  let drop = 0;
  while (drop < wave.entries.length && (wave.entries[drop]!.at < before || wave.entries.length - drop > WAVE_MAX_POSTS)) {
    wave.index.remove(wave.entries[drop]!.id);
    drop++;
  }
  if (drop) wave.entries.splice(0, drop);
  // Looked-at posts older than the window can no longer come back in a catch-up (it reads the window only).
  for (const [id, at] of wave.seen) if (at < before) wave.seen.delete(id);
}

/** Other new accounts that posted nearly the same text within the window. */
async function waveAccounts(ctx: AppContext, site: string, settings: HoldSettings, authorId: string, body: string): Promise<number> {
  if (settings.waveAccounts === 0) return 0;
  const wave = await waveIndexOf(ctx, site, settings);
  const { before } = windowOf(ctx, settings);
  prune(wave, before);
  const matches = wave.index.query(WAVE_GROUP, body, WAVE_OPTIONS.threshold, { limit: 200 });
  // Entries caught up from other nodes can sit out of time order: the window is checked per post.
  const byId = new Map(wave.entries.filter((e) => e.at >= before).map((e) => [e.id, e.authorId]));
  const authors = new Set(matches.map((m) => byId.get(m.id)).filter((a): a is string => !!a && a !== authorId));
  return authors.size;
}

/** The posts of the wave so far (other new accounts' near-identical posts), for the queue. */
async function wavePostIds(ctx: AppContext, site: string, settings: HoldSettings, post: PostRecord): Promise<string[]> {
  const wave = await builtWaveIndex(ctx, site, settings);
  return wave.index.query(WAVE_GROUP, post.body, WAVE_OPTIONS.threshold, { excludeId: post.id, limit: 50 }).map((m) => m.id);
}

/** Indexes a post once, whichever way it arrives (built, caught up, or just stored here). */
function remember(wave: WaveIndex, post: Pick<PostRecord, 'id' | 'authorId' | 'body' | 'createdAt'>): void {
  if (wave.seen.has(post.id)) return;
  const at = Date.parse(post.createdAt);
  wave.seen.set(post.id, at);
  if (wave.index.add(post.id, WAVE_GROUP, post.body)) wave.entries.push({ id: post.id, authorId: post.authorId, at });
}

// ---------------------------------------------------------------------------------------------
// Posting
// ---------------------------------------------------------------------------------------------

export interface HoldCheck {
  settings: HoldSettings;
  reasons: HoldReasonView[];
  /** House rules whose word lists label the post (a public label, not a hold). */
  labels: Array<{ ruleId: string; words: string[] }>;
  newAccount: boolean;
}

/** Before a post is stored: is it held, and why? Moderators and admins are never held. */
export async function holdCheck(
  ctx: AppContext,
  principal: Principal,
  input: { body: string; honeypot: string | undefined; staff: boolean },
): Promise<HoldCheck> {
  const site = principal.site.id;
  const user = principal.user!;
  const settings = await holdSettings(ctx, site);
  const role = principal.roles.includes('moderator') || principal.roles.includes('admin') ? 'moderator' : input.staff ? 'staff' : 'member';
  const newAccount = ctx.now().getTime() - Date.parse(user.createdAt) < settings.newAccountDays * 86_400_000;
  const [earlierPosts, wave] = await Promise.all([
    newAccount && role === 'member' && settings.holdFirstPosts > 0 ? ctx.store.countPostsBy(site, user.id) : 0,
    newAccount && role === 'member' ? waveAccounts(ctx, site, settings, user.id, input.body) : 0,
  ]);
  const reasons = holdReasons(settings, {
    body: input.body, newAccount, earlierPosts, role, honeypotFilled: (input.honeypot ?? '').trim().length > 0, waveAccounts: wave,
  });
  return { settings, reasons, labels: wordListLabels(settings, input.body, role), newAccount };
}

/**
 * After a post is stored: a new account's post joins the spam-wave index; a held post's reasons
 * go to the queue as automated flags (and a wave's earlier, published posts are flagged for review,
 * never hidden by the machine); moderators hear that the queue changed.
 */
export async function afterPostStored(ctx: AppContext, post: PostRecord, check: HoldCheck): Promise<void> {
  const site = post.site;
  if (check.newAccount && post.authorKind === 'member') {
    const wave = await builtWaveIndex(ctx, site, check.settings);
    if (check.reasons.some((r) => r.kind === 'spam-wave')) {
      for (const id of await wavePostIds(ctx, site, check.settings, post)) {
        const other = await ctx.store.getPost(site, id);
        if (!other || other.held || other.status !== 'visible') continue;
        const open = await ctx.store.listReports(site, { postId: id, status: 'open' });
        if (open.some((r) => r.detector === holdDetector('spam-wave'))) continue;
        await flagPost(ctx, site, id, { detector: holdDetector('spam-wave'), ruleId: null, explanation: 'Part of a spam wave: nearly the same text came from several new accounts in a short time. Published before the wave was detected; review it.' });
      }
    }
    remember(wave, post);
  }
  if (!check.reasons.length) return;
  for (const reason of check.reasons) {
    await flagPost(ctx, site, post.id, { detector: holdDetector(reason.kind), ruleId: reason.ruleId, explanation: reason.detail });
  }
  queueChanged(ctx, site, 'held', post.id);
}

/**
 * A word list that labels (issue 16): the post stays visible with a public label citing the
 * rule. The detection goes through `flagPost` like every automated one, and the label decides
 * that flag, so its statement of reasons records an automated detection; no person decides the
 * label either, so it also records a fully automated decision (and so does its log entry).
 */
export async function labelFromWordLists(ctx: AppContext, post: PostRecord, hit: { ruleId: string; words: string[] }): Promise<void> {
  const site = post.site;
  const rule = await currentRuleById(ctx, site, hit.ruleId);
  if (!rule || rule.kind !== 'prohibition') return;
  await flagPost(ctx, site, post.id, { detector: 'word-list', ruleId: rule.id, explanation: `Matches the word list of house rule ${rule.id}.` });
  const siteRecord = (await ctx.store.getSite(site))!;
  await takeAction(ctx, { site: siteRecord, id: 'system', roles: [] }, {
    type: 'label', postId: post.id, ruleId: rule.id, ground: 'rule',
    reason: `Contains words the site lists under rule ${rule.id}`,
    facts: `Automated detection: the post contains words the site lists under house rule ${rule.id} (${rule.title}). A label, not a removal: the post stays visible.`,
    labelText: `Contains words listed under house rule ${rule.id} (${rule.title})`,
  }, { system: true, automatedDecision: true });
  queueChanged(ctx, site, 'decided', post.id);
}
