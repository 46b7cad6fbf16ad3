/** SQLite implementation of DeskStore (issue 14): questions, claims and pledges. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
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

export function sqliteDeskStore(db: Database.Database): SyncOf<DeskStore> {
  const q = {
    addQuestion: db.prepare(`INSERT OR IGNORE INTO questions (site, post_id, company_id, topic, asked_at, status)
      VALUES (@site, @postId, @companyId, @topic, @askedAt, 'open')`),
    getQuestion: db.prepare('SELECT * FROM questions WHERE site = ? AND post_id = ?'),
    openQuestions: db.prepare(`SELECT * FROM questions WHERE site = ? AND company_id = ? AND status = 'open' ORDER BY asked_at, post_id LIMIT ?`),
    forFigures: db.prepare(`SELECT * FROM questions WHERE site = ? AND company_id = ? AND (status = 'open' OR asked_at >= ?)`),
    answer: db.prepare(`UPDATE questions SET status = 'answered', answer_post_id = @postId, answer_author_id = @authorId,
      answer_author_name = @authorName, answer_job_title = @jobTitle, answer_company_name = @companyName, answered_at = @at
      WHERE site = @site AND post_id = @question AND status = 'open'`),
    outOfScope: db.prepare(`UPDATE questions SET status = 'out-of-scope', out_of_scope_reason = @reason, out_of_scope_by = @by,
      out_of_scope_at = @at, out_of_scope_log_index = @logIndex WHERE site = @site AND post_id = @question AND status = 'open'`),
    answeredBy: db.prepare(`SELECT post_id FROM questions WHERE site = ? AND answer_post_id = ? AND status = 'answered'`),
    reopen: db.prepare(`UPDATE questions SET status = 'open', answer_post_id = NULL, answer_author_id = NULL, answer_author_name = NULL,
      answer_job_title = NULL, answer_company_name = NULL, answered_at = NULL WHERE site = ? AND post_id = ? AND status = 'answered'`),
    postTopic: db.prepare('SELECT topic FROM posts WHERE site = ? AND id = ?'),
    bumpTopicRev: db.prepare('UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev'),
    setPostRev: db.prepare('UPDATE posts SET rev = ? WHERE site = ? AND id = ?'),
    dropClaim: db.prepare('DELETE FROM question_claims WHERE site = ? AND post_id = ?'),
    getClaim: db.prepare('SELECT * FROM question_claims WHERE site = ? AND post_id = ?'),
    setClaim: db.prepare(`INSERT OR REPLACE INTO question_claims (site, post_id, company_id, user_id, since, expires_at)
      VALUES (@site, @postId, @companyId, @userId, @since, @expiresAt)`),
    getPledge: db.prepare('SELECT * FROM company_pledges WHERE site = ? AND company_id = ? AND state = ?'),
    putPledge: db.prepare(`INSERT OR REPLACE INTO company_pledges (site, company_id, state, text, answer_within_days, proposed_by, proposed_at, approved_by, approved_at)
      VALUES (@site, @companyId, @state, @text, @answerWithinDays, @proposedBy, @proposedAt, @approvedBy, @approvedAt)`),
    dropPledge: db.prepare('DELETE FROM company_pledges WHERE site = ? AND company_id = ? AND state = ?'),
  };

  /** A status change shows on the post: bump its topic's rev and give the post that rev, so catch-up carries it. */
  function touch(site: string, postId: string): void {
    const row = q.postTopic.get(site, postId) as { topic: string } | undefined;
    if (!row) return;
    const { rev } = q.bumpTopicRev.get(site, row.topic) as { rev: number };
    q.setPostRev.run(rev, site, postId);
  }

  const byIds = <T>(stmtSql: string, ids: readonly string[], site: string, map: (r: any) => T, key: (t: T) => string): Map<string, T> => {
    const out = new Map<string, T>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const rows = db.prepare(`${stmtSql} WHERE site = ? AND post_id IN (${chunk.map(() => '?').join(',')})`).all(site, ...chunk);
      for (const r of rows) { const t = map(r); out.set(key(t), t); }
    }
    return out;
  };

  return {
    addQuestion(question) {
      q.addQuestion.run(question);
    },
    getQuestion(site, postId) {
      const r = q.getQuestion.get(site, postId);
      return r ? toQuestion(r) : null;
    },
    questionsFor(site, postIds) {
      return byIds('SELECT * FROM questions', postIds, site, toQuestion, (x) => x.postId);
    },
    openQuestions(site, companyId, limit) {
      return (q.openQuestions.all(site, companyId, limit) as any[]).map(toQuestion);
    },
    questionsForFigures(site, companyId, sinceIso) {
      return (q.forFigures.all(site, companyId, sinceIso) as any[]).map(toQuestion);
    },
    answerQuestion: db.transaction((site: string, postId: string, answer: NonNullable<QuestionRecord['answer']>) => {
      const changed = q.answer.run({ site, question: postId, ...answer }).changes === 1;
      if (changed) {
        q.dropClaim.run(site, postId);
        touch(site, postId);
      }
      return changed;
    }),
    reopenQuestionsAnsweredBy: db.transaction((site: string, answerPostId: string) => {
      const ids = (q.answeredBy.all(site, answerPostId) as Array<{ post_id: string }>).map((r) => r.post_id);
      for (const id of ids) {
        q.reopen.run(site, id);
        touch(site, id);
      }
      return ids;
    }),
    markOutOfScope: db.transaction((site: string, postId: string, decision: NonNullable<QuestionRecord['outOfScope']>) => {
      const changed = q.outOfScope.run({ site, question: postId, ...decision }).changes === 1;
      if (changed) {
        q.dropClaim.run(site, postId);
        touch(site, postId);
      }
      return changed;
    }),
    getClaim(site, postId) {
      const r = q.getClaim.get(site, postId);
      return r ? toClaim(r) : null;
    },
    claimsFor(site, postIds) {
      return byIds('SELECT * FROM question_claims', postIds, site, toClaim, (x) => x.postId);
    },
    setClaim(claim) {
      q.setClaim.run(claim);
    },
    deleteClaim(site, postId) {
      q.dropClaim.run(site, postId);
    },
    getPledge(site, companyId, state) {
      const r = q.getPledge.get(site, companyId, state);
      return r ? toPledge(r) : null;
    },
    proposePledge(pledge) {
      q.putPledge.run(pledge);
    },
    approvePledge: db.transaction((site: string, companyId: string, by: string, at: string) => {
      const pending = q.getPledge.get(site, companyId, 'pending');
      if (!pending) return false;
      q.dropPledge.run(site, companyId, 'pending');
      q.putPledge.run({ ...toPledge(pending), state: 'approved', approvedBy: by, approvedAt: at });
      return true;
    }),
    rejectPledge(site, companyId) {
      return q.dropPledge.run(site, companyId, 'pending').changes === 1;
    },
    memberPostsNaming(site, names, limit) {
      const terms = [...new Set(names.map((n) => n.toLowerCase()).filter((n) => n.length >= 2))].slice(0, 100);
      if (terms.length === 0) return [];
      const sql = `SELECT p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id, p.author_snapshot,
          p.body, p.html, p.created_at, p.edited_at, p.status, u.display_name AS author_name, u.kind AS author_kind,
          u.lookalike AS author_lookalike FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.site = ? AND p.status = 'visible'
          AND json_extract(p.author_snapshot, '$.affiliation') IS NULL
          AND (${terms.map(() => 'instr(lower(p.body), ?) > 0').join(' OR ')})
        ORDER BY p.created_at DESC, p.rowid DESC LIMIT ?`;
      return (db.prepare(sql).all(site, ...terms, limit) as any[]).map(toPost);
    },
  };
}
