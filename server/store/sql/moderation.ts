/** ModerationStore on SqlDatabase: SQL shared by SQLite and PostgreSQL, one transaction per method. */
import type { SqlDatabase } from './database.js';
import type { ModerationAction } from '../../../moderation/actions.js';
import type { Rule } from '../../../moderation/rules.js';
import type {
  ActionEffects, ActionRecord, AppealRecord, ModerationStore, NoticeRecord, ReportRecord,
} from '../moderation-store.js';
import type { PostRecord } from '../store.js';

const toRule = (r: any): Rule => ({
  id: r.id, version: r.version, title: r.title, text: r.text, examples: JSON.parse(r.examples), kind: r.kind,
  category: r.category, keywords: JSON.parse(r.keywords), effectiveFrom: r.effective_from, retired: r.retired === 1,
  changeNote: r.change_note,
});
const toReport = (r: any): ReportRecord => ({
  id: r.id, site: r.site, postId: r.post_id, topic: r.topic, reporterId: r.reporter_id, source: r.source, detector: r.detector,
  ground: r.ground, ruleId: r.rule_id, ruleVersion: r.rule_version, explanation: r.explanation, note: r.note,
  createdAt: r.created_at, status: r.status, decidedAt: r.decided_at, decidedBy: r.decided_by,
  decisionActionId: r.decision_action_id, unfounded: r.unfounded === 1,
});
const toAction = (r: any): ActionRecord => ({
  seq: r.seq, id: r.id, site: r.site, type: r.type, target: { kind: r.target_kind, id: r.target_id }, postId: r.post_id,
  topic: r.topic, subjectUserId: r.subject_user_id, ruleId: r.rule_id, ruleVersion: r.rule_version, reason: r.reason,
  labelText: r.label_text, endsAt: r.ends_at, reverses: r.reverses, reportIds: JSON.parse(r.report_ids), appealId: r.appeal_id,
  moderatorId: r.moderator_id, automatedDetection: r.automated_detection === 1, createdAt: r.created_at,
  statement: r.statement ? JSON.parse(r.statement) : null, reversedBy: r.reversed_by ?? null,
});
const toAppeal = (r: any): AppealRecord => ({
  id: r.id, site: r.site, actionId: r.action_id, reportId: r.report_id, appellantId: r.appellant_id, info: r.info,
  createdAt: r.created_at, status: r.status, decidedBy: r.decided_by, decidedAt: r.decided_at, decisionReason: r.decision_reason,
  reversalActionId: r.reversal_action_id, unfounded: r.unfounded === 1,
});
const toNotice = (r: any): NoticeRecord => ({
  id: r.id, site: r.site, userId: r.user_id, kind: r.kind, actionId: r.action_id, reportId: r.report_id, appealId: r.appeal_id,
  subject: r.subject, body: JSON.parse(r.body), createdAt: r.created_at, emailed: r.emailed === 1,
});
const toPost = (row: any): PostRecord => ({
  id: row.id, site: row.site, topic: row.topic, parent: row.parent, root: row.root, depth: row.depth, seq: row.seq, rev: row.rev,
  authorId: row.author_id, authorName: row.author_name, authorKind: row.author_kind, authorLookalike: row.author_lookalike === 1, ...(row.author_imported ? { authorImported: true } : {}),
  authorSnapshot: JSON.parse(row.author_snapshot), body: row.body, html: row.html, createdAt: row.created_at,
  editedAt: row.edited_at, status: row.status,
});

const ACTION_SELECT = `SELECT a.*, s.statement, r.id AS reversed_by FROM moderation_actions a
  LEFT JOIN statements_of_reasons s ON s.action_id = a.id
  LEFT JOIN moderation_actions r ON r.reverses = a.id`;
const POST_SELECT = `SELECT p.id, p.site, p.topic, p.parent, p.root, p.depth, p.seq, p.rev, p.author_id, p.author_snapshot,
  p.body, p.html, p.created_at, p.edited_at, p.status, u.display_name AS author_name, u.kind AS author_kind,
  u.lookalike AS author_lookalike, u.imported_from AS author_imported FROM posts p JOIN users u ON u.id = p.author_id`;

