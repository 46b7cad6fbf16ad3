/** SQLite implementation of PresenceStore: prepared statements over `posts`, read-only. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
import type { CompanyPostRow, MemberQuestionRow, PresenceStore } from '../presence-store.js';

// A member post: no staff badge and no verified-professional badge in the author snapshot.
const MEMBER = `json_extract(%.author_snapshot, '$.affiliation') IS NULL AND json_extract(%.author_snapshot, '$.professional') IS NULL`;
const member = (alias: string) => MEMBER.replaceAll('%', alias);
const ASKS = (alias: string) => `(instr(${alias}.body, '?') > 0 OR instr(${alias}.body, '？') > 0)`;
const COMPANY = (alias: string) => `json_extract(${alias}.author_snapshot, '$.affiliation.companyId')`;

export function sqlitePresenceStore(db: Database.Database): SyncOf<PresenceStore> {
  const q = {
    // Staff of the company (from the affiliations table, revoked ones included) narrow the scan to
    // their posts through the (site, author_id, idempotency_key) index; the badge on each post decides.
    companyPosts: db.prepare(`SELECT p.id, p.topic, p.parent, p.created_at,
        CASE WHEN p.parent IS NULL THEN 0 WHEN ${member('par')} THEN 1 ELSE 0 END AS to_member
      FROM posts p LEFT JOIN posts par ON par.id = p.parent
      WHERE p.site = @site AND p.author_id IN (SELECT user_id FROM affiliations WHERE site = @site AND company_id = @company)
        AND p.status = 'visible' AND ${COMPANY('p')} = @company
      ORDER BY p.created_at DESC LIMIT @limit`),
    // Replies sit in their parent's thread: from each company post (CROSS JOIN keeps that order), the
    // (site, topic, root, seq) index finds them rather than a scan of the whole site.
    repliesTo: db.prepare(`SELECT m.id, m.topic, m.parent, m.created_at
      FROM posts c CROSS JOIN posts m ON m.site = c.site AND m.topic = c.topic AND m.root = c.root AND m.parent = c.id
      WHERE c.site = @site AND c.author_id IN (SELECT user_id FROM affiliations WHERE site = @site AND company_id = @company)
        AND ${COMPANY('c')} = @company
        AND m.status = 'visible' AND m.created_at >= @since AND ${member('m')} AND ${ASKS('m')}
      ORDER BY m.created_at LIMIT @limit`),
    threadStarts: db.prepare(`SELECT m.id, m.topic, m.parent, m.created_at FROM posts m
      WHERE m.site = @site AND m.topic = @topic AND m.depth = 0 AND m.created_at > @after
        AND m.status = 'visible' AND ${member('m')} AND ${ASKS('m')}
      ORDER BY m.created_at LIMIT @limit`),
    watermark: db.prepare('SELECT coalesce(max(rowid), 0) AS w FROM posts'),
  };
  const toQuestion = (r: any): MemberQuestionRow => ({ id: r.id, topic: r.topic, parent: r.parent, createdAt: r.created_at });
  return {
    companyPosts(site, company, limit) {
      return (q.companyPosts.all({ site, company, limit }) as any[]).map((r): CompanyPostRow => ({
        id: r.id, topic: r.topic, parent: r.parent, createdAt: r.created_at, repliesToMember: r.to_member === 1,
      }));
    },
    memberQuestionsReplyingTo(site, company, since, limit) {
      return (q.repliesTo.all({ site, company, since, limit }) as any[]).map(toQuestion);
    },
    memberQuestionsStartingThreads(site, topic, after, limit) {
      return (q.threadStarts.all({ site, topic, after, limit }) as any[]).map(toQuestion);
    },
    postsWatermark() {
      return (q.watermark.get() as { w: number }).w;
    },
  };
}
