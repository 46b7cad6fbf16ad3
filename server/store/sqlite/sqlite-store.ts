/**
 * The SQLite implementation of Store, on better-sqlite3. WAL mode lets readers proceed
 * while a write commits; synchronous=NORMAL in WAL is durable against process crashes
 * (a power loss may drop the last transactions, never corrupt the file). All statements
 * are prepared once. Writes that touch several rows run in one IMMEDIATE transaction.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AffiliationBadge, ProfessionalBadge, Role } from '../../../moderation/types.js';
import { migrate } from './migrations.js';
import type { SyncOf } from './sync-of.js';
import { SqliteDatabase } from '../sql/sqlite-database.js';
import { sqliteIdentityStore } from './identity.js';
import { sqliteModerationStore } from './moderation.js';
import { sqliteEditStore } from './edits.js';
import { sqliteSafetyStore } from './safety.js';
import { sqlitePresenceStore } from './presence.js';
import { sqliteOidcStore } from './oidc.js';
import { sqliteSignInStore } from './sign-in.js';
import { sqliteImportStore } from './imports.js';
import { sqliteSetupStore } from './setup.js';
import { sqliteDeskStore } from './desk.js';
import type {
  CreatePostOutcome,
  NewPost,
  PageRequest,
  PageResult,
  PostRecord,
  SiteRecord,
  Store,
  TopicRecord,
  UserRecord,
} from '../store.js';

interface PostRow {
  id: string; site: string; topic: string; parent: string | null; root: string; depth: number;
  seq: number; rev: number; author_id: string; author_snapshot: string; body: string; html: string;
  created_at: string; edited_at: string | null; status: 'visible' | 'removed';
  author_name: string; author_kind: UserRecord['kind']; author_lookalike: number; author_imported?: string | null;
  idempotency_key?: string; request_hash?: string;
}

const POST_COLUMNS = `p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id,
  p.author_snapshot, p.body, p.html, p.created_at, p.edited_at, p.status,
  u.display_name AS author_name, u.kind AS author_kind, u.lookalike AS author_lookalike, u.imported_from AS author_imported`;

function toPost(row: PostRow): PostRecord {
  return {
    id: row.id, site: row.site, topic: row.topic, parent: row.parent, root: row.root, depth: row.depth,
    seq: row.seq, rev: row.rev, authorId: row.author_id, authorName: row.author_name, authorKind: row.author_kind,
    authorLookalike: row.author_lookalike === 1,
    ...(row.author_imported ? { authorImported: true } : {}),
    authorSnapshot: JSON.parse(row.author_snapshot), body: row.body, html: row.html,
    createdAt: row.created_at, editedAt: row.edited_at, status: row.status,
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

export interface SqliteStoreOptions {
  /** Path of the database file; ':memory:' for a throwaway store. */
  file: string;
}

const DATABASES = new WeakMap<Store, Database.Database>();

/** The better-sqlite3 connection behind a SQLite store (online backup, SQLite-only tooling). */
export function sqliteDatabaseOf(store: Store): Database.Database | null {
  return DATABASES.get(store) ?? null;
}


