/** SQLite implementation of ModerationStore: prepared statements, one transaction per method. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
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

function chunks<T>(items: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function sqliteModerationStore(db: Database.Database): SyncOf<ModerationStore> {
  // Queries built from a filter are prepared once per shape and reused.
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (prepared.size < 500) prepared.set(sql, statement);
    }
    return statement;
  };
  const q = {
    ruleVersions: db.prepare('SELECT * FROM rules WHERE site = ? ORDER BY id, version'),
    addRule: db.prepare(`INSERT INTO rules (site, id, version, title, text, examples, kind, category, keywords, effective_from, retired, change_note, changed_by)
      VALUES (@site, @id, @version, @title, @text, @examples, @kind, @category, @keywords, @effectiveFrom, @retired, @changeNote, @changedBy)`),
    addReport: db.prepare(`INSERT INTO reports (id, site, post_id, topic, reporter_id, source, detector, ground, rule_id, rule_version, explanation, note, created_at, status)
      VALUES (@id, @site, @postId, @topic, @reporterId, @source, @detector, @ground, @ruleId, @ruleVersion, @explanation, @note, @createdAt, 'open')`),
    getReport: db.prepare('SELECT * FROM reports WHERE site = ? AND id = ?'),
    allReports: db.prepare('SELECT * FROM reports WHERE site = ? ORDER BY created_at'),
    resolveReport: db.prepare(`UPDATE reports SET status = ?, decided_at = ?, decided_by = ?, decision_action_id = ?, unfounded = ?
      WHERE site = ? AND id = ? AND status = 'open'`),
    reopenReport: db.prepare(`UPDATE reports SET status = 'open', decided_at = NULL, decided_by = NULL, decision_action_id = NULL, unfounded = 0
      WHERE site = ? AND id = ?`),
    addAction: db.prepare(`INSERT INTO moderation_actions (id, site, type, target_kind, target_id, post_id, topic, subject_user_id, rule_id,
      rule_version, reason, label_text, ends_at, reverses, report_ids, appeal_id, moderator_id, automated_detection, created_at)
      VALUES (@id, @site, @type, @targetKind, @targetId, @postId, @topic, @subjectUserId, @ruleId, @ruleVersion, @reason, @labelText,
      @endsAt, @reverses, @reportIds, @appealId, @moderatorId, @automatedDetection, @createdAt)`),
    addStatement: db.prepare('INSERT INTO statements_of_reasons (puid, site, action_id, statement, created_at) VALUES (?, ?, ?, ?, ?)'),
    getAction: db.prepare(`${ACTION_SELECT} WHERE a.site = ? AND a.id = ?`),
    setPostStatus: db.prepare('UPDATE posts SET status = ? WHERE site = ? AND id = ?'),
    setLocked: db.prepare('UPDATE topics SET locked = ?, rev = rev + 1 WHERE site = ? AND id = ?'),
    postTopic: db.prepare('SELECT topic FROM posts WHERE site = ? AND id = ?'),
    bumpTopicRev: db.prepare('UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev'),
    setPostRev: db.prepare('UPDATE posts SET rev = ? WHERE site = ? AND id = ?'),
    addAppeal: db.prepare(`INSERT INTO appeals (id, site, action_id, report_id, appellant_id, info, created_at, status)
      VALUES (@id, @site, @actionId, @reportId, @appellantId, @info, @createdAt, 'open')`),
    getAppeal: db.prepare('SELECT * FROM appeals WHERE site = ? AND id = ?'),
    allAppeals: db.prepare('SELECT * FROM appeals WHERE site = ? ORDER BY created_at'),
    decideAppeal: db.prepare(`UPDATE appeals SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, reversal_action_id = ?, unfounded = ?
      WHERE site = ? AND id = ? AND status = 'open'`),
    addNotice: db.prepare(`INSERT INTO notices (id, site, user_id, kind, action_id, report_id, appeal_id, subject, body, created_at, emailed)
      VALUES (@id, @site, @userId, @kind, @actionId, @reportId, @appealId, @subject, @body, @createdAt, @emailed)`),
    noticeEmailed: db.prepare('UPDATE notices SET emailed = 1 WHERE id = ?'),
    getNotice: db.prepare('SELECT * FROM notices WHERE id = ?'),
    listNotices: db.prepare('SELECT * FROM notices WHERE site = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
    getNumber: db.prepare('SELECT number FROM moderator_pseudonyms WHERE site = ? AND user_id = ?'),
    nextNumber: db.prepare('SELECT coalesce(max(number), 0) + 1 AS n FROM moderator_pseudonyms WHERE site = ?'),
    addNumber: db.prepare('INSERT INTO moderator_pseudonyms (site, user_id, number) VALUES (?, ?, ?)'),
    countModerators: db.prepare(`SELECT count(*) AS n FROM (
      SELECT user_id FROM site_roles WHERE site = ? AND role IN ('moderator','admin')
      UNION SELECT moderator_id FROM moderation_actions WHERE site = ? AND moderator_id != 'system')`),
    addStrike: db.prepare('INSERT INTO misuse_strikes (site, user_id, kind, ref_id, created_at) VALUES (?, ?, ?, ?, ?)'),
    countStrikes: db.prepare('SELECT count(*) AS n FROM misuse_strikes WHERE site = ? AND user_id = ? AND created_at > ?'),
    setLogRef: db.prepare('INSERT OR REPLACE INTO moderation_log_refs (site, ref_kind, ref_id, log_index) VALUES (?, ?, ?, ?)'),
    recentPosts: db.prepare(`${POST_SELECT} WHERE p.site = ? AND p.author_id = ? ORDER BY p.created_at DESC LIMIT ?`),
    getPost: db.prepare(`${POST_SELECT} WHERE p.site = ? AND p.id = ?`),
  };

  function touch(site: string, postIds: string[]): void {
    for (const id of new Set(postIds)) {
      const row = q.postTopic.get(site, id) as { topic: string } | undefined;
      if (!row) continue;
      const { rev } = q.bumpTopicRev.get(site, row.topic) as { rev: number };
      q.setPostRev.run(rev, site, id);
    }
  }

  function insertAction(action: ModerationAction, effects: ActionEffects): ActionRecord {
    q.addAction.run({
      id: action.id, site: action.site, type: action.type, targetKind: action.target.kind, targetId: action.target.id,
      postId: action.postId, topic: action.topic, subjectUserId: action.subjectUserId, ruleId: action.ruleId,
      ruleVersion: action.ruleVersion, reason: action.reason, labelText: action.labelText, endsAt: action.endsAt,
      reverses: action.reverses, reportIds: JSON.stringify(action.reportIds), appealId: action.appealId,
      moderatorId: action.moderatorId, automatedDetection: action.automatedDetection ? 1 : 0, createdAt: action.createdAt,
    });
    if (action.statement) q.addStatement.run(action.statement.puid, action.site, action.id, JSON.stringify(action.statement), action.createdAt);
    if (effects.postStatus) q.setPostStatus.run(effects.postStatus.status, action.site, effects.postStatus.postId);
    if (effects.topicLock) q.setLocked.run(effects.topicLock.locked ? 1 : 0, action.site, effects.topicLock.topic);
    if (effects.resolveReports) {
      for (const id of effects.resolveReports.ids) {
        q.resolveReport.run(effects.resolveReports.status, action.createdAt, action.moderatorId, action.id,
          effects.resolveReports.unfounded ? 1 : 0, action.site, id);
      }
    }
    if (effects.reopenReport) q.reopenReport.run(action.site, effects.reopenReport);
    touch(action.site, effects.touchPosts ?? []);
    return toAction(q.getAction.get(action.site, action.id));
  }

  const recordActionTx = db.transaction(insertAction);

  return {
    listRuleVersions(site) {
      return q.ruleVersions.all(site).map(toRule);
    },
    addRuleVersions: db.transaction((site: string, rules: Rule[], changedBy: string) => {
      for (const rule of rules) {
        q.addRule.run({
          site, id: rule.id, version: rule.version, title: rule.title, text: rule.text, examples: JSON.stringify(rule.examples),
          kind: rule.kind, category: rule.category, keywords: JSON.stringify(rule.keywords), effectiveFrom: rule.effectiveFrom,
          retired: rule.retired ? 1 : 0, changeNote: rule.changeNote, changedBy,
        });
      }
    }) as SyncOf<ModerationStore>['addRuleVersions'],
    createReport(report) {
      q.addReport.run(report);
    },
    getReport(site, id) {
      const row = q.getReport.get(site, id);
      return row ? toReport(row) : null;
    },
    listReports(site, filter) {
      const where = ['site = ?'];
      const args: unknown[] = [site];
      if (filter.status) (where.push('status = ?'), args.push(filter.status));
      if (filter.reporterId) (where.push('reporter_id = ?'), args.push(filter.reporterId));
      if (filter.postId) (where.push('post_id = ?'), args.push(filter.postId));
      const order = filter.reporterId ? 'created_at DESC' : 'created_at ASC';
      return prepare(`SELECT * FROM reports WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`)
        .all(...args, filter.limit ?? 500).map(toReport);
    },
    allReports(site) {
      return q.allReports.all(site).map(toReport);
    },
    recordAction(action, effects) {
      return recordActionTx.immediate(action, effects);
    },
    getAction(site, id) {
      const row = q.getAction.get(site, id);
      return row ? toAction(row) : null;
    },
    listActions(site, filter) {
      const where = ['a.site = ?', 'a.seq > ?'];
      const args: unknown[] = [site, filter.afterSeq ?? 0];
      if (filter.targetKind) (where.push('a.target_kind = ?'), args.push(filter.targetKind));
      if (filter.targetId) (where.push('a.target_id = ?'), args.push(filter.targetId));
      if (filter.subjectUserId) (where.push('a.subject_user_id = ?'), args.push(filter.subjectUserId));
      if (filter.types?.length) (where.push(`a.type IN (${filter.types.map(() => '?').join(',')})`), args.push(...filter.types));
      // Only add LIMIT when asked: with it, SQLite walks the seq order instead of the filter's
      // index, which made this per-post check ~8× slower on an empty table.
      if (filter.limit === undefined) return prepare(`${ACTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.seq`).all(...args).map(toAction);
      return prepare(`${ACTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.seq LIMIT ?`).all(...args, filter.limit).map(toAction);
    },
    actionsForPosts(site, postIds) {
      const out: ActionRecord[] = [];
      for (const part of chunks([...new Set(postIds)])) {
        if (part.length === 0) continue;
        out.push(...prepare(`${ACTION_SELECT} WHERE a.site = ? AND a.post_id IN (${part.map(() => '?').join(',')}) ORDER BY a.seq`)
          .all(site, ...part).map(toAction));
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
    createAppeal: db.transaction((appeal: AppealRecord, touchPosts: string[]) => {
      q.addAppeal.run(appeal);
      touch(appeal.site, touchPosts);
    }) as SyncOf<ModerationStore>['createAppeal'],
    getAppeal(site, id) {
      const row = q.getAppeal.get(site, id);
      return row ? toAppeal(row) : null;
    },
    listAppeals(site, filter) {
      return q.allAppeals.all(site).map(toAppeal).filter((a) =>
        (!filter.status || a.status === filter.status) &&
        (!filter.appellantId || a.appellantId === filter.appellantId) &&
        (!filter.actionIds || (a.actionId !== null && filter.actionIds.includes(a.actionId))) &&
        (!filter.reportId || a.reportId === filter.reportId));
    },
    decideAppeal: db.transaction((site: string, id: string, decision: any, reversal: { action: ModerationAction; effects: ActionEffects } | null, touchPosts: string[]) => {
      const reversalRecord = reversal ? insertAction(reversal.action, reversal.effects) : null;
      const changed = q.decideAppeal.run(decision.status, decision.decidedBy, decision.decidedAt, decision.reason,
        reversalRecord?.id ?? null, decision.unfounded ? 1 : 0, site, id).changes;
      if (changed === 0) throw new Error('appeal already decided');
      touch(site, touchPosts);
      return { appeal: toAppeal(q.getAppeal.get(site, id)), reversal: reversalRecord };
    }) as SyncOf<ModerationStore>['decideAppeal'],
    createNotice(notice) {
      q.addNotice.run({ ...notice, body: JSON.stringify(notice.body), emailed: notice.emailed ? 1 : 0 });
    },
    markNoticeEmailed(id) {
      q.noticeEmailed.run(id);
    },
    getNotice(id) {
      const row = q.getNotice.get(id);
      return row ? toNotice(row) : null;
    },
    listNotices(site, userId, limit) {
      return q.listNotices.all(site, userId, limit).map(toNotice);
    },
    moderatorNumber: db.transaction((site: string, userId: string) => {
      const found = q.getNumber.get(site, userId) as { number: number } | undefined;
      if (found) return found.number;
      const { n } = q.nextNumber.get(site) as { n: number };
      q.addNumber.run(site, userId, n);
      return n;
    }) as SyncOf<ModerationStore>['moderatorNumber'],
    countModerators(site) {
      return (q.countModerators.get(site, site) as { n: number }).n;
    },
    addMisuseStrike(site, userId, kind, refId, at) {
      q.addStrike.run(site, userId, kind, refId, at);
    },
    countMisuseStrikes(site, userId, sinceIso) {
      return (q.countStrikes.get(site, userId, sinceIso) as { n: number }).n;
    },
    setLogRef(site, kind, id, index) {
      q.setLogRef.run(site, kind, id, index);
    },
    getLogRefs(site, kind, ids) {
      const refs = new Map<string, number>();
      for (const part of chunks([...new Set(ids)])) {
        if (part.length === 0) continue;
        const rows = prepare(`SELECT ref_id, log_index FROM moderation_log_refs WHERE site = ? AND ref_kind = ? AND ref_id IN (${part.map(() => '?').join(',')})`)
          .all(site, kind, ...part) as { ref_id: string; log_index: number }[];
        for (const r of rows) refs.set(r.ref_id, r.log_index);
      }
      return refs;
    },
    recentPostsBy(site, userId, limit) {
      return q.recentPosts.all(site, userId, limit).map(toPost);
    },
    ancestorsOf(site, postId) {
      const out: PostRecord[] = [];
      let current = q.getPost.get(site, postId) as any;
      while (current?.parent && out.length < 10) {
        current = q.getPost.get(site, current.parent);
        if (current) out.unshift(toPost(current));
      }
      return out;
    },
  };
}
