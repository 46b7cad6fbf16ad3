/** DeskStore on SqlDatabase (issue 14): questions, claims and pledges, in SQL shared by SQLite and PostgreSQL. */
import type { SqlDatabase } from './database.js';
import { forUpdate } from './dialect.js';
import type { ClaimRecord, DeskStore, PledgeRecord, QuestionRecord } from '../desk-store.js';
import type { PostRecord } from '../store.js';

const toQuestion = (r: any): QuestionRecord => ({
  site: r.site, postId: r.post_id, companyId: r.company_id, topic: r.topic, askedAt: r.asked_at, status: r.status,
  answer: r.answer_post_id
    ? { postId: r.answer_post_id, authorId: r.answer_author_id, authorName: r.answer_author_name, jobTitle: r.answer_job_title, companyName: r.answer_company_name, at: r.answered_at }
    : null,
  outOfScope: r.out_of_scope_at
    ? { reason: r.out_of_scope_reason, by: r.out_of_scope_by, at: r.out_of_scope_at, logIndex: r.out_of_scope_log_index ?? null }
    : null,
});
const toClaim = (r: any): ClaimRecord => ({ site: r.site, postId: r.post_id, companyId: r.company_id, userId: r.user_id, since: r.since, expiresAt: r.expires_at });
const toPledge = (r: any): PledgeRecord => ({
  site: r.site, companyId: r.company_id, state: r.state, text: r.text, answerWithinDays: r.answer_within_days,
  proposedBy: r.proposed_by, proposedAt: r.proposed_at, approvedBy: r.approved_by, approvedAt: r.approved_at,
});
const toPost = (row: any): PostRecord => ({
  id: row.id, site: row.site, topic: row.topic, parent: row.parent, root: row.root, depth: row.depth, seq: row.seq, rev: row.rev,
  authorId: row.author_id, authorName: row.author_name, authorKind: row.author_kind, authorLookalike: row.author_lookalike === 1,
  authorSnapshot: JSON.parse(row.author_snapshot), body: row.body, html: row.html, createdAt: row.created_at,
  editedAt: row.edited_at, status: row.status,
});

