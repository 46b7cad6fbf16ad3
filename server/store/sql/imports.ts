/** ImportStore on SqlDatabase (migration 11: users.imported_from, import_sources). */
import type { SqlDatabase } from './database.js';
import type { ImportStore } from '../import-store.js';
import type { PostRecord, TopicRecord } from '../store.js';

const toTopic = (r: any): TopicRecord => ({
  site: r.site, id: r.id, title: r.title, rev: r.rev, lastSeq: r.last_seq,
  postCount: r.post_count, locked: r.locked === 1, createdAt: r.created_at, lastActivityAt: r.last_activity_at || r.created_at,
});

const toPost = (r: any): PostRecord => ({
  id: r.id, site: r.site, topic: r.topic, parent: r.parent, root: r.root, depth: r.depth, seq: r.seq, rev: r.rev,
  authorId: r.author_id, authorName: r.author_name, authorKind: r.author_kind, authorLookalike: r.author_lookalike === 1, ...(r.author_imported ? { authorImported: true } : {}),
  authorSnapshot: JSON.parse(r.author_snapshot), body: r.body, html: r.html, createdAt: r.created_at,
  editedAt: r.edited_at, status: r.status,
});

const SQL = {
  importedId: 'SELECT local_id FROM import_sources WHERE site = ? AND source = ?',
  remember: 'INSERT INTO import_sources (site, source, local_id) VALUES (?, ?, ?)',
  createAuthor: `INSERT INTO users (id, site, sub, display_name, email, kind, created_at, imported_from)
    VALUES (@id, @site, @sub, @displayName, @email, 'member', @createdAt, @importedFrom)`,
  isImported: 'SELECT imported_from FROM users WHERE site = ? AND id = ?',
  topics: 'SELECT * FROM topics WHERE site = ? ORDER BY created_at, id',
  posts: `SELECT p.*, u.display_name AS author_name, u.kind AS author_kind, u.lookalike AS author_lookalike, u.imported_from AS author_imported
    FROM posts p JOIN users u ON u.id = p.author_id WHERE p.site = ? ORDER BY p.topic, p.seq`,
  authors: `SELECT id, display_name, kind, imported_from, created_at FROM users
    WHERE site = ? AND id IN (SELECT DISTINCT author_id FROM posts WHERE site = ?) ORDER BY created_at, id`,
};

export function importStore(db: SqlDatabase): ImportStore {
  return {
    async importedId(site, source) {
      return (await db.get<{ local_id: string }>(SQL.importedId, [site, source]))?.local_id ?? null;
    },
    async rememberImported(site, source, localId) {
      await db.run(SQL.remember, [site, source, localId]);
    },
    async createImportedAuthor(author) {
      await db.run(SQL.createAuthor, { ...author });
    },
    async isImportedUser(site, userId) {
      const row = await db.get<{ imported_from: string | null }>(SQL.isImported, [site, userId]);
      return !!row?.imported_from;
    },
    async exportTopics(site) {
      return (await db.all(SQL.topics, [site])).map(toTopic);
    },
    async exportPosts(site) {
      return (await db.all(SQL.posts, [site])).map(toPost);
    },
    async exportAuthors(site) {
      return (await db.all(SQL.authors, [site, site])).map((r) => ({
        id: r.id, displayName: r.display_name, kind: r.kind, importedFrom: r.imported_from, createdAt: r.created_at,
      }));
    },
  };
}
