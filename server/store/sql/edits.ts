/**
 * EditStore on SqlDatabase: SQL shared by SQLite and PostgreSQL, one transaction per method.
 * The edit bumps the topic's rev and writes it onto the post exactly as createPost and
 * moderation actions do, so catch-up (`rev > n`) returns edited posts.
 */
import type { SqlDatabase } from './database.js';
import type { ReplacedVersion } from '../../../moderation/edits.js';
import type { EditSummary } from '../../../moderation/types.js';
import type { EditStore, PostEdit, PostEditOutcome } from '../edit-store.js';

interface CurrentRow {
  topic: string;
  root: string;
  rev: number;
  author_id: string;
  author_kind: string;
  body: string;
  html: string;
  created_at: string;
  edited_at: string | null;
  status: string;
  locked: number;
}

const SQL = {
  current: `SELECT p.topic, p.root, p.rev, p.author_id, u.kind AS author_kind, p.body, p.html,
    p.created_at, p.edited_at, p.status, t.locked
    FROM posts p JOIN users u ON u.id = p.author_id JOIN topics t ON t.site = p.site AND t.id = p.topic
    WHERE p.site = ? AND p.id = ?`,
  // Through posts_thread (site, topic, root, seq): a reply to this post lives in its thread.
  hasReply: 'SELECT 1 FROM posts WHERE site = ? AND topic = ? AND root = ? AND parent = ? LIMIT 1',
  hasReport: 'SELECT 1 FROM reports WHERE site = ? AND post_id = ? LIMIT 1',
  versionCount: 'SELECT count(*) AS n FROM post_versions WHERE post_id = ?',
  insertVersion: `INSERT INTO post_versions
    (site, post_id, version, body, html, written_at, replaced_at, editor_id, after_reply, after_report)
    VALUES (@site, @postId, @version, @body, @html, @writtenAt, @replacedAt, @editorId, @afterReply, @afterReport)`,
  bumpTopicRev: 'UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev',
  updatePost: 'UPDATE posts SET body = ?, html = ?, edited_at = ?, rev = ? WHERE site = ? AND id = ?',
  versions: `SELECT version, body, html, written_at, replaced_at, after_reply, after_report
    FROM post_versions WHERE site = ? AND post_id = ? ORDER BY version`,
};

/** Post ids per summary query: the IN list stays well under both databases' parameter limits. */
const SUMMARY_CHUNK = 500;

export function editStore(db: SqlDatabase): EditStore {
  return {
    editPost(edit: PostEdit): Promise<PostEditOutcome> {
      return db.transaction(async (): Promise<PostEditOutcome> => {
        const row = await db.get<CurrentRow>(SQL.current, [edit.site, edit.postId]);
        if (!row) return { kind: 'not-found' };
        if (row.author_id !== edit.editorId) return { kind: 'not-author' };
        if (row.author_kind === 'deleted') return { kind: 'author-erased' };
        if (row.status !== 'visible') return { kind: 'removed' };
        if (row.locked === 1) return { kind: 'topic-locked' };
        // Same text: a no-op even when the rev moved on, so a retried save answers the same.
        if (row.body === edit.body) return { kind: 'unchanged' };
        if (edit.expectedRev !== null && edit.expectedRev !== row.rev) return { kind: 'conflict', rev: row.rev };
        const replaced = (await db.get<{ n: number }>(SQL.versionCount, [edit.postId]))!.n;
        if (replaced + 1 >= edit.maxVersions) return { kind: 'too-many-versions' };
        const afterReply = edit.marked && (await db.get(SQL.hasReply, [edit.site, row.topic, row.root, edit.postId])) !== undefined;
        const afterReport = edit.marked && (await db.get(SQL.hasReport, [edit.site, edit.postId])) !== undefined;
        const version = replaced + 1;
        await db.run(SQL.insertVersion, {
          site: edit.site, postId: edit.postId, version, body: row.body, html: row.html,
          writtenAt: row.edited_at ?? row.created_at, replacedAt: edit.at, editorId: edit.editorId,
          afterReply: afterReply ? 1 : 0, afterReport: afterReport ? 1 : 0,
        });
        const { rev } = (await db.get<{ rev: number }>(SQL.bumpTopicRev, [edit.site, row.topic]))!;
        await db.run(SQL.updatePost, [edit.body, edit.html, edit.at, rev, edit.site, edit.postId]);
        return { kind: 'edited', version, rev };
      });
    },
    async replacedVersions(site, postId) {
      const rows = await db.all<{
        version: number; body: string; html: string; written_at: string; replaced_at: string; after_reply: number; after_report: number;
      }>(SQL.versions, [site, postId]);
      return rows.map((r): ReplacedVersion => ({
        version: r.version, body: r.body, html: r.html, writtenAt: r.written_at, replacedAt: r.replaced_at,
        afterReply: r.after_reply === 1, afterReport: r.after_report === 1,
      }));
    },
    async editSummaries(site, postIds) {
      const out = new Map<string, EditSummary>();
      if (postIds.length === 0) return out;
      // One query for a page's posts (more only past SUMMARY_CHUNK ids); a post's versions are all in one chunk.
      const ids = [...new Set(postIds)];
      for (let i = 0; i < ids.length; i += SUMMARY_CHUNK) {
        const chunk = ids.slice(i, i + SUMMARY_CHUNK);
        const rows = await db.all<{ post_id: string; n: number; reply: number; report: number }>(
          `SELECT post_id, count(*) AS n, max(after_reply) AS reply, max(after_report) AS report
            FROM post_versions WHERE site = ? AND post_id IN (${chunk.map(() => '?').join(',')}) GROUP BY post_id`,
          [site, ...chunk]);
        for (const r of rows) out.set(r.post_id, { count: r.n, afterReply: r.reply === 1, afterReport: r.report === 1 });
      }
      return out;
    },
  };
}