const SQL = {
  ruleVersions: 'SELECT * FROM rules WHERE site = ? ORDER BY id, version',
  addRule: `INSERT INTO rules (site, id, version, title, text, examples, kind, category, keywords, effective_from, retired, change_note, changed_by)
    VALUES (@site, @id, @version, @title, @text, @examples, @kind, @category, @keywords, @effectiveFrom, @retired, @changeNote, @changedBy)`,
  addReport: `INSERT INTO reports (id, site, post_id, topic, reporter_id, source, detector, ground, rule_id, rule_version, explanation, note, created_at, status)
    VALUES (@id, @site, @postId, @topic, @reporterId, @source, @detector, @ground, @ruleId, @ruleVersion, @explanation, @note, @createdAt, 'open')`,
  getReport: 'SELECT * FROM reports WHERE site = ? AND id = ?',
  allReports: 'SELECT * FROM reports WHERE site = ? ORDER BY created_at',
  resolveReport: `UPDATE reports SET status = ?, decided_at = ?, decided_by = ?, decision_action_id = ?, unfounded = ?
    WHERE site = ? AND id = ? AND status = 'open'`,
  reopenReport: `UPDATE reports SET status = 'open', decided_at = NULL, decided_by = NULL, decision_action_id = NULL, unfounded = 0
    WHERE site = ? AND id = ?`,
  addAction: `INSERT INTO moderation_actions (id, site, type, target_kind, target_id, post_id, topic, subject_user_id, rule_id,
    rule_version, reason, label_text, ends_at, reverses, report_ids, appeal_id, moderator_id, automated_detection, created_at)
    VALUES (@id, @site, @type, @targetKind, @targetId, @postId, @topic, @subjectUserId, @ruleId, @ruleVersion, @reason, @labelText,
    @endsAt, @reverses, @reportIds, @appealId, @moderatorId, @automatedDetection, @createdAt)`,
  addStatement: 'INSERT INTO statements_of_reasons (puid, site, action_id, statement, created_at) VALUES (?, ?, ?, ?, ?)',
  getAction: `${ACTION_SELECT} WHERE a.site = ? AND a.id = ?`,
  setPostStatus: 'UPDATE posts SET status = ? WHERE site = ? AND id = ?',
  setLocked: 'UPDATE topics SET locked = ?, rev = rev + 1 WHERE site = ? AND id = ?',
  postTopic: 'SELECT topic FROM posts WHERE site = ? AND id = ?',
  bumpTopicRev: 'UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev',
  setPostRev: 'UPDATE posts SET rev = ? WHERE site = ? AND id = ?',
  addAppeal: `INSERT INTO appeals (id, site, action_id, report_id, appellant_id, info, created_at, status)
    VALUES (@id, @site, @actionId, @reportId, @appellantId, @info, @createdAt, 'open')`,
  getAppeal: 'SELECT * FROM appeals WHERE site = ? AND id = ?',
  allAppeals: 'SELECT * FROM appeals WHERE site = ? ORDER BY created_at',
  decideAppeal: `UPDATE appeals SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, reversal_action_id = ?, unfounded = ?
    WHERE site = ? AND id = ? AND status = 'open'`,
  addNotice: `INSERT INTO notices (id, site, user_id, kind, action_id, report_id, appeal_id, subject, body, created_at, emailed)
    VALUES (@id, @site, @userId, @kind, @actionId, @reportId, @appealId, @subject, @body, @createdAt, @emailed)`,
  noticeEmailed: 'UPDATE notices SET emailed = 1 WHERE id = ?',
  getNotice: 'SELECT * FROM notices WHERE id = ?',
  // rowid: the PostgreSQL schema gives notices a real `rowid` column for this tie-break.
  listNotices: 'SELECT * FROM notices WHERE site = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  getNumber: 'SELECT number FROM moderator_pseudonyms WHERE site = ? AND user_id = ?',
  nextNumber: 'SELECT coalesce(max(number), 0) + 1 AS n FROM moderator_pseudonyms WHERE site = ?',
  addNumber: 'INSERT INTO moderator_pseudonyms (site, user_id, number) VALUES (?, ?, ?)',
  // The subquery needs its alias on PostgreSQL.
  countModerators: `SELECT count(*) AS n FROM (
    SELECT user_id FROM site_roles WHERE site = ? AND role IN ('moderator','admin')
    UNION SELECT moderator_id FROM moderation_actions WHERE site = ? AND moderator_id != 'system') AS people`,
  addStrike: 'INSERT INTO misuse_strikes (site, user_id, kind, ref_id, created_at) VALUES (?, ?, ?, ?, ?)',
  countStrikes: 'SELECT count(*) AS n FROM misuse_strikes WHERE site = ? AND user_id = ? AND created_at > ?',
  setLogRef: `INSERT INTO moderation_log_refs (site, ref_kind, ref_id, log_index) VALUES (?, ?, ?, ?)
    ON CONFLICT (site, ref_kind, ref_id) DO UPDATE SET log_index = excluded.log_index`,
  recentPosts: `${POST_SELECT} WHERE p.site = ? AND p.author_id = ? ORDER BY p.created_at DESC LIMIT ?`,
  getPost: `${POST_SELECT} WHERE p.site = ? AND p.id = ?`,
};

