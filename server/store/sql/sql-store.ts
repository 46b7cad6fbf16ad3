/**
 * Store over a SqlDatabase, written once for SQLite and PostgreSQL: the core (sites, settings,
 * users, roles, badges, topics, posts) here, each other part in its own file, all composed into
 * one Store. Writes that touch several rows run in one transaction (ambient: a caller's
 * `store.transaction` encloses them).
 */
import { createHash } from 'node:crypto';
import type { AffiliationBadge, ProfessionalBadge, Role } from '../../../moderation/types.js';
import type { SqlDatabase } from './database.js';
import { greatest, isUniqueViolation, writableCtes } from './dialect.js';
import { identityStore } from './identity.js';
import { moderationStore } from './moderation.js';
import { editStore } from './edits.js';
import { safetyStore } from './safety.js';
import { presenceStore } from './presence.js';
import { oidcStore } from './oidc.js';
import { signInStore } from './sign-in.js';
import { importStore } from './imports.js';
import { setupStore } from './setup.js';
import { deskStore } from './desk.js';
import { notifyStore } from './notify.js';
import { spamStore } from './spam.js';
import { blockStore } from './blocks.js';
import type {
  CreatePostOutcome,
  NewPost,
  PageResult,
  PostRecord,
  SiteRecord,
  Store,
  TopicRecord,
  UserRecord,
} from '../store.js';
import { topicWriteLock } from '../store.js';

interface PostRow {
  id: string; site: string; topic: string; parent: string | null; root: string; depth: number;
  seq: number; rev: number; author_id: string; author_snapshot: string; body: string; html: string;
  created_at: string; edited_at: string | null; status: 'visible' | 'removed' | 'deleted';
  author_name: string; author_kind: UserRecord['kind']; author_lookalike: number; author_imported?: string | null;
  idempotency_key?: string; request_hash?: string;
  held: number; deleted_at: string | null; helpful_count: number;
}

const POST_COLUMNS = `p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id,
  p.author_snapshot, p.body, p.html, p.created_at, p.edited_at, p.status, p.held, p.deleted_at, p.helpful_count,
  u.display_name AS author_name, u.kind AS author_kind, u.lookalike AS author_lookalike, u.imported_from AS author_imported`;

function toPost(row: PostRow): PostRecord {
  return {
    id: row.id, site: row.site, topic: row.topic, parent: row.parent, root: row.root, depth: row.depth,
    seq: row.seq, rev: row.rev, authorId: row.author_id, authorName: row.author_name, authorKind: row.author_kind,
    authorLookalike: row.author_lookalike === 1,
    ...(row.author_imported ? { authorImported: true } : {}),
    authorSnapshot: JSON.parse(row.author_snapshot), body: row.body, html: row.html,
    createdAt: row.created_at, editedAt: row.edited_at, status: row.status,
    held: row.held === 1, deletedAt: row.deleted_at, helpfulCount: Number(row.helpful_count),
  };
}

function toTopic(row: any): TopicRecord {
  return {
    site: row.site, id: row.id, title: row.title, rev: row.rev, lastSeq: row.last_seq,
    postCount: row.post_count, locked: row.locked === 1, createdAt: row.created_at, lastActivityAt: row.last_activity_at || row.created_at,
  };
}

function toSite(row: any): SiteRecord {
  return {
    id: row.id, name: row.name, origins: JSON.parse(row.origins), secret: row.secret,
    publicKeys: JSON.parse(row.public_keys), rulesUrl: row.rules_url, demo: row.demo === 1, createdAt: row.created_at,
  };
}

function toUser(row: any): UserRecord {
  return {
    id: row.id, site: row.site, sub: row.sub, displayName: row.display_name, email: row.email,
    kind: row.kind, createdAt: row.created_at,
  };
}

/** What makes two requests with the same idempotency key "the same request". */
function requestHash(input: { topic: string; parent: string | null; body: string }): string {
  return createHash('sha256').update(JSON.stringify([input.topic, input.parent, input.body])).digest('base64url');
}

/** Values per IN list: well under both databases' parameter limits. */
const IN_CHUNK = 500;

