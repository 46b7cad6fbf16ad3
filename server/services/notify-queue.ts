/**
 * Sending the notifications members asked for (issue 13), off the request path.
 *
 * 1. A post's transaction adds a job to `notification_jobs` (so a committed post is never
 *    forgotten, and a rolled-back one never notifies); recording a question to a company and a
 *    company's answer add theirs. Then the process is nudged (`kickNotifications`).
 * 2. The runner claims jobs (on PostgreSQL with FOR UPDATE SKIP LOCKED: one node per job) and fans
 *    each out into items, one per person who ASKED for that kind: the author of the post replied
 *    to, people mentioned (unless the writer is suspended or banned), followers of the topic, the
 *    person whose question a company answered, the company's staff for a question put to it.
 *    Nobody hears of a post by someone they blocked, except company staff's replies and answers.
 * 3. People whose next message is due get ONE message with everything waiting: at most one per
 *    the site's window (default 15 minutes), or a daily/weekly digest. Claiming the items and
 *    recording the message is one transaction, so two nodes never send the same items.
 * 4. The message goes through the mailer (outbox first, then SMTP). A hard bounce (5xx) turns the
 *    address's notifications off (the preferences answer says so); another failure puts the items
 *    back for the next window.
 *
 * Tests call `runNotifications(ctx)` with their own clock; the server runs it on a timer and
 * after each nudge (`startNotifications`, started by app.ts).
 */
import { mentionedUserIds, NOTIFY_LIMITS, type NotificationPreferences } from '../../moderation/notification-schemas.js';
import { renderNotificationMail, type ItemKind, type MessagePost } from '../mail/notification-mail.js';
import { moderationDigestSettingKey, type NotificationItem, type NotificationJob, type NotificationPreferencesRecord } from '../store/notify-store.js';
import type { PostRecord, SiteRecord, Store } from '../store/store.js';
import type { AppContext } from './context.js';
import { addressState, windowMinutes } from './notifications.js';
import { signNotifyToken, type UnsubscribeScope } from './notify-tokens.js';
import { fill, templatesFor } from '../mail/templates/notifications/index.js';
import { accountRestrictions } from './restrictions.js';

const JOB_BATCH = 20;
const JOB_LEASE_MS = 5 * 60_000;
const PEOPLE_BATCH = 200;
const FOLLOWER_PAGE = 1_000;
const DAY_MS = 24 * 3600_000;
/** Items written per transaction while fanning out. */
const ITEM_CHUNK = 250;

/** How long the runner gives way to requests under way before it takes its next step anyway. */
const GIVE_WAY_MAX_MS = 50;
/** A request started or ended this recently: people are being served, and the runner paces itself. */
const ACTIVE_WINDOW_MS = 250;
/** While people are served, the runner works this long at a stretch… */
const PACED_SLICE_MS = 2;
/**
 * …then rests this many times as long (at most PACED_REST_MAX_MS): a twentieth of the process.
 * Measured (bench notify, 10,000 followers): resting three times as long still tripled the
 * median ack on a busy machine; nineteen times left it where it was without followers. Mail is
 * coalesced in windows of minutes, so a slower runner while people post costs nobody anything,
 * and it goes at full speed again as soon as they stop.
 */
