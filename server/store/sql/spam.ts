/** SpamStore on SqlDatabase (issue 16): holds, "Helpful", moderator notes, pins, own deletion, search. */
import type { SqlDatabase } from './database.js';
import { searchSql } from './search-dialect.js';
import type { HelpfulTally, HoldRecord, ModeratorNoteRecord, PinRecord, SpamStore } from '../spam-store.js';
import type { PostRecord } from '../store.js';

const IN_CHUNK = 500;
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const POST_COLUMNS = `p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id,
  p.author_snapshot, p.body, p.html, p.created_at, p.edited_at, p.status, p.held, p.deleted_at, p.helpful_count,
  u.display_name AS author_name, u.kind AS author_kind, u.lookalike AS author_lookalike, u.imported_from AS author_imported`;

const toPost = (row: any): PostRecord => ({
  id: row.id, site: row.site, topic: row.topic, parent: row.parent, root: row.root, depth: row.depth, seq: row.seq, rev: row.rev,
  authorId: row.author_id, authorName: row.author_name, authorKind: row.author_kind, authorLookalike: row.author_lookalike === 1,
  ...(row.author_imported ? { authorImported: true } : {}),
  authorSnapshot: JSON.parse(row.author_snapshot), body: row.body, html: row.html, createdAt: row.created_at,
  editedAt: row.edited_at, status: row.status, held: row.held === 1, deletedAt: row.deleted_at, helpfulCount: Number(row.helpful_count),
});

const toHold = (r: any): HoldRecord => ({
  site: r.site, postId: r.post_id, topic: r.topic, authorId: r.author_id, reasons: JSON.parse(r.reasons), createdAt: r.created_at,
  status: r.status, decidedAt: r.decided_at, actionId: r.action_id,
});

const toNote = (r: any): ModeratorNoteRecord => ({
  id: r.id, site: r.site, userId: r.user_id, authorId: r.author_id, text: r.text, createdAt: r.created_at, logIndex: r.log_index ?? null,
});

