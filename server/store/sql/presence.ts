/**
 * PresenceStore over SqlDatabase: reads over `posts`, read-only. The badge tests on the author
 * snapshot (a JSON text) are made in TypeScript, since SQLite and PostgreSQL spell JSON access
 * differently: SQL narrows the rows, `isMember` / `companyOf` decide, and the limit applies after.
 */
import type { SqlDatabase } from './database.js';
import type { CompanyPostRow, MemberQuestionRow, PresenceStore } from '../presence-store.js';

// A member post: no staff badge and no verified-professional badge in the author snapshot
// (as in SQL's json_extract, a missing snapshot has neither).
const isMember = (snapshot: string | null): boolean => {
  const s = snapshot === null ? null : JSON.parse(snapshot);
  return s?.affiliation == null && s?.professional == null;
};
const companyOf = (snapshot: string | null): unknown => (snapshot === null ? null : JSON.parse(snapshot)?.affiliation?.companyId ?? null);
const ASKS = (alias: string) => `(${alias}.body LIKE '%?%' OR ${alias}.body LIKE '%？%')`;

const q = {
  // Staff of the company (from the affiliations table, revoked ones included) narrow the scan to
  // their posts through the (site, author_id, idempotency_key) index; the badge on each post decides.
  companyPosts: `SELECT p.id, p.topic, p.parent, p.created_at, p.author_snapshot, par.author_snapshot AS parent_snapshot
      FROM posts p LEFT JOIN posts par ON par.id = p.parent
      WHERE p.site = @site AND p.author_id IN (SELECT user_id FROM affiliations WHERE site = @site AND company_id = @company)
        AND p.status = 'visible'
      ORDER BY p.created_at DESC`,
  // Replies sit in their parent's thread: from each company post (CROSS JOIN keeps that order in
  // SQLite), the (site, topic, root, seq) index finds them rather than a scan of the whole site.
  // The join condition is in WHERE: PostgreSQL takes no ON after CROSS JOIN.
  repliesTo: `SELECT m.id, m.topic, m.parent, m.created_at, m.author_snapshot, c.author_snapshot AS parent_snapshot
      FROM posts c CROSS JOIN posts m
      WHERE m.site = c.site AND m.topic = c.topic AND m.root = c.root AND m.parent = c.id
        AND c.site = @site AND c.author_id IN (SELECT user_id FROM affiliations WHERE site = @site AND company_id = @company)
        AND m.status = 'visible' AND m.created_at >= @since AND ${ASKS('m')}
      ORDER BY m.created_at`,
  threadStarts: `SELECT m.id, m.topic, m.parent, m.created_at, m.author_snapshot FROM posts m
      WHERE m.site = @site AND m.topic = @topic AND m.depth = 0 AND m.created_at > @after
        AND m.status = 'visible' AND ${ASKS('m')}
      ORDER BY m.created_at`,
  watermark: 'SELECT coalesce(max(rowid), 0) AS w FROM posts',
};

export function presenceStore(db: SqlDatabase): PresenceStore {
  const toQuestion = (r: any): MemberQuestionRow => ({ id: r.id, topic: r.topic, parent: r.parent, createdAt: r.created_at });
  return {
    async companyPosts(site, company, limit) {
      const rows = await db.all(q.companyPosts, { site, company });
      return rows.filter((r) => companyOf(r.author_snapshot) === company).slice(0, limit).map((r): CompanyPostRow => ({
        id: r.id, topic: r.topic, parent: r.parent, createdAt: r.created_at,
        repliesToMember: r.parent !== null && isMember(r.parent_snapshot),
      }));
    },
    async memberQuestionsReplyingTo(site, company, since, limit) {
      const rows = await db.all(q.repliesTo, { site, company, since });
      return rows.filter((r) => companyOf(r.parent_snapshot) === company && isMember(r.author_snapshot)).slice(0, limit).map(toQuestion);
    },
    async memberQuestionsStartingThreads(site, topic, after, limit) {
      const rows = await db.all(q.threadStarts, { site, topic, after });
      return rows.filter((r) => isMember(r.author_snapshot)).slice(0, limit).map(toQuestion);
    },
    async postsWatermark() {
      return (await db.get<{ w: number }>(q.watermark))!.w;
    },
  };
}