const PACED_REST_RATIO = 19;
const PACED_REST_MAX_MS = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lets requests and socket events go first (the runner is never in a hurry). Called between
 * the runner's steps, each of which is short (one person's message, one page of followers, one
 * chunk of items).
 *
 * 1. While people are being served (a request or socket event started or ended in the last
 *    ACTIVE_WINDOW_MS), the runner rests nineteen times as long as it worked since its last rest.
 *    Measured (issue 13, `npm run bench -- notify`): yielding between steps alone kept each
 *    event-loop slice under a millisecond, yet acks still slowed by half or more, because a
 *    process that is always busy loses the CPU to the machine's other processes and is woken
 *    late when a post arrives; a process that is mostly idle is scheduled at once.
 * 2. It yields to what waits on the process, then, while requests are under way (the
 *    lifecycle's count), waits a millisecond at a time, at most GIVE_WAY_MAX_MS so a busy server
 *    still sends its mail.
 * When nobody is being served, the runner goes at full speed.
 */
async function letOthersIn(ctx: AppContext): Promise<void> {
  const runner = runnerOf(ctx);
  const now = performance.now();
  runner.worked += now - runner.resumedAt;
  if (now - runner.lastActivity() < ACTIVE_WINDOW_MS) {
    if (runner.worked >= PACED_SLICE_MS) {
      await sleep(Math.min(runner.worked * PACED_REST_RATIO, PACED_REST_MAX_MS));
      runner.worked = 0;
    }
  } else {
    runner.worked = 0;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  const until = Date.now() + GIVE_WAY_MAX_MS;
  while (runner.inFlight() > 0 && Date.now() < until) await sleep(1);
  runner.resumedAt = performance.now();
}

/** Adds a job; call it inside the transaction that stores what it is about. */
export async function enqueueNotification(ctx: AppContext, kind: NotificationJob['kind'], site: string, postId: string): Promise<void> {
  await ctx.store.enqueueNotificationJob({ site, kind, postId, createdAt: ctx.now().toISOString() });
}

// ---------------------------------------------------------------------------------------------
// The runner: one pass at a time per process; a nudge during a pass asks for another.
// ---------------------------------------------------------------------------------------------

interface Runner {
  /** Requests and socket events under way in this process (the server's lifecycle count). */
  inFlight: () => number;
  /** When one last started or ended (performance.now()); see letOthersIn. */
  lastActivity: () => number;
  /** Milliseconds the runner worked since it last rested, and when it last took up work. */
  worked: number;
  resumedAt: number;
  running: Promise<void> | null;
  again: boolean;
  stopped: boolean;
}
const RUNNERS = new WeakMap<Store, Runner>();
function runnerOf(ctx: AppContext): Runner {
  let runner = RUNNERS.get(ctx.store);
  if (!runner) RUNNERS.set(ctx.store, (runner = { inFlight: () => 0, lastActivity: () => -Infinity, worked: 0, resumedAt: 0, running: null, again: false, stopped: false }));
  return runner;
}

/** Wake the runner soon (after the current request's answer is on its way). */
export function kickNotifications(ctx: AppContext): void {
  const runner = runnerOf(ctx);
  if (runner.stopped) return;
  if (runner.running) {
    runner.again = true;
    return;
  }
  runner.running = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      do {
        runner.again = false;
        await runNotifications(ctx);
      } while (runner.again && !runner.stopped);
    })
    .catch((err) => ctx.log.error({ err }, 'notification run failed'))
    .finally(() => (runner.running = null));
}

export function startNotifications(
  ctx: AppContext,
  options: { intervalMs?: number; inFlight?: () => number; lastActivity?: () => number } = {},
): { stop(): Promise<void> } {
  const runner = runnerOf(ctx);
  if (options.inFlight) runner.inFlight = options.inFlight;
  if (options.lastActivity) runner.lastActivity = options.lastActivity;
  const timer = setInterval(() => kickNotifications(ctx), options.intervalMs ?? 30_000);
  timer.unref();
  // Jobs and messages left by a previous run of the server go out now.
  kickNotifications(ctx);
  return {
    async stop() {
      clearInterval(timer);
      runner.stopped = true;
      await runner.running;
    },
  };
}