const SQL = {
  addHold: `INSERT INTO post_holds (site, post_id, topic, author_id, reasons, created_at, status)
    VALUES (@site, @postId, @topic, @authorId, @reasons, @createdAt, 'held')`,
  getHold: 'SELECT * FROM post_holds WHERE site = ? AND post_id = ?',
  openHolds: `SELECT * FROM post_holds WHERE site = ? AND status = 'held' ORDER BY created_at, post_id LIMIT ?`,
  countOpen: `SELECT count(*) AS n FROM post_holds WHERE site = ? AND status = 'held'`,
  allHolds: 'SELECT status, reasons FROM post_holds WHERE site = ?',
  decideHold: `UPDATE post_holds SET status = ?, decided_at = ?, action_id = ? WHERE site = ? AND post_id = ? AND status = 'held'`,
  bumpTopicRev: 'UPDATE topics SET rev = rev + 1, post_count = post_count + ? WHERE site = ? AND id = ? RETURNING rev',
  releasePost: 'UPDATE posts SET held = 0, rev = ? WHERE site = ? AND id = ?',
  countPostsBy: 'SELECT count(*) AS n FROM posts WHERE site = ? AND author_id = ?',
  recentOfNew: `SELECT p.id, p.author_id, p.body, p.created_at FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.site = ? AND p.created_at >= ? AND u.created_at >= ? AND p.status = 'visible' AND u.kind = 'member'
    ORDER BY p.created_at DESC LIMIT ?`,
  addMark: `INSERT INTO helpful_marks (site, post_id, user_id, staff, name, company_name, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  getMark: 'SELECT staff FROM helpful_marks WHERE site = ? AND post_id = ? AND user_id = ?',
  deleteMark: 'DELETE FROM helpful_marks WHERE site = ? AND post_id = ? AND user_id = ?',
  moveCount: 'UPDATE posts SET helpful_count = helpful_count + ? WHERE site = ? AND id = ?',
  addNote: `INSERT INTO moderator_notes (id, site, user_id, author_id, text, created_at, log_index)
    VALUES (@id, @site, @userId, @authorId, @text, @createdAt, @logIndex)`,
  setNoteLog: 'UPDATE moderator_notes SET log_index = ? WHERE site = ? AND id = ?',
  notes: 'SELECT * FROM moderator_notes WHERE site = ? AND user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  getPin: 'SELECT * FROM topic_pins WHERE site = ? AND topic = ?',
  setPin: `INSERT INTO topic_pins (site, topic, post_id, action_id, pinned_by, pinned_at) VALUES (@site, @topic, @postId, @actionId, @pinnedBy, @pinnedAt)
    ON CONFLICT (site, topic) DO UPDATE SET post_id = excluded.post_id, action_id = excluded.action_id,
    pinned_by = excluded.pinned_by, pinned_at = excluded.pinned_at`,
  clearPin: 'DELETE FROM topic_pins WHERE site = ? AND topic = ?',
  postTopic: 'SELECT topic FROM posts WHERE site = ? AND id = ?',
  // The body change also empties the post's version history (trigger post_versions_erased).
  deletePost: `UPDATE posts SET status = 'removed', deleted_at = ?, body = '', html = '', rev = ? WHERE site = ? AND id = ?`,
};

export function spamStore(db: SqlDatabase): SpamStore {
  async function bumpTopic(site: string, topic: string, countDelta: number): Promise<number> {
    return (await db.get<{ rev: number }>(SQL.bumpTopicRev, [countDelta, site, topic]))!.rev;
  }

  return {
    async createHold(hold) {
      await db.run(SQL.addHold, { ...hold, reasons: JSON.stringify(hold.reasons) });
    },
    async getHold(site, postId) {
      const row = await db.get(SQL.getHold, [site, postId]);
      return row ? toHold(row) : null;
    },
    async holdsFor(site, postIds) {
      const out = new Map<string, HoldRecord>();
      for (let i = 0; i < postIds.length; i += IN_CHUNK) {
        const chunk = postIds.slice(i, i + IN_CHUNK);
        for (const row of await db.all(`SELECT * FROM post_holds WHERE site = ? AND post_id IN (${marks(chunk.length)})`, [site, ...chunk])) {
          out.set(row.post_id, toHold(row));
        }
      }
      return out;
    },
    async openHolds(site, limit) {
      return (await db.all(SQL.openHolds, [site, limit])).map(toHold);
    },
    async countOpenHolds(site) {
      return (await db.get<{ n: number }>(SQL.countOpen, [site]))!.n;
    },
    async holdFigures(site) {
      const figures = { held: 0, released: 0, removed: 0, byReason: {} as Record<string, number> };
      for (const row of await db.all<{ status: HoldRecord['status']; reasons: string }>(SQL.allHolds, [site])) {
        figures[row.status]++;
        for (const reason of JSON.parse(row.reasons) as Array<{ kind: string }>) figures.byReason[reason.kind] = (figures.byReason[reason.kind] ?? 0) + 1;
      }
      return figures;
    },
    releaseHold: (site, postId, actionId, at) => db.transaction(async () => {
      const changed = await db.run(SQL.decideHold, ['released', at, actionId, site, postId]);
      if (changed.changes === 0) return false;
      const row = await db.get<{ topic: string }>(SQL.postTopic, [site, postId]);
      const rev = await bumpTopic(site, row!.topic, 1);
      await db.run(SQL.releasePost, [rev, site, postId]);
      return true;
    }),
    async closeHold(site, postId, actionId, at) {
      await db.run(SQL.decideHold, ['removed', at, actionId, site, postId]);
    },
    async countPostsBy(site, authorId) {
      return (await db.get<{ n: number }>(SQL.countPostsBy, [site, authorId]))!.n;
    },
    async recentPostsOfNewAccounts(site, since, accountsSince, limit) {
      const rows = await db.all<{ id: string; author_id: string; body: string; created_at: string }>(SQL.recentOfNew, [site, since, accountsSince, limit]);
      return rows.map((r) => ({ id: r.id, authorId: r.author_id, body: r.body, createdAt: r.created_at }));
    },

    markHelpful: (site, postId, marker, at) => db.transaction(async () => {
      const added = await db.run(SQL.addMark, [site, postId, marker.userId, marker.staff ? 1 : 0, marker.name, marker.companyName, at]);
      if (added.changes === 0) return false;
      if (!marker.staff) await db.run(SQL.moveCount, [1, site, postId]);
      return true;
    }),
    unmarkHelpful: (site, postId, userId) => db.transaction(async () => {
      const mark = await db.get<{ staff: number }>(SQL.getMark, [site, postId, userId]);
      if (!mark) return false;
      await db.run(SQL.deleteMark, [site, postId, userId]);
      if (mark.staff !== 1) await db.run(SQL.moveCount, [-1, site, postId]);
      return true;
    }),
    async helpfulFor(site, postIds) {
      const out = new Map<string, HelpfulTally>();
      for (let i = 0; i < postIds.length; i += IN_CHUNK) {
        const chunk = postIds.slice(i, i + IN_CHUNK);
        const rows = await db.all<{ post_id: string; staff: number; name: string; company_name: string | null }>(
          `SELECT post_id, staff, name, company_name FROM helpful_marks WHERE site = ? AND post_id IN (${marks(chunk.length)}) ORDER BY created_at, user_id`,
          [site, ...chunk],
        );
        for (const row of rows) {
          const tally = out.get(row.post_id) ?? { count: 0, staff: [] };
          if (row.staff === 1) tally.staff.push({ name: row.name, companyName: row.company_name ?? '' });
          else tally.count++;
          out.set(row.post_id, tally);
        }
      }
      return out;
    },
    async markedBy(site, userId, postIds) {
      const out = new Set<string>();
      for (let i = 0; i < postIds.length; i += IN_CHUNK) {
        const chunk = postIds.slice(i, i + IN_CHUNK);
        const rows = await db.all<{ post_id: string }>(
          `SELECT post_id FROM helpful_marks WHERE site = ? AND user_id = ? AND post_id IN (${marks(chunk.length)})`, [site, userId, ...chunk],
        );
        for (const row of rows) out.add(row.post_id);
      }
      return out;
    },

    async addModeratorNote(note) {
      await db.run(SQL.addNote, { ...note });
    },
    async setModeratorNoteLogIndex(site, id, logIndex) {
      await db.run(SQL.setNoteLog, [logIndex, site, id]);
    },
    async moderatorNotes(site, userId, limit) {
      return (await db.all(SQL.notes, [site, userId, limit])).map(toNote);
    },

    async getPin(site, topic) {
      const row = await db.get(SQL.getPin, [site, topic]);
      return row ? { site: row.site, topic: row.topic, postId: row.post_id, actionId: row.action_id, pinnedBy: row.pinned_by, pinnedAt: row.pinned_at } satisfies PinRecord : null;
    },
    async setPin(pin) {
      await db.run(SQL.setPin, { ...pin });
    },
    async clearPin(site, topic) {
      await db.run(SQL.clearPin, [site, topic]);
    },

    deleteOwnPost: (site, postId, at) => db.transaction(async () => {
      const row = await db.get<{ topic: string }>(SQL.postTopic, [site, postId]);
      if (!row) return;
      const rev = await bumpTopic(site, row.topic, 0);
      await db.run(SQL.deletePost, [at, rev, site, postId]);
    }),

    async searchPosts(site, request) {
      const { sql, params } = searchSql(db, POST_COLUMNS, { site, ...request });
      const rows = await db.all(sql, params);
      return rows.map((row) => ({ post: toPost(row), topicTitle: row.topic_title ?? null, position: Number(row.position) }));
    },
  };
}