/** Makes synchronous methods asynchronous, each waiting its turn on the connection (see SqliteDatabase.gate). */
function gated<T extends object>(database: SqliteDatabase, methods: SyncOf<T>): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(methods)) {
    out[name] = typeof value === 'function' ? (...args: unknown[]) => database.gate(() => value(...args)) : value;
  }
  return out as T;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const q = {
    upsertSite: db.prepare(`INSERT INTO sites (id, name, origins, secret, public_keys, rules_url, demo, created_at)
      VALUES (@id, @name, @origins, @secret, @publicKeys, @rulesUrl, @demo, @createdAt)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, origins = excluded.origins, secret = excluded.secret,
        public_keys = excluded.public_keys, rules_url = excluded.rules_url, demo = excluded.demo`),
    getSite: db.prepare('SELECT * FROM sites WHERE id = ?'),
    listSites: db.prepare('SELECT * FROM sites ORDER BY id'),
    getSetting: db.prepare('SELECT value FROM site_settings WHERE site = ? AND key = ?'),
    setSetting: db.prepare(`INSERT INTO site_settings (site, key, value) VALUES (?, ?, ?)
      ON CONFLICT (site, key) DO UPDATE SET value = excluded.value`),
    getUserBySub: db.prepare('SELECT * FROM users WHERE site = ? AND sub = ?'),
    getUser: db.prepare('SELECT * FROM users WHERE site = ? AND id = ?'),
    insertUser: db.prepare(`INSERT INTO users (id, site, sub, display_name, email, kind, created_at)
      VALUES (?, ?, ?, ?, ?, 'member', ?)`),
    // A name the member chose in Parley wins over the host's claim; the email always follows the host.
    updateUserFromHost: db.prepare('UPDATE users SET display_name = CASE name_chosen WHEN 1 THEN display_name ELSE ? END, email = ? WHERE id = ?'),
    getRoles: db.prepare('SELECT role FROM site_roles WHERE site = ? AND user_id = ? ORDER BY role'),
    grantRole: db.prepare('INSERT OR IGNORE INTO site_roles (site, user_id, role) VALUES (?, ?, ?)'),
    insertAffiliation: db.prepare(`INSERT INTO affiliations (site, user_id, company_id, company_name, job_title, verified_by, verified_at)
      VALUES (@site, @userId, @companyId, @companyName, @jobTitle, @verifiedBy, @verifiedAt)`),
    markStaff: db.prepare(`UPDATE users SET kind = 'staff' WHERE site = ? AND id = ? AND kind = 'member'`),
    activeAffiliation: db.prepare(`SELECT company_id AS companyId, company_name AS companyName, job_title AS jobTitle,
      verified_by AS verifiedBy, verified_at AS verifiedAt FROM affiliations
      WHERE site = ? AND user_id = ? AND revoked_at IS NULL ORDER BY verified_at DESC LIMIT 1`),
    setProfessional: db.prepare(`INSERT INTO professionals (site, user_id, profession, verified_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (site, user_id) DO UPDATE SET profession = excluded.profession, verified_at = excluded.verified_at`),
    getProfessional: db.prepare('SELECT profession, verified_at AS verifiedAt FROM professionals WHERE site = ? AND user_id = ?'),
    getTopic: db.prepare('SELECT * FROM topics WHERE site = ? AND id = ?'),
    insertTopic: db.prepare('INSERT INTO topics (site, id, title, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?)'),
    bumpTopic: db.prepare(`UPDATE topics SET rev = rev + 1, last_seq = last_seq + 1, post_count = post_count + 1,
      last_activity_at = max(last_activity_at, ?) WHERE site = ? AND id = ? RETURNING rev, last_seq`),
    // Newest activity first; rowid breaks ties so a cursor never skips or repeats a topic.
    listTopics: db.prepare(`SELECT rowid AS position, * FROM topics WHERE site = @site
      AND (@at IS NULL OR last_activity_at < @at OR (last_activity_at = @at AND rowid < @position))
      ORDER BY last_activity_at DESC, rowid DESC LIMIT @limit`),
    // The named ids drive the lookup (CROSS JOIN keeps that order): up to 50 primary-key reads, however many topics the site has.
    topicsByIds: db.prepare(`SELECT t.rowid AS position, t.* FROM json_each(?) AS j CROSS JOIN topics AS t ON t.site = ? AND t.id = j.value
      ORDER BY t.last_activity_at DESC, t.rowid DESC`),
    byIdempotencyKey: db.prepare(`SELECT ${POST_COLUMNS}, p.request_hash FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.author_id = ? AND p.idempotency_key = ?`),
    getPost: db.prepare(`SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.site = ? AND p.id = ?`),
    insertPost: db.prepare(`INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot,
      body, html, created_at, status, idempotency_key, request_hash)
      VALUES (@id, @site, @topic, @parent, @root, @depth, @seq, @rev, @authorId, @authorSnapshot,
      @body, @html, @createdAt, 'visible', @idempotencyKey, @requestHash)`),
    rootsNewest: db.prepare(`SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.seq < ? ORDER BY p.seq DESC LIMIT ?`),
    rootsOldest: db.prepare(`SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.depth = 0 AND p.seq > ? ORDER BY p.seq ASC LIMIT ?`),
    changes: db.prepare(`SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND p.rev > ? ORDER BY p.rev ASC LIMIT ?`),
    stats: db.prepare(`SELECT (SELECT count(*) FROM sites) AS sites, (SELECT count(*) FROM topics) AS topics,
      (SELECT count(*) FROM posts) AS posts`),
  };

  const createPostTx = db.transaction((input: NewPost): CreatePostOutcome => {
    const hash = requestHash(input);
    const previous = q.byIdempotencyKey.get(input.site, input.authorId, input.idempotencyKey) as PostRow | undefined;
    if (previous) {
      return previous.request_hash === hash ? { kind: 'replayed', post: toPost(previous) } : { kind: 'key-conflict' };
    }
    let topicRow = q.getTopic.get(input.site, input.topic) as any;
    if (!topicRow) {
      q.insertTopic.run(input.site, input.topic, input.topicTitle, input.createdAt, input.createdAt);
      topicRow = q.getTopic.get(input.site, input.topic);
    }
    if (topicRow.locked === 1) return { kind: 'topic-locked' };
    let root = input.id;
    let depth = 0;
    if (input.parent) {
      const parent = q.getPost.get(input.site, input.parent) as PostRow | undefined;
      if (!parent || parent.topic !== input.topic) return { kind: 'parent-not-found' };
      if (parent.depth + 1 > input.maxDepth) return { kind: 'too-deep' };
      root = parent.root;
      depth = parent.depth + 1;
    }
    const counters = q.bumpTopic.get(input.createdAt, input.site, input.topic) as { rev: number; last_seq: number };
    q.insertPost.run({
      id: input.id, site: input.site, topic: input.topic, parent: input.parent, root, depth,
      seq: counters.last_seq, rev: counters.rev, authorId: input.authorId,
      authorSnapshot: JSON.stringify(input.authorSnapshot), body: input.body, html: input.html,
      createdAt: input.createdAt, idempotencyKey: input.idempotencyKey, requestHash: hash,
    });
    return { kind: 'created', post: toPost(q.getPost.get(input.site, input.id) as PostRow) };
  });

  // Replies of a page's threads: one query, chunked so the IN list stays small.
  function repliesOf(site: string, topic: string, roots: string[], max: number): PostRecord[] {
    if (roots.length === 0 || max <= 0) return [];
    const marks = roots.map(() => '?').join(',');
    // `+p.seq`: without it SQLite walks the whole topic in seq order (the UNIQUE (site, topic,
    // seq) index) looking for these threads' replies — 50 ms at 10^5 posts. With it, it reads
    // just these threads through posts_thread and sorts them (0.3 ms).
    const rows = db
      .prepare(`SELECT ${POST_COLUMNS} FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.site = ? AND p.topic = ? AND p.root IN (${marks}) AND p.depth > 0 ORDER BY +p.seq ASC LIMIT ?`)
      .all(site, topic, ...roots, max) as PostRow[];
    return rows.map(toPost);
  }

  const database = new SqliteDatabase(db);
  const sync: SyncOf<Omit<Store, 'database' | 'transaction' | 'close'>> = {
    ...sqliteIdentityStore(db),
    ...sqliteModerationStore(db),
    ...sqliteEditStore(db),
    ...sqliteSafetyStore(db),
    ...sqlitePresenceStore(db),
    ...sqliteOidcStore(db),
    ...sqliteSignInStore(db),
    ...sqliteSetupStore(db),
    ...sqliteImportStore(db),
    ...sqliteDeskStore(db),
    upsertSite(site) {
      q.upsertSite.run({
        ...site, origins: JSON.stringify(site.origins), publicKeys: JSON.stringify(site.publicKeys),
        demo: site.demo ? 1 : 0,
      });
    },
    getSite(id) {
      const row = q.getSite.get(id);
      return row ? toSite(row) : null;
    },
    listSites() {
      return q.listSites.all().map(toSite);
    },
    getSetting(site, key) {
      const row = q.getSetting.get(site, key) as { value: string } | undefined;
      return row ? row.value : null;
    },
    setSetting(site, key, value) {
      q.setSetting.run(site, key, value);
    },
    upsertUserFromHost: db.transaction((site: string, sub: string, displayName: string, email: string | null, now: string, newId: string) => {
      const existing = q.getUserBySub.get(site, sub) as any;
      if (!existing) {
        q.insertUser.run(newId, site, sub, displayName, email, now);
        return toUser(q.getUser.get(site, newId));
      }
      const nameChanged = existing.name_chosen !== 1 && existing.display_name !== displayName;
      if (existing.kind === 'member' && (nameChanged || existing.email !== email)) {
        q.updateUserFromHost.run(displayName, email, existing.id);
        return toUser(q.getUser.get(site, existing.id));
      }
      return toUser(existing);
    }) as SyncOf<Store>['upsertUserFromHost'],
    getUser(site, id) {
      const row = q.getUser.get(site, id);
      return row ? toUser(row) : null;
    },
    getRoles(site, userId) {
      return (q.getRoles.all(site, userId) as { role: Role }[]).map((r) => r.role);
    },
    grantRole(site, userId, role) {
      q.grantRole.run(site, userId, role);
    },
    addAffiliation: db.transaction((site: string, userId: string, badge: AffiliationBadge) => {
      q.insertAffiliation.run({ site, userId, ...badge });
      q.markStaff.run(site, userId);
    }) as SyncOf<Store>['addAffiliation'],
    getActiveAffiliation(site, userId) {
      return (q.activeAffiliation.get(site, userId) as AffiliationBadge | undefined) ?? null;
    },
    setProfessional(site, userId, badge) {
      q.setProfessional.run(site, userId, badge.profession, badge.verifiedAt);
    },
    getProfessional(site, userId) {
      return (q.getProfessional.get(site, userId) as ProfessionalBadge | undefined) ?? null;
    },
    getTopic(site, topic) {
      const row = q.getTopic.get(site, topic);
      return row ? toTopic(row) : null;
    },
    listTopics(site, request) {
      if (request.ids) return { topics: (q.topicsByIds.all(JSON.stringify(request.ids), site) as any[]).map(toTopic), next: null };
      const rows = q.listTopics.all({
        site, at: request.after?.lastActivityAt ?? null, position: request.after?.position ?? 0, limit: request.limit + 1,
      }) as any[];
      const page = rows.slice(0, request.limit);
      const last = page.at(-1);
      return {
        topics: page.map(toTopic),
        next: rows.length > request.limit && last ? { lastActivityAt: last.last_activity_at, position: last.position } : null,
      };
    },
    createPost(input) {
      return createPostTx.immediate(input);
    },
    getPost(site, id) {
      const row = q.getPost.get(site, id) as PostRow | undefined;
      return row ? toPost(row) : null;
    },
    getTopicPage(site, topic, request): PageResult {
      const topicRow = q.getTopic.get(site, topic);
      if (!topicRow) return { topic: null, posts: [], nextAfterSeq: null };
      const newest = request.order === 'newest';
      const after = request.afterSeq ?? (newest ? Number.MAX_SAFE_INTEGER : 0);
      const stmt = newest ? q.rootsNewest : q.rootsOldest;
      const rows = (stmt.all(site, topic, after, request.limit + 1) as PostRow[]).map(toPost);
      const more = rows.length > request.limit;
      const roots = more ? rows.slice(0, request.limit) : rows;
      const replies = repliesOf(site, topic, roots.map((r) => r.id), request.repliesMax);
      return {
        topic: toTopic(topicRow),
        posts: [...roots, ...replies],
        nextAfterSeq: more ? roots[roots.length - 1]!.seq : null,
      };
    },
    getChangesSince(site, topic, sinceRev, limit) {
      return (q.changes.all(site, topic, sinceRev, limit) as PostRow[]).map(toPost);
    },
    stats() {
      return q.stats.get() as { sites: number; topics: number; posts: number };
    },
  };
  const store: Store = {
    ...gated<Omit<Store, 'database' | 'transaction' | 'close'>>(database, sync),
    database,
    transaction: (fn) => database.transaction(fn),
    close: () => database.close(),
  };
  DATABASES.set(store, db);
  return store;
}