/** One pass: every job waiting is fanned out, then every message due is sent. */
export async function runNotifications(ctx: AppContext): Promise<{ jobs: number; messages: number }> {
  const runner = runnerOf(ctx);
  runner.resumedAt = performance.now();
  runner.worked = 0;
  let jobs = 0;
  for (;;) {
    const now = ctx.now();
    const claimed = await ctx.store.claimNotificationJobs(now.toISOString(), new Date(now.getTime() + JOB_LEASE_MS).toISOString(), JOB_BATCH);
    if (claimed.length === 0) break;
    for (const job of claimed) {
      try {
        const items = await fanOut(ctx, job);
        // In small transactions with a pause between them, so posts and reads arriving meanwhile
        // wait for one chunk at most, never for a topic's ten thousand followers. A crash before
        // the job's end repeats it, and the items' uniqueness (person, post) makes that harmless.
        for (let i = 0; i < items.length; i += ITEM_CHUNK) {
          await ctx.store.addNotificationItems(items.slice(i, i + ITEM_CHUNK));
          await letOthersIn(ctx);
        }
        await ctx.store.finishNotificationJob(job.id);
      } catch (err) {
        ctx.log.error({ err, job: job.id }, 'notification job failed; it is retried after its lease');
      }
      jobs++;
    }
  }
  let messages = 0;
  for (const site of await ctx.store.listSites()) {
    messages += await sendDue(ctx, site.id);
    messages += await sendModerationDigests(ctx, site.id);
  }
  return { jobs, messages };
}

// ---------------------------------------------------------------------------------------------
// Fan-out: who asked to hear about this?
// ---------------------------------------------------------------------------------------------

const wants = (p: NotificationPreferences, kind: ItemKind) => p[kind] === true;