const SQL = {
  addQuestion: `INSERT INTO questions (site, post_id, company_id, topic, asked_at, status)
    VALUES (@site, @postId, @companyId, @topic, @askedAt, 'open') ON CONFLICT DO NOTHING`,
  getQuestion: 'SELECT * FROM questions WHERE site = ? AND post_id = ?',
  // A question in a post held for review (issue 16) reaches the company only once it is released.
  openQuestions: `SELECT * FROM questions WHERE site = ? AND company_id = ? AND status = 'open'
    AND post_id NOT IN (SELECT h.post_id FROM post_holds h WHERE h.site = questions.site AND h.status <> 'released') ORDER BY asked_at, post_id LIMIT ?`,
  forFigures: `SELECT * FROM questions WHERE site = ? AND company_id = ? AND (status = 'open' OR asked_at >= ?)
    AND post_id NOT IN (SELECT h.post_id FROM post_holds h WHERE h.site = questions.site AND h.status <> 'released')`,
  answer: `UPDATE questions SET status = 'answered', answer_post_id = @postId, answer_author_id = @authorId,
    answer_author_name = @authorName, answer_job_title = @jobTitle, answer_company_name = @companyName, answered_at = @at
    WHERE site = @site AND post_id = @question AND status = 'open'`,
  outOfScope: `UPDATE questions SET status = 'out-of-scope', out_of_scope_reason = @reason, out_of_scope_by = @by,
    out_of_scope_at = @at, out_of_scope_log_index = @logIndex WHERE site = @site AND post_id = @question AND status = 'open'`,
  answeredBy: `SELECT post_id FROM questions WHERE site = ? AND answer_post_id = ? AND status = 'answered'`,
  reopen: `UPDATE questions SET status = 'open', answer_post_id = NULL, answer_author_id = NULL, answer_author_name = NULL,
    answer_job_title = NULL, answer_company_name = NULL, answered_at = NULL WHERE site = ? AND post_id = ? AND status = 'answered'`,
  postTopic: 'SELECT topic FROM posts WHERE site = ? AND id = ?',
  bumpTopicRev: 'UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev',
  setPostRev: 'UPDATE posts SET rev = ? WHERE site = ? AND id = ?',
  dropClaim: 'DELETE FROM question_claims WHERE site = ? AND post_id = ?',
  getClaim: 'SELECT * FROM question_claims WHERE site = ? AND post_id = ?',
  setClaim: `INSERT INTO question_claims (site, post_id, company_id, user_id, since, expires_at)
    VALUES (@site, @postId, @companyId, @userId, @since, @expiresAt)
    ON CONFLICT (site, post_id) DO UPDATE SET company_id = excluded.company_id, user_id = excluded.user_id,
      since = excluded.since, expires_at = excluded.expires_at`,
  getPledge: 'SELECT * FROM company_pledges WHERE site = ? AND company_id = ? AND state = ?',
  putPledge: `INSERT INTO company_pledges (site, company_id, state, text, answer_within_days, proposed_by, proposed_at, approved_by, approved_at)
    VALUES (@site, @companyId, @state, @text, @answerWithinDays, @proposedBy, @proposedAt, @approvedBy, @approvedAt)
    ON CONFLICT (site, company_id, state) DO UPDATE SET text = excluded.text, answer_within_days = excluded.answer_within_days,
      proposed_by = excluded.proposed_by, proposed_at = excluded.proposed_at, approved_by = excluded.approved_by,
      approved_at = excluded.approved_at`,
  dropPledge: 'DELETE FROM company_pledges WHERE site = ? AND company_id = ? AND state = ?',
  memberPosts: `SELECT p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id, p.author_snapshot,
      p.body, p.html, p.created_at, p.edited_at, p.status, u.display_name AS author_name, u.kind AS author_kind,
      u.lookalike AS author_lookalike, p.rowid AS position FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.site = ? AND p.status = 'visible' AND p.held = 0`,
};