const q = {
  upsertSite: `INSERT INTO sites (id, name, origins, secret, public_keys, rules_url, demo, created_at)
      VALUES (@id, @name, @origins, @secret, @publicKeys, @rulesUrl, @demo, @createdAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, origins = excluded.origins, secret = excluded.secret,
        public_keys = excluded.public_keys, rules_url = excluded.rules_url, demo = excluded.demo`,
  getSite: 'SELECT * FROM sites WHERE id = ?',
  listSites: 'SELECT * FROM sites ORDER BY id',
  getSetting: 'SELECT value FROM site_settings WHERE site = ? AND key = ?',
  setSetting: `INSERT INTO site_settings (site, key, value) VALUES (?, ?, ?)
      ON CONFLICT (site, key) DO UPDATE SET value = excluded.value`,
  getUserBySub: 'SELECT * FROM users WHERE site = ? AND sub = ?',
  getUser: 'SELECT * FROM users WHERE site = ? AND id = ?',
  insertUser: `INSERT INTO users (id, site, sub, display_name, email, kind, created_at)
      VALUES (?, ?, ?, ?, ?, 'member', ?)`,
  // A name the member chose in Parley wins over the host's claim; the email always follows the host.
  updateUserFromHost: 'UPDATE users SET display_name = CASE name_chosen WHEN 1 THEN display_name ELSE ? END, email = ? WHERE id = ?',
  getRoles: 'SELECT role FROM site_roles WHERE site = ? AND user_id = ? ORDER BY role',
  grantRole: 'INSERT INTO site_roles (site, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  insertAffiliation: `INSERT INTO affiliations (site, user_id, company_id, company_name, job_title, verified_by, verified_at)
      VALUES (@site, @userId, @companyId, @companyName, @jobTitle, @verifiedBy, @verifiedAt)`,
  markStaff: `UPDATE users SET kind = 'staff' WHERE site = ? AND id = ? AND kind = 'member'`,
  activeAffiliation: `SELECT company_id AS "companyId", company_name AS "companyName", job_title AS "jobTitle",
      verified_by AS "verifiedBy", verified_at AS "verifiedAt" FROM affiliations
      WHERE site = ? AND user_id = ? AND revoked_at IS NULL ORDER BY verified_at DESC LIMIT 1`,
  setProfessional: `INSERT INTO professionals (site, user_id, profession, verified_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (site, user_id) DO UPDATE SET profession = excluded.profession, verified_at = excluded.verified_at`,
  getProfessional: 'SELECT profession, verified_at AS "verifiedAt" FROM professionals WHERE site = ? AND user_id = ?',
  getTopic: 'SELECT * FROM topics WHERE site = ? AND id = ?',
  // DO NOTHING: two first posts racing to create the topic (PostgreSQL) both go on to bump it.
  insertTopic: `INSERT INTO topics (site, id, title, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`,
  // Newest activity first; rowid breaks ties so a cursor never skips or repeats a topic.
  listTopicsFirst: `SELECT rowid AS position, * FROM topics WHERE site = @site
      ORDER BY last_activity_at DESC, rowid DESC LIMIT @limit`,
  listTopicsAfter: `SELECT rowid AS position, * FROM topics WHERE site = @site
      AND (last_activity_at < @at OR (last_activity_at = @at AND rowid < @position))
      ORDER BY last_activity_at DESC, rowid DESC LIMIT @limit`,
  byIdempotencyKey: `SELECT ${POST_COLUMNS}, p.request_hash FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.author_id = ? AND p.idempotency_key = ?`,
  getPost: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.site = ? AND p.id = ?`,
  insertPost: `INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot,
      body, html, created_at, status, idempotency_key, request_hash, held)
      VALUES (@id, @site, @topic, @parent, @root, @depth, @seq, @rev, @authorId, @authorSnapshot,
      @body, @html, @createdAt, 'visible', @idempotencyKey, @requestHash, @held)`,
  // The notification job of a new post (the notify store's queue, issue 13), written with the post.
  enqueuePostJob: `INSERT INTO notification_jobs (site, kind, post_id, created_at) VALUES (?, 'post', ?, ?)`,
  rootsNewest: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.held = 0 AND p.seq < ? ORDER BY p.seq DESC LIMIT ?`,
  // The first page of the newest order has no bound (rather than a bound past any integer column).
  rootsNewestFirst: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.held = 0 ORDER BY p.seq DESC LIMIT ?`,
  rootsOldest: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.held = 0 AND p.seq > ? ORDER BY p.seq ASC LIMIT ?`,
  // "Most helpful" (issue 16): members' marks, then newest; staff marks are not in helpful_count (S-3).
  rootsHelpfulFirst: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.held = 0 ORDER BY p.helpful_count DESC, p.seq DESC LIMIT ?`,
  rootsHelpful: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = @site AND p.topic = @topic AND p.depth = 0 AND p.held = 0
      AND (p.helpful_count < @count OR (p.helpful_count = @count AND p.seq < @seq))
      ORDER BY p.helpful_count DESC, p.seq DESC LIMIT @limit`,
  // The author's own held posts of a topic, shown to them "waiting for a moderator".
  heldOf: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.author_id = ? AND p.held = 1 AND p.status = 'visible' ORDER BY p.seq LIMIT 50`,
  changes: `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.held = 0 AND p.rev > ? ORDER BY p.rev ASC LIMIT ?`,
  stats: `SELECT (SELECT count(*) FROM sites) AS sites, (SELECT count(*) FROM topics) AS topics,
      (SELECT count(*) FROM posts) AS posts`,
};

// The named topics: up to 50 primary-key reads, however many topics the site has.
const topicsByIdsSql = (count: number) => `SELECT t.rowid AS position, t.* FROM topics AS t
  WHERE t.site = ? AND t.id IN (${Array.from({ length: count }, () => '?').join(', ')})`;

// Replies of a page's threads: one query, chunked so the IN list stays small.
// `+p.seq`: without it SQLite walks the whole topic in seq order (the UNIQUE (site, topic,
// seq) index) looking for these threads' replies — 50 ms at 10^5 posts. With it, it reads
// just these threads through posts_thread and sorts them (0.3 ms).
const repliesSql = (count: number) => `SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
  WHERE p.site = ? AND p.topic = ? AND p.root IN (${Array.from({ length: count }, () => '?').join(',')}) AND p.depth > 0 AND p.held = 0
  ORDER BY +p.seq ASC LIMIT ?`;

export function createSqlStore(db: SqlDatabase): Store {
  // Bumps the topic's counters (read-modify-write inside createPost's transaction).
  // A held post (issue 16) takes its seq and rev but is not counted until it is released.
  const bumpTopic = `UPDATE topics SET rev = rev + 1, last_seq = last_seq + 1, post_count = post_count + ?,
      last_activity_at = ${greatest(db)}(last_activity_at, ?) WHERE site = ? AND id = ? RETURNING rev, last_seq`;

  // PostgreSQL only (writableCtes): the common case of createPost as ONE statement — bump the
  // topic's counters, insert the post (and its notification job), read it back with its author.
  // One statement is atomic on its own, and its UPDATE holds the topic's row lock from the bump to
  // the commit, all inside the server: posts to one topic queue for microseconds, not for round
  // trips. The UPDATE touches no row when the topic is missing or locked or the author already
  // used the key; then nothing at all was written (the INSERT takes its seq and rev from the
  // UPDATE's rows) and createPost takes the step-by-step path, which tells those cases apart.
  // `locked = 0` is re-checked on the newest row version after waiting for the row lock, so a
  // lock committed meanwhile is seen; a same-key post committed meanwhile is not (the NOT EXISTS
  // reads the statement's snapshot) and ends in the unique index instead, handled the same way.
  // (The casts: parameters in an INSERT's SELECT list would otherwise be typed as text.)
  const bumpAndInsert = `WITH bumped AS (
      UPDATE topics SET rev = rev + 1, last_seq = last_seq + 1, post_count = post_count + @counted,
        last_activity_at = ${greatest(db)}(last_activity_at, @createdAt)
      WHERE site = @site AND id = @topic AND locked = 0 AND NOT EXISTS (
        SELECT 1 FROM posts WHERE site = @site AND author_id = @authorId AND idempotency_key = @idempotencyKey)
      RETURNING rev, last_seq),
    inserted AS (
      INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot,
        body, html, created_at, status, idempotency_key, request_hash, held)
      SELECT @id, @site, @topic, @parent, @root, CAST(@depth AS integer), bumped.last_seq, bumped.rev, @authorId, @authorSnapshot,
        @body, @html, @createdAt, 'visible', @idempotencyKey, @requestHash, CAST(@held AS integer) FROM bumped
      RETURNING *),
    queued AS (
      INSERT INTO notification_jobs (site, kind, post_id, created_at)
      SELECT site, 'post', id, created_at FROM inserted WHERE CAST(@notify AS integer) = 1)
    SELECT ${POST_COLUMNS} FROM inserted p JOIN users u ON u.id = p.author_id`;

  /**
   * The post in one statement (bumpAndInsert), or null when anything is unusual — a new or
   * locked topic, a used key, a missing, held or too deep parent — and nothing was written.
   * Outside a transaction a unique violation (a same-key post that committed meanwhile) is one of
   * those; inside one it aborts the transaction, so it is thrown (and the transaction runs again).
   */
  async function createInOneStatement(input: NewPost, hash: string): Promise<CreatePostOutcome | null> {
    let root = input.id;
    let depth = 0;
    if (input.parent) {
      // A post's topic, root and depth never change, and a held post is only ever released:
      // this read needs no lock of its own.
      const parent = await db.get<PostRow>(q.getPost, [input.site, input.parent]);
      if (!parent || parent.topic !== input.topic || parent.held === 1 || parent.depth + 1 > input.maxDepth) return null;
      root = parent.root;
      depth = parent.depth + 1;
    }
    const params = {
      id: input.id, site: input.site, topic: input.topic, parent: input.parent, root, depth, counted: input.held ? 0 : 1,
      authorId: input.authorId, authorSnapshot: JSON.stringify(input.authorSnapshot), body: input.body, html: input.html,
      createdAt: input.createdAt, idempotencyKey: input.idempotencyKey, requestHash: hash, held: input.held ? 1 : 0,
      notify: input.notify ? 1 : 0,
    };
    try {
      const row = await db.get<PostRow>(bumpAndInsert, params);
      return row ? { kind: 'created', post: toPost(row) } : null;
    } catch (error) {
      if (!db.inTransaction() && isUniqueViolation(error)) return null;
      throw error;
    }
  }

  const createPostTx = (input: NewPost, tryOneStatement: boolean): Promise<CreatePostOutcome> => db.transaction(async () => {
    const hash = requestHash(input);
    if (tryOneStatement) {
      const created = await createInOneStatement(input, hash);
      if (created) return created;
    }
    const previous = await db.get<PostRow>(q.byIdempotencyKey, [input.site, input.authorId, input.idempotencyKey]);
    if (previous) {
      return previous.request_hash === hash ? { kind: 'replayed', post: toPost(previous) } : { kind: 'key-conflict' };
    }
    let topicRow = await db.get(q.getTopic, [input.site, input.topic]);
    if (!topicRow) {
      await db.run(q.insertTopic, [input.site, input.topic, input.topicTitle, input.createdAt, input.createdAt]);
      topicRow = await db.get(q.getTopic, [input.site, input.topic]);
    }
    if (topicRow.locked === 1) return { kind: 'topic-locked' };
    let root = input.id;
    let depth = 0;
    if (input.parent) {
      const parent = await db.get<PostRow>(q.getPost, [input.site, input.parent]);
      // A held post cannot be replied to: for everyone but its author it does not exist yet.
      if (!parent || parent.topic !== input.topic || parent.held === 1) return { kind: 'parent-not-found' };
      if (parent.depth + 1 > input.maxDepth) return { kind: 'too-deep' };
      root = parent.root;
      depth = parent.depth + 1;
    }
    const counters = (await db.get<{ rev: number; last_seq: number }>(bumpTopic, [input.held ? 0 : 1, input.createdAt, input.site, input.topic]))!;
    await db.run(q.insertPost, {
      id: input.id, site: input.site, topic: input.topic, parent: input.parent, root, depth,
      seq: counters.last_seq, rev: counters.rev, authorId: input.authorId,
      authorSnapshot: JSON.stringify(input.authorSnapshot), body: input.body, html: input.html,
      createdAt: input.createdAt, idempotencyKey: input.idempotencyKey, requestHash: hash, held: input.held ? 1 : 0,
    });
    if (input.notify) await db.run(q.enqueuePostJob, [input.site, input.id, input.createdAt]);
    return { kind: 'created', post: toPost((await db.get<PostRow>(q.getPost, [input.site, input.id]))!) };
  }, { lock: topicWriteLock(input.site, input.topic) });

  async function repliesOf(site: string, topic: string, roots: string[], max: number): Promise<PostRecord[]> {
    if (roots.length === 0 || max <= 0) return [];
    const rows = await db.all<PostRow>(repliesSql(roots.length), [site, topic, ...roots, max]);
    return rows.map(toPost);
  }

  async function topicsByIds(site: string, ids: string[]): Promise<TopicRecord[]> {
    const rows: any[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      rows.push(...await db.all(topicsByIdsSql(chunk.length), [site, ...chunk]));
    }
    // Newest activity first, as a page of the list.
    rows.sort((a, b) => (a.last_activity_at < b.last_activity_at ? 1 : a.last_activity_at > b.last_activity_at ? -1 : b.position - a.position));
    return rows.map(toTopic);
  }

  return {
    ...identityStore(db),
    ...moderationStore(db),
    ...editStore(db),
    ...safetyStore(db),
    ...presenceStore(db),
    ...oidcStore(db),
    ...signInStore(db),
    ...setupStore(db),
    ...importStore(db),
    ...deskStore(db),
    ...notifyStore(db),
    ...spamStore(db),
    ...blockStore(db),
    database: db,
    transaction: (fn, options) => db.transaction(fn, options),
    close: () => db.close(),
    async upsertSite(site) {
      await db.run(q.upsertSite, {
        ...site, origins: JSON.stringify(site.origins), publicKeys: JSON.stringify(site.publicKeys),
        demo: site.demo ? 1 : 0,
      });
    },
    async getSite(id) {
      const row = await db.get(q.getSite, [id]);
      return row ? toSite(row) : null;
    },
    async listSites() {
      return (await db.all(q.listSites)).map(toSite);
    },
    async getSetting(site, key) {
      const row = await db.get<{ value: string }>(q.getSetting, [site, key]);
      return row ? row.value : null;
    },
    async setSetting(site, key, value) {
      await db.run(q.setSetting, [site, key, value]);
    },
    upsertUserFromHost: (site, sub, displayName, email, now, newId) => db.transaction(async () => {
      const existing = await db.get(q.getUserBySub, [site, sub]);
      if (!existing) {
        await db.run(q.insertUser, [newId, site, sub, displayName, email, now]);
        return toUser(await db.get(q.getUser, [site, newId]));
      }
      const nameChanged = existing.name_chosen !== 1 && existing.display_name !== displayName;
      if (existing.kind === 'member' && (nameChanged || existing.email !== email)) {
        await db.run(q.updateUserFromHost, [displayName, email, existing.id]);
        return toUser(await db.get(q.getUser, [site, existing.id]));
      }
      return toUser(existing);
    }),
    async getUser(site, id) {
      const row = await db.get(q.getUser, [site, id]);
      return row ? toUser(row) : null;
    },
    async getRoles(site, userId) {
      return (await db.all<{ role: Role }>(q.getRoles, [site, userId])).map((r) => r.role);
    },
    async grantRole(site, userId, role) {
      await db.run(q.grantRole, [site, userId, role]);
    },
    addAffiliation: (site, userId, badge) => db.transaction(async () => {
      await db.run(q.insertAffiliation, { site, userId, ...badge });
      await db.run(q.markStaff, [site, userId]);
    }),
    async getActiveAffiliation(site, userId) {
      return (await db.get<AffiliationBadge>(q.activeAffiliation, [site, userId])) ?? null;
    },
    async setProfessional(site, userId, badge) {
      await db.run(q.setProfessional, [site, userId, badge.profession, badge.verifiedAt]);
    },
    async getProfessional(site, userId) {
      return (await db.get<ProfessionalBadge>(q.getProfessional, [site, userId])) ?? null;
    },
    async getTopic(site, topic) {
      const row = await db.get(q.getTopic, [site, topic]);
      return row ? toTopic(row) : null;
    },
    async listTopics(site, request) {
      if (request.ids) return { topics: await topicsByIds(site, request.ids), next: null };
      const rows = request.after
        ? await db.all(q.listTopicsAfter, { site, at: request.after.lastActivityAt, position: request.after.position, limit: request.limit + 1 })
        : await db.all(q.listTopicsFirst, { site, limit: request.limit + 1 });
      const page = rows.slice(0, request.limit);
      const last = page.at(-1);
      return {
        topics: page.map(toTopic),
        next: rows.length > request.limit && last ? { lastActivityAt: last.last_activity_at, position: last.position } : null,
      };
    },
    async createPost(input) {
      // PostgreSQL: outside a caller's transaction the common case is one autocommitted
      // statement, holding no lock across a round trip; the rest (and everything on SQLite, where
      // statements cost no round trip) is the step-by-step transaction under the topic's lock.
      if (!writableCtes(db)) return createPostTx(input, false);
      if (!db.inTransaction()) {
        const created = await createInOneStatement(input, requestHash(input));
        return created ?? createPostTx(input, false);
      }
      return createPostTx(input, true);
    },
    async getPost(site, id) {
      const row = await db.get<PostRow>(q.getPost, [site, id]);
      return row ? toPost(row) : null;
    },
    async getTopicPage(site, topic, request): Promise<PageResult> {
      // The topic first, its posts after: a post written in between shows up with a rev above
      // the topic's, so catching up from the topic's rev repeats it rather than missing it.
      const topicRow = await db.get(q.getTopic, [site, topic]);
      if (!topicRow) return { topic: null, posts: [], nextAfterSeq: null };
      const newest = request.order === 'newest';
      let rows: PostRecord[];
      if (request.order === 'helpful') {
        rows = (request.afterSeq == null || request.afterHelpful == null
          ? await db.all<PostRow>(q.rootsHelpfulFirst, [site, topic, request.limit + 1])
          : await db.all<PostRow>(q.rootsHelpful, { site, topic, count: request.afterHelpful, seq: request.afterSeq, limit: request.limit + 1 })).map(toPost);
      } else {
        rows = (newest && request.afterSeq == null
          ? await db.all<PostRow>(q.rootsNewestFirst, [site, topic, request.limit + 1])
          : await db.all<PostRow>(newest ? q.rootsNewest : q.rootsOldest, [site, topic, request.afterSeq ?? 0, request.limit + 1])).map(toPost);
      }
      const more = rows.length > request.limit;
      const roots = more ? rows.slice(0, request.limit) : rows;
      const replies = await repliesOf(site, topic, roots.map((r) => r.id), request.repliesMax);
      const last = roots[roots.length - 1];
      return {
        topic: toTopic(topicRow),
        posts: [...roots, ...replies],
        nextAfterSeq: more ? last!.seq : null,
        ...(request.order === 'helpful' ? { nextAfterHelpful: more ? last!.helpfulCount ?? 0 : null } : {}),
      };
    },
    async heldPostsOf(site, topic, authorId) {
      return (await db.all<PostRow>(q.heldOf, [site, topic, authorId])).map(toPost);
    },
    async getChangesSince(site, topic, sinceRev, limit) {
      return (await db.all<PostRow>(q.changes, [site, topic, sinceRev, limit])).map(toPost);
    },
    async stats() {
      return (await db.get<{ sites: number; topics: number; posts: number }>(q.stats))!;
    },
  };
}