async function fanOut(ctx: AppContext, job: NotificationJob): Promise<NotificationItem[]> {
  const post = await ctx.store.getPost(job.site, job.postId);
  if (!post || post.status !== 'visible') return [];
  // Candidates: each person with the kinds that would apply, most specific first.
  const candidates = new Map<string, ItemKind[]>();
  const consider = (userId: string, kind: ItemKind, about: PostRecord) => {
    if (userId === about.authorId) return;
    const kinds = candidates.get(userId) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    candidates.set(userId, kinds);
  };
  let about = post;
  if (job.kind === 'answer') {
    const question = await ctx.store.getQuestion(job.site, job.postId);
    const answer = question?.answer ? await ctx.store.getPost(job.site, question.answer.postId) : null;
    if (!answer || answer.status !== 'visible') return [];
    about = answer;
    consider(post.authorId, 'answers', about);
  } else if (job.kind === 'question') {
    const question = await ctx.store.getQuestion(job.site, job.postId);
    if (!question) return [];
    for (const staff of await ctx.store.listStaff(job.site, question.companyId)) {
      if (!staff.revokedAt) consider(staff.userId, 'deskQuestions', post);
    }
  } else {
    if (post.parent) {
      const parent = await ctx.store.getPost(job.site, post.parent);
      if (parent && parent.authorKind !== 'deleted') consider(parent.authorId, 'replies', post);
    }
    const mentioned = mentionedUserIds(post.body).slice(0, NOTIFY_LIMITS.mentionsPerPostMax);
    // A suspended or banned writer's mentions notify nobody (they could not post now anyway; an
    // edit or a late job must not let them reach someone either).
    if (mentioned.length && (await accountRestrictions(ctx, job.site, post.authorId, ['suspend', 'ban'])).length === 0) {
      for (const userId of mentioned) consider(userId, 'mentions', post);
    }
    let after: string | null = null;
    for (;;) {
      const page = await ctx.store.listFollowers(job.site, post.topic, after, FOLLOWER_PAGE);
      for (const userId of page) consider(userId, 'followed', post);
      await letOthersIn(ctx);
      if (page.length < FOLLOWER_PAGE) break;
      after = page.at(-1)!;
    }
  }
  if (candidates.size === 0) return [];
  // Blocking (issue 13), whenever the block was made: a post tells the people who blocked its writer
  // nothing (the widget folds it for them too), except that company staff's replies and answers
  // still reach them (those stay in view); a mention by someone one blocked never does.
  // A page at a time with a pause between, like the followers: ten thousand candidates are twenty queries.
  const blockers: string[] = [];
  const candidateIds = [...candidates.keys()];
  for (let i = 0; i < candidateIds.length; i += FOLLOWER_PAGE) {
    blockers.push(...(await ctx.store.blockersAmong(job.site, about.authorId, candidateIds.slice(i, i + FOLLOWER_PAGE))));
    await letOthersIn(ctx);
  }
  for (const userId of blockers) {
    const kinds = about.authorKind === 'staff' ? candidates.get(userId)!.filter((k) => k !== 'mentions') : [];
    if (kinds.length) candidates.set(userId, kinds);
    else candidates.delete(userId);
  }
  if (candidates.size === 0) return [];
  // Only people who asked for one of the kinds: the first they asked for is what they are told.
  const prefs = new Map<string, NotificationPreferencesRecord>();
  const ids = [...candidates.keys()];
  for (let i = 0; i < ids.length; i += FOLLOWER_PAGE) {
    for (const p of await ctx.store.preferencesOf(job.site, ids.slice(i, i + FOLLOWER_PAGE))) prefs.set(p.userId, p);
    await letOthersIn(ctx);
  }
  const items: NotificationItem[] = [];
  for (const [userId, kinds] of candidates) {
    const p = prefs.get(userId);
    const kind = p && kinds.find((k) => wants(p, k));
    if (kind) items.push({ site: job.site, userId, kind, postId: about.id, topic: about.topic, createdAt: about.createdAt });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Messages: at most one per person per window, or a digest
// ---------------------------------------------------------------------------------------------

async function sendDue(ctx: AppContext, site: string): Promise<number> {
  const now = ctx.now().getTime();
  const window = (await windowMinutes(ctx, site)) * 60_000;
  const cutoffs = {
    window: new Date(now - window).toISOString(),
    daily: new Date(now - DAY_MS).toISOString(),
    weekly: new Date(now - 7 * DAY_MS).toISOString(),
  };
  let sent = 0;
  // Batch after batch until nobody is due; someone whose message failed in this pass is not tried again in it.
  const tried = new Set<string>();
  const shared = passShared();
  for (;;) {
    const due = (await ctx.store.peopleDue(site, cutoffs, PEOPLE_BATCH)).filter((userId) => !tried.has(userId));
    if (due.length === 0) break;
    for (const userId of due) {
      tried.add(userId);
      try {
        if (await sendTo(ctx, site, userId, shared)) sent++;
      } catch (err) {
        ctx.log.error({ err, site }, 'notification message failed');
      }
      await letOthersIn(ctx);
    }
  }
  return sent;
}

/**
 * What every message of one sending pass reads alike: the site, and each topic's title and host
 * page (ten thousand followers' messages name the same topic). Read once per pass, not per
 * message; posts are not kept, so each message still sees a post removed meanwhile as removed.
 */
interface PassShared {
  site: Map<string, Promise<SiteRecord | null>>;
  topics: Map<string, Promise<{ title: string; page: string | null }>>;
}
const passShared = (): PassShared => ({ site: new Map(), topics: new Map() });

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    cache.set(key, (value = load()));
    // A failed read is not kept: the next message reads again.
    value.catch(() => cache.delete(key));
  }
  return value;
}

