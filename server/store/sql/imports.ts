/** SQLite implementation of ImportStore (migration 11: users.imported_from, import_sources). */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
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

export function sqliteImportStore(db: Database.Database): SyncOf<ImportStore> {
  const q = {
    importedId: db.prepare('SELECT local_id FROM import_sources WHERE site = ? AND source = ?'),
    remember: db.prepare('INSERT INTO import_sources (site, source, local_id) VALUES (?, ?, ?)'),
    createAuthor: db.prepare(`INSERT INTO users (id, site, sub, display_name, email, kind, created_at, imported_from)
      VALUES (@id, @site, @sub, @displayName, @email, 'member', @createdAt, @importedFrom)`),
    isImported: db.prepare('SELECT imported_from FROM users WHERE site = ? AND id = ?'),
    topics: db.prepare('SELECT * FROM topics WHERE site = ? ORDER BY created_at, id'),
    posts: db.prepare(`SELECT p.*, u.display_name AS author_name, u.kind AS author_kind, u.lookalike AS author_lookalike, u.imported_from AS author_imported
      FROM posts p JOIN users u ON u.id = p.author_id WHERE p.site = ? ORDER BY p.topic, p.seq`),
    authors: db.prepare(`SELECT id, display_name, kind, imported_from, created_at FROM users
      WHERE site = ? AND id IN (SELECT DISTINCT author_id FROM posts WHERE site = ?) ORDER BY created_at, id`),
  };
  return {
    importedId(site, source) {
      return (q.importedId.get(site, source) as { local_id: string } | undefined)?.local_id ?? null;
    },
    rememberImported(site, source, localId) {
      q.remember.run(site, source, localId);
    },
    createImportedAuthor(author) {
      q.createAuthor.run(author);
    },
    isImportedUser(site, userId) {
      const row = q.isImported.get(site, userId) as { imported_from: string | null } | undefined;
      return !!row?.imported_from;
    },
    exportTopics(site) {
      return q.topics.all(site).map(toTopic);
    },
    exportPosts(site) {
      return q.posts.all(site).map(toPost);
    },
    exportAuthors(site) {
      return (q.authors.all(site, site) as any[]).map((r) => ({
        id: r.id, displayName: r.display_name, kind: r.kind, importedFrom: r.imported_from, createdAt: r.created_at,
      }));
    },
  };
}