/** `%term%` for LIKE … ESCAPE '\', the term's own `%`, `_` and `\` taken literally. */
const containing = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function deskStore(db: SqlDatabase): DeskStore {
  /** A status change shows on the post: bump its topic's rev and give the post that rev, so catch-up carries it. */
  async function touch(site: string, postId: string): Promise<void> {
    const row = await db.get<{ topic: string }>(SQL.postTopic, [site, postId]);
    if (!row) return;
    const { rev } = (await db.get<{ rev: number }>(SQL.bumpTopicRev, [site, row.topic]))!;
    await db.run(SQL.setPostRev, [rev, site, postId]);
  }

  const byIds = async <T>(stmtSql: string, ids: readonly string[], site: string, map: (r: any) => T, key: (t: T) => string): Promise<Map<string, T>> => {
    const out = new Map<string, T>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const rows = await db.all(`${stmtSql} WHERE site = ? AND post_id IN (${chunk.map(() => '?').join(',')})`, [site, ...chunk]);
      for (const r of rows) { const t = map(r); out.set(key(t), t); }
    }
    return out;
  };

  // The pending pledge is read, then replaced: on PostgreSQL the read locks it.
  const pendingPledge = `${SQL.getPledge}${forUpdate(db)}`;

  return {
    async addQuestion(question) {
      await db.run(SQL.addQuestion, { ...question });
    },
    async getQuestion(site, postId) {
      const r = await db.get(SQL.getQuestion, [site, postId]);
      return r ? toQuestion(r) : null;
    },
    questionsFor(site, postIds) {
      return byIds('SELECT * FROM questions', postIds, site, toQuestion, (x) => x.postId);
    },
    async openQuestions(site, companyId, limit) {
      return (await db.all(SQL.openQuestions, [site, companyId, limit])).map(toQuestion);
    },
    async questionsForFigures(site, companyId, sinceIso) {
      return (await db.all(SQL.forFigures, [site, companyId, sinceIso])).map(toQuestion);
    },
    answerQuestion(site, postId, answer) {
      return db.transaction(async () => {
        const changed = (await db.run(SQL.answer, { site, question: postId, ...answer })).changes === 1;
        if (changed) {
          await db.run(SQL.dropClaim, [site, postId]);
          await touch(site, postId);
        }
        return changed;
      });
    },
    reopenQuestionsAnsweredBy(site, answerPostId) {
      return db.transaction(async () => {
        const ids = (await db.all<{ post_id: string }>(SQL.answeredBy, [site, answerPostId])).map((r) => r.post_id);
        for (const id of ids) {
          await db.run(SQL.reopen, [site, id]);
          await touch(site, id);
        }
        return ids;
      });
    },
    markOutOfScope(site, postId, decision) {
      return db.transaction(async () => {
        const changed = (await db.run(SQL.outOfScope, { site, question: postId, ...decision })).changes === 1;
        if (changed) {
          await db.run(SQL.dropClaim, [site, postId]);
          await touch(site, postId);
        }
        return changed;
      });
    },
    async getClaim(site, postId) {
      const r = await db.get(SQL.getClaim, [site, postId]);
      return r ? toClaim(r) : null;
    },
    claimsFor(site, postIds) {
      return byIds('SELECT * FROM question_claims', postIds, site, toClaim, (x) => x.postId);
    },
    async setClaim(claim) {
      await db.run(SQL.setClaim, { ...claim });
    },
    async deleteClaim(site, postId) {
      await db.run(SQL.dropClaim, [site, postId]);
    },
    async getPledge(site, companyId, state) {
      const r = await db.get(SQL.getPledge, [site, companyId, state]);
      return r ? toPledge(r) : null;
    },
    async proposePledge(pledge) {
      await db.run(SQL.putPledge, { ...pledge });
    },
    approvePledge(site, companyId, by, at) {
      return db.transaction(async () => {
        const pending = await db.get(pendingPledge, [site, companyId, 'pending']);
        if (!pending) return false;
        await db.run(SQL.dropPledge, [site, companyId, 'pending']);
        await db.run(SQL.putPledge, { ...toPledge(pending), state: 'approved', approvedBy: by, approvedAt: at });
        return true;
      });
    },
    async rejectPledge(site, companyId) {
      return (await db.run(SQL.dropPledge, [site, companyId, 'pending'])).changes === 1;
    },
    async memberPostsNaming(site, names, limit) {
      const terms = [...new Set(names.map((n) => n.toLowerCase()).filter((n) => n.length >= 2))].slice(0, 100);
      if (terms.length === 0 || limit <= 0) return [];
      // Substring match as LIKE (instr is SQLite's own). A post by someone with a staff badge
      // (an affiliation in the author snapshot) is skipped here rather than in SQL, which has no
      // JSON function common to both databases: candidates come newest first, a page at a time,
      // until `limit` member posts are found.
      const matches = `(${terms.map(() => "lower(p.body) LIKE ? ESCAPE '\\'").join(' OR ')})`;
      const patterns = terms.map(containing);
      const page = Math.max(2 * limit, 50);
      const out: PostRecord[] = [];
      let after: { at: string; position: number } | null = null;
      for (;;) {
        const rows: any[] = after
          ? await db.all(`${SQL.memberPosts} AND ${matches} AND (p.created_at < ? OR (p.created_at = ? AND p.rowid < ?))
            ORDER BY p.created_at DESC, p.rowid DESC LIMIT ?`, [site, ...patterns, after.at, after.at, after.position, page])
          : await db.all(`${SQL.memberPosts} AND ${matches} ORDER BY p.created_at DESC, p.rowid DESC LIMIT ?`, [site, ...patterns, page]);
        for (const row of rows) {
          if (JSON.parse(row.author_snapshot).affiliation != null) continue;
          out.push(toPost(row));
          if (out.length === limit) return out;
        }
        if (rows.length < page) return out;
        const last = rows[rows.length - 1];
        after = { at: last.created_at, position: last.position };
      }
    },
  };
}