async function sendTo(ctx: AppContext, siteId: string, userId: string, shared = passShared()): Promise<boolean> {
  const [site, user, prefs, items] = await Promise.all([
    once(shared.site, siteId, () => ctx.store.getSite(siteId)), ctx.store.getUser(siteId, userId),
    ctx.store.getNotificationPreferences(siteId, userId), ctx.store.waitingItems(siteId, userId),
  ]);
  if (items.length === 0) return false;
  // No usable, proven address, or nothing asked for any more: nobody is told (the items go).
  if (!site || !user || user.kind === 'deleted' || !prefs || addressState(user, prefs) !== 'confirmed') {
    await ctx.store.discardNotificationItems(siteId, userId, items.map((i) => i.id));
    return false;
  }
  const posts = new Map<string, PostRecord>();
  for (const record of await Promise.all(items.map((i) => ctx.store.getPost(siteId, i.postId)))) if (record) posts.set(record.id, record);
  const keep = items.filter((i) => wants(prefs, i.kind) && posts.get(i.postId)?.status === 'visible');
  const drop = items.filter((i) => !keep.includes(i));
  if (drop.length) await ctx.store.discardNotificationItems(siteId, userId, drop.map((i) => i.id));
  if (keep.length === 0) return false;

  const cadence = prefs.digest === 'off' ? 'single' : prefs.digest;
  const at = ctx.now().toISOString();
  const messageId = ctx.newId();
  const kinds = [...new Set(keep.map((i) => i.kind))];
  const claimed = await ctx.store.recordNotificationMessage(
    { id: messageId, site: siteId, userId, kinds, postIds: keep.map((i) => i.postId), sentAt: at, outboxId: null, status: 'held' },
    keep.map((i) => i.id),
    cadence !== 'single',
  );
  if (!claimed) return false;

  const publicUrl = ctx.publicUrl?.() ?? '';
  const unsubscribe = async (kind: UnsubscribeScope) =>
    `${publicUrl}/notifications/unsubscribe?token=${await signNotifyToken(ctx.store, { purpose: 'unsubscribe', site: siteId, userId, kind })}`;
  const topics = new Map<string, { title: string; page: string | null }>();
  const messagePosts: MessagePost[] = [];
  for (const item of keep) {
    const post = posts.get(item.postId)!;
    if (!topics.has(post.topic)) {
      topics.set(post.topic, await once(shared.topics, post.topic, async () => {
        const [topic, page] = await Promise.all([ctx.store.getTopic(siteId, post.topic), ctx.store.getTopicPageUrl(siteId, post.topic)]);
        return { title: topic?.title || post.topic, page };
      }));
    }
    const topic = topics.get(post.topic)!;
    const base = topic.page ?? `${publicUrl}/api/sites/${siteId}/topics/${encodeURIComponent(post.topic)}/html`;
    let companyName = post.authorSnapshot.affiliation?.companyName ?? null;
    if (item.kind === 'deskQuestions') {
      const question = await ctx.store.getQuestion(siteId, post.id);
      companyName = question ? ((await ctx.store.getCompany(siteId, question.companyId))?.displayName ?? question.companyId) : null;
    }
    messagePosts.push({
      kind: item.kind, postId: post.id, topic: post.topic, topicTitle: topic.title, authorName: post.authorName,
      companyName, body: post.body, html: post.html, link: `${base}#parley-post-${post.id}`,
    });
  }
  const kindLinks: Partial<Record<ItemKind | 'digest', string>> = {};
  for (const kind of cadence === 'single' ? kinds : ['digest' as const]) kindLinks[kind] = await unsubscribe(kind);
  const mail = renderNotificationMail({
    language: prefs.language, siteName: site.name, siteId, recipientName: user.displayName, cadence, posts: messagePosts,
    unsubscribe: { kinds: kindLinks, all: await unsubscribe('all') },
    listHost: publicUrl ? new URL(publicUrl).hostname : 'localhost',
  });
  const result = await ctx.mailer.send(siteId, user.email!, mail.subject, mail.text, at, { html: mail.html, headers: mail.headers });
  if (result.delivered) {
    await ctx.store.setNotificationMessageStatus(messageId, 'sent', result.outboxId ?? null);
  } else if (ctx.mailer.transport === 'outbox') {
    await ctx.store.setNotificationMessageStatus(messageId, 'held', result.outboxId ?? null);
  } else if (result.permanent) {
    // A hard bounce: this address gets nothing more until its owner opts in again.
    await ctx.store.transaction(async () => {
      await ctx.store.setNotificationMessageStatus(messageId, 'bounced', result.outboxId ?? null);
      for (const id of await ctx.store.recordBounce(siteId, user.email!, at)) {
        await ctx.store.recordNotificationEvent({ site: siteId, userId: id, at, event: 'bounced', kind: null });
      }
    });
  } else {
    // The mail server could not take it now: the items wait for the next window.
    await ctx.store.transaction(async () => {
      await ctx.store.setNotificationMessageStatus(messageId, 'failed', result.outboxId ?? null);
      await ctx.store.releaseNotificationItems(messageId);
    });
  }
  return result.delivered || ctx.mailer.transport === 'outbox';
}