function chunks<T>(items: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function moderationStore(db: SqlDatabase): ModerationStore {
  async function touch(site: string, postIds: string[]): Promise<void> {
    for (const id of new Set(postIds)) {
      const row = await db.get<{ topic: string }>(SQL.postTopic, [site, id]);
      if (!row) continue;
      const { rev } = (await db.get<{ rev: number }>(SQL.bumpTopicRev, [site, row.topic]))!;
      await db.run(SQL.setPostRev, [rev, site, id]);
    }
  }

  async function insertAction(action: ModerationAction, effects: ActionEffects): Promise<ActionRecord> {
    await db.run(SQL.addAction, {
      id: action.id, site: action.site, type: action.type, targetKind: action.target.kind, targetId: action.target.id,
      postId: action.postId, topic: action.topic, subjectUserId: action.subjectUserId, ruleId: action.ruleId,
      ruleVersion: action.ruleVersion, reason: action.reason, labelText: action.labelText, endsAt: action.endsAt,
      reverses: action.reverses, reportIds: JSON.stringify(action.reportIds), appealId: action.appealId,
      moderatorId: action.moderatorId, automatedDetection: action.automatedDetection ? 1 : 0, createdAt: action.createdAt,
    });
    if (action.statement) await db.run(SQL.addStatement, [action.statement.puid, action.site, action.id, JSON.stringify(action.statement), action.createdAt]);
    if (effects.postStatus) await db.run(SQL.setPostStatus, [effects.postStatus.status, action.site, effects.postStatus.postId]);
    if (effects.topicLock) await db.run(SQL.setLocked, [effects.topicLock.locked ? 1 : 0, action.site, effects.topicLock.topic]);
    if (effects.resolveReports) {
      for (const id of effects.resolveReports.ids) {
        await db.run(SQL.resolveReport, [effects.resolveReports.status, action.createdAt, action.moderatorId, action.id,
          effects.resolveReports.unfounded ? 1 : 0, action.site, id]);
      }
    }
    if (effects.reopenReport) await db.run(SQL.reopenReport, [action.site, effects.reopenReport]);
    await touch(action.site, effects.touchPosts ?? []);
    return toAction(await db.get(SQL.getAction, [action.site, action.id]));
  }

  return {
    async listRuleVersions(site) {
      return (await db.all(SQL.ruleVersions, [site])).map(toRule);
    },
    async addRuleVersions(site, rules, changedBy) {
      await db.transaction(async () => {
        for (const rule of rules) {
          await db.run(SQL.addRule, {
            site, id: rule.id, version: rule.version, title: rule.title, text: rule.text, examples: JSON.stringify(rule.examples),
            kind: rule.kind, category: rule.category, keywords: JSON.stringify(rule.keywords), effectiveFrom: rule.effectiveFrom,
            retired: rule.retired ? 1 : 0, changeNote: rule.changeNote, changedBy,
          });
        }
      });
    },
    async createReport(report) {
      await db.run(SQL.addReport, report as unknown as Record<string, unknown>);
    },
    async getReport(site, id) {
      const row = await db.get(SQL.getReport, [site, id]);
      return row ? toReport(row) : null;
    },
    async listReports(site, filter) {
      const where = ['site = ?'];
      const args: unknown[] = [site];
      if (filter.status) (where.push('status = ?'), args.push(filter.status));
      if (filter.reporterId) (where.push('reporter_id = ?'), args.push(filter.reporterId));
      if (filter.postId) (where.push('post_id = ?'), args.push(filter.postId));
      const order = filter.reporterId ? 'created_at DESC' : 'created_at ASC';
      return (await db.all(`SELECT * FROM reports WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, [...args, filter.limit ?? 500]))
        .map(toReport);
    },
    async allReports(site) {
      return (await db.all(SQL.allReports, [site])).map(toReport);
    },
    recordAction(action, effects) {
      return db.transaction(() => insertAction(action, effects));
    },
    async getAction(site, id) {
      const row = await db.get(SQL.getAction, [site, id]);
      return row ? toAction(row) : null;
    },
    async listActions(site, filter) {
      const where = ['a.site = ?', 'a.seq > ?'];
      const args: unknown[] = [site, filter.afterSeq ?? 0];
      if (filter.targetKind) (where.push('a.target_kind = ?'), args.push(filter.targetKind));
      if (filter.targetId) (where.push('a.target_id = ?'), args.push(filter.targetId));
      if (filter.subjectUserId) (where.push('a.subject_user_id = ?'), args.push(filter.subjectUserId));
      if (filter.types?.length) (where.push(`a.type IN (${filter.types.map(() => '?').join(',')})`), args.push(...filter.types));
      // Only add LIMIT when asked: with it, SQLite walks the seq order instead of the filter's
      // index, which made this per-post check ~8× slower on an empty table.
      if (filter.limit === undefined) return (await db.all(`${ACTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.seq`, args)).map(toAction);
      return (await db.all(`${ACTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.seq LIMIT ?`, [...args, filter.limit])).map(toAction);
    },
    async actionsForPosts(site, postIds) {
      const out: ActionRecord[] = [];
      for (const part of chunks([...new Set(postIds)])) {
        if (part.length === 0) continue;
        out.push(...(await db.all(`${ACTION_SELECT} WHERE a.site = ? AND a.post_id IN (${part.map(() => '?').join(',')}) ORDER BY a.seq`,
          [site, ...part])).map(toAction));
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
    async createAppeal(appeal, touchPosts) {
      await db.transaction(async () => {
        await db.run(SQL.addAppeal, appeal as unknown as Record<string, unknown>);
        await touch(appeal.site, touchPosts);
      });
    },
    async getAppeal(site, id) {
      const row = await db.get(SQL.getAppeal, [site, id]);
      return row ? toAppeal(row) : null;
    },
    async listAppeals(site, filter) {
      return (await db.all(SQL.allAppeals, [site])).map(toAppeal).filter((a) =>
        (!filter.status || a.status === filter.status) &&
        (!filter.appellantId || a.appellantId === filter.appellantId) &&
        (!filter.actionIds || (a.actionId !== null && filter.actionIds.includes(a.actionId))) &&
        (!filter.reportId || a.reportId === filter.reportId));
    },
    decideAppeal(site, id, decision, reversal, touchPosts) {
      return db.transaction(async () => {
        const reversalRecord = reversal ? await insertAction(reversal.action, reversal.effects) : null;
        const changed = (await db.run(SQL.decideAppeal, [decision.status, decision.decidedBy, decision.decidedAt, decision.reason,
          reversalRecord?.id ?? null, decision.unfounded ? 1 : 0, site, id])).changes;
        if (changed === 0) throw new Error('appeal already decided');
        await touch(site, touchPosts);
        return { appeal: toAppeal(await db.get(SQL.getAppeal, [site, id])), reversal: reversalRecord };
      });
    },
    async createNotice(notice) {
      await db.run(SQL.addNotice, { ...notice, body: JSON.stringify(notice.body), emailed: notice.emailed ? 1 : 0 });
    },
    async markNoticeEmailed(id) {
      await db.run(SQL.noticeEmailed, [id]);
    },
    async getNotice(id) {
      const row = await db.get(SQL.getNotice, [id]);
      return row ? toNotice(row) : null;
    },
    async listNotices(site, userId, limit) {
      return (await db.all(SQL.listNotices, [site, userId, limit])).map(toNotice);
    },
    moderatorNumber(site, userId) {
      // Read, then assign the next number: one transaction, so two first uses cannot take the same one.
      return db.transaction(async () => {
        const found = await db.get<{ number: number }>(SQL.getNumber, [site, userId]);
        if (found) return found.number;
        const { n } = (await db.get<{ n: number }>(SQL.nextNumber, [site]))!;
        await db.run(SQL.addNumber, [site, userId, n]);
        return n;
      });
    },
    async countModerators(site) {
      return (await db.get<{ n: number }>(SQL.countModerators, [site, site]))!.n;
    },
    async addMisuseStrike(site, userId, kind, refId, at) {
      await db.run(SQL.addStrike, [site, userId, kind, refId, at]);
    },
    async countMisuseStrikes(site, userId, sinceIso) {
      return (await db.get<{ n: number }>(SQL.countStrikes, [site, userId, sinceIso]))!.n;
    },
    async setLogRef(site, kind, id, index) {
      await db.run(SQL.setLogRef, [site, kind, id, index]);
    },
    async getLogRefs(site, kind, ids) {
      const refs = new Map<string, number>();
      for (const part of chunks([...new Set(ids)])) {
        if (part.length === 0) continue;
        const rows = await db.all<{ ref_id: string; log_index: number }>(
          `SELECT ref_id, log_index FROM moderation_log_refs WHERE site = ? AND ref_kind = ? AND ref_id IN (${part.map(() => '?').join(',')})`,
          [site, kind, ...part]);
        for (const r of rows) refs.set(r.ref_id, r.log_index);
      }
      return refs;
    },
    async recentPostsBy(site, userId, limit) {
      return (await db.all(SQL.recentPosts, [site, userId, limit])).map(toPost);
    },
    async ancestorsOf(site, postId) {
      const out: PostRecord[] = [];
      let current = await db.get(SQL.getPost, [site, postId]);
      while (current?.parent && out.length < 10) {
        current = await db.get(SQL.getPost, [site, current.parent]);
        if (current) out.unshift(toPost(current));
      }
      return out;
    },
  };
}