/**
 * Waits for a pass under way in this process, then makes one more: afterwards every job queued
 * before the call is fanned out and every message due at `ctx.now()` is sent. For tests and the benchmark.
 */
export async function settleNotifications(ctx: AppContext): Promise<{ jobs: number; messages: number }> {
  const runner = runnerOf(ctx);
  while (runner.running) await runner.running;
  return runNotifications(ctx);
}

// ---------------------------------------------------------------------------------------------
// Moderators: a daily digest of reports and appeals waiting, for those who chose it
// ---------------------------------------------------------------------------------------------

async function sendModerationDigests(ctx: AppContext, siteId: string): Promise<number> {
  const holders = [...new Set((await ctx.store.listRoleHolders(siteId)).filter((r) => r.role === 'moderator' || r.role === 'admin').map((r) => r.userId))];
  if (holders.length === 0) return 0;
  const chose = (await ctx.store.preferencesOf(siteId, holders)).filter((p) => p.moderationDigest);
  if (chose.length === 0) return 0;
  const [reports, appeals] = await Promise.all([
    ctx.store.listReports(siteId, { status: 'open' }), ctx.store.listAppeals(siteId, { status: 'open' }),
  ]);
  if (reports.length + appeals.length === 0) return 0;
  const site = (await ctx.store.getSite(siteId))!;
  const now = ctx.now();
  const at = now.toISOString();
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const publicUrl = ctx.publicUrl?.() ?? '';
  let sent = 0;
  for (const prefs of chose) {
    const user = await ctx.store.getUser(siteId, prefs.userId);
    if (!user || user.kind === 'deleted' || addressState(user, prefs) !== 'confirmed') continue;
    const settingKey = moderationDigestSettingKey(user.id);
    // Claimed in a transaction: two nodes never send the same day's digest twice.
    const claimed = await ctx.store.transaction(async () => {
      const last = await ctx.store.getSetting(siteId, settingKey);
      if (last && last > dayAgo) return false;
      await ctx.store.setSetting(siteId, settingKey, at);
      return true;
    });
    if (!claimed) continue;
    const t = templatesFor(prefs.language);
    const counts = { reports: reports.length, appeals: appeals.length, site: site.name };
    const stop = `${publicUrl}/notifications/unsubscribe?token=${await signNotifyToken(ctx.store, { purpose: 'unsubscribe', site: siteId, userId: user.id, kind: 'moderationDigest' })}`;
    const queue = `${publicUrl}/admin/${siteId}`;
    const subject = fill(t.subject.moderationDigest, counts);
    const text = [
      fill(t.greeting, { name: user.displayName }), '', fill(t.moderationDigestBody, counts), '', `${t.openQueue}: ${queue}`, '', '-- ',
      fill(t.why, { kinds: t.kinds.moderationDigest, site: site.name }), `${t.stopThese}: ${stop}`,
    ].join('\n');
    const result = await ctx.mailer.send(siteId, user.email!, subject, text, at, {
      headers: {
        'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': `"${site.name.replace(/["\\\r\n]/g, '')}" <moderation.${siteId}.${publicUrl ? new URL(publicUrl).hostname : 'localhost'}>`,
        'Auto-Submitted': 'auto-generated',
      },
    });
    await ctx.store.recordNotificationMessage({
      id: ctx.newId(), site: siteId, userId: user.id, kinds: ['moderationDigest'], postIds: [], sentAt: at,
      outboxId: result.outboxId ?? null, status: result.delivered ? 'sent' : ctx.mailer.transport === 'outbox' ? 'held' : result.permanent ? 'bounced' : 'failed',
    }, [], false);
    if (result.delivered || ctx.mailer.transport === 'outbox') sent++;
  }
  return sent;
}
