/** NotifyStore on SqlDatabase (issue 13): preferences, follows, seen markers, the queue and what was sent. */
import type { NotificationKind, NotificationPreferences } from '../../../moderation/notification-schemas.js';
import type { SqlDatabase } from './database.js';
import { forUpdateSkipLocked } from './dialect.js';
import {
  moderationDigestSettingKey,
  type NotificationEventRecord, type NotificationItem, type NotificationJob, type NotificationMessageRecord,
  type NotificationPreferencesRecord, type NotifyStore,
} from '../notify-store.js';

const IN_CHUNK = 500;
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Preference columns by kind (the one-click unsubscribe turns one of them off). */
const COLUMN: Record<NotificationKind, string> = {
  replies: 'replies', mentions: 'mentions', followed: 'followed', answers: 'answers', digest: 'digest',
  deskQuestions: 'desk_questions', moderationDigest: 'moderation_digest',
};

const toPreferences = (r: any): NotificationPreferencesRecord => ({
  site: r.site, userId: r.user_id,
  replies: r.replies === 1, mentions: r.mentions === 1, followed: r.followed === 1, answers: r.answers === 1,
  digest: r.digest, deskQuestions: r.desk_questions === 1, moderationDigest: r.moderation_digest === 1,
  language: r.language, confirmedEmail: r.confirmed_email, confirmationSentAt: r.confirmation_sent_at,
  bouncedEmail: r.bounced_email, bouncedAt: r.bounced_at, lastSentAt: r.last_sent_at, lastDigestAt: r.last_digest_at,
  updatedAt: r.updated_at,
});
const toMessage = (r: any): NotificationMessageRecord => ({
  id: r.id, site: r.site, userId: r.user_id, kinds: JSON.parse(r.kinds), postIds: JSON.parse(r.post_ids), sentAt: r.sent_at,
  outboxId: r.outbox_id ?? null, status: r.status,
});

const ALL_OFF = `replies = 0, mentions = 0, followed = 0, answers = 0, digest = 'off', desk_questions = 0, moderation_digest = 0`;

const SQL = {
  getSetting: 'SELECT value FROM site_settings WHERE site = ? AND key = ?',
  deleteSetting: 'DELETE FROM site_settings WHERE site = ? AND key = ?',
  getPreferences: 'SELECT * FROM notification_preferences WHERE site = ? AND user_id = ?',
  savePreferences: `INSERT INTO notification_preferences (site, user_id, replies, mentions, followed, answers, digest,
      desk_questions, moderation_digest, language, updated_at)
    VALUES (@site, @userId, @replies, @mentions, @followed, @answers, @digest, @deskQuestions, @moderationDigest, @language, @at)
    ON CONFLICT (site, user_id) DO UPDATE SET replies = excluded.replies, mentions = excluded.mentions,
      followed = excluded.followed, answers = excluded.answers, digest = excluded.digest,
      desk_questions = excluded.desk_questions, moderation_digest = excluded.moderation_digest,
      language = coalesce(excluded.language, notification_preferences.language), updated_at = excluded.updated_at`,
  confirmationSent: 'UPDATE notification_preferences SET confirmation_sent_at = ? WHERE site = ? AND user_id = ?',
  confirm: 'UPDATE notification_preferences SET confirmed_email = ?, updated_at = ? WHERE site = ? AND user_id = ?',
  bouncedUsers: `SELECT p.user_id FROM notification_preferences p JOIN users u ON u.id = p.user_id
    WHERE p.site = ? AND lower(u.email) = lower(?)`,
  bounce: `UPDATE notification_preferences SET ${ALL_OFF}, bounced_email = ?, bounced_at = ?, updated_at = ? WHERE site = ? AND user_id = ?`,
  clearBounce: 'UPDATE notification_preferences SET bounced_email = NULL, bounced_at = NULL WHERE site = ? AND user_id = ?',
  event: 'INSERT INTO notification_events (site, user_id, at, event, kind) VALUES (?, ?, ?, ?, ?)',
  follow: `INSERT INTO topic_follows (site, topic, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  unfollow: 'DELETE FROM topic_follows WHERE site = ? AND topic = ? AND user_id = ?',
  isFollowing: 'SELECT 1 AS yes FROM topic_follows WHERE site = ? AND topic = ? AND user_id = ?',
  followersFirst: 'SELECT user_id FROM topic_follows WHERE site = ? AND topic = ? ORDER BY user_id LIMIT ?',
  followersAfter: 'SELECT user_id FROM topic_follows WHERE site = ? AND topic = ? AND user_id > ? ORDER BY user_id LIMIT ?',
  setPage: `INSERT INTO topic_pages (site, topic, page_url, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (site, topic) DO UPDATE SET page_url = excluded.page_url, updated_at = excluded.updated_at`,
  getPage: 'SELECT page_url FROM topic_pages WHERE site = ? AND topic = ?',
  getSeen: 'SELECT last_post_id, seen_at FROM seen_markers WHERE site = ? AND topic = ? AND user_id = ?',
  // Forward only: a marker for an older post (another tab, a late request) never moves it back.
  setSeen: `INSERT INTO seen_markers (site, topic, user_id, last_post_id, seen_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (site, topic, user_id) DO UPDATE SET last_post_id = excluded.last_post_id, seen_at = excluded.seen_at
    WHERE excluded.seen_at > seen_markers.seen_at`,
  repliesSince: `SELECT p.id, p.parent, p.created_at, u.display_name AS author_name,
      CASE WHEN parent.author_id = @userId THEN 'reply' ELSE 'mention' END AS reason
    FROM posts p JOIN users u ON u.id = p.author_id LEFT JOIN posts parent ON parent.id = p.parent
    WHERE p.site = @site AND p.topic = @topic AND p.created_at > @since AND p.status = 'visible' AND p.author_id <> @userId
      AND (parent.author_id = @userId OR p.body LIKE @mention ESCAPE '\\')
      -- Blocking (issue 13): nothing by someone the member blocked counts, except a reply by company staff.
      AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.site = p.site AND b.user_id = @userId AND b.blocked_id = p.author_id
        AND NOT (u.kind = 'staff' AND coalesce(parent.author_id, '') = @userId))
    ORDER BY p.created_at, p.id LIMIT @limit`,
  topicPeople: `SELECT u.id, u.display_name FROM users u
    WHERE u.site = @site AND u.kind <> 'deleted' AND lower(u.display_name) LIKE lower(@like) ESCAPE '\\'
      AND EXISTS (SELECT 1 FROM posts p WHERE p.site = @site AND p.topic = @topic AND p.author_id = u.id AND p.status = 'visible')
    ORDER BY lower(u.display_name), u.id LIMIT @limit`,
  enqueue: 'INSERT INTO notification_jobs (site, kind, post_id, created_at) VALUES (?, ?, ?, ?)',
  finishJob: 'DELETE FROM notification_jobs WHERE id = ?',
  // Whose next message is due: single messages once the window since the last one passed, digests
  // a day or a week after the last digest (or after the oldest waiting item, before the first).
  // Read from the preferences (`waiting_since`), never by grouping the waiting items.
  peopleDue: `SELECT user_id FROM notification_preferences
    WHERE site = @site AND waiting_since IS NOT NULL AND (
      (digest = 'off' AND (last_sent_at IS NULL OR last_sent_at <= @window))
      OR (digest = 'daily' AND coalesce(last_digest_at, waiting_since) <= @daily)
      OR (digest = 'weekly' AND coalesce(last_digest_at, waiting_since) <= @weekly))
    ORDER BY waiting_since, user_id LIMIT @limit`,
  // Since when the oldest item still waiting for the person was written (NULL: nothing waits).
  refreshWaiting: `UPDATE notification_preferences SET waiting_since = (SELECT min(i.created_at) FROM notification_items i
      WHERE i.site = notification_preferences.site AND i.user_id = notification_preferences.user_id AND i.message_id IS NULL)
    WHERE site = ? AND user_id = ?`,
  waitingItems: `SELECT * FROM notification_items WHERE site = ? AND user_id = ? AND message_id IS NULL ORDER BY created_at, id`,
  addMessage: `INSERT INTO notification_messages (id, site, user_id, kinds, post_ids, sent_at, outbox_id, status)
    VALUES (@id, @site, @userId, @kinds, @postIds, @sentAt, @outboxId, @status)`,
  messageStatus: 'UPDATE notification_messages SET status = ?, outbox_id = coalesce(?, outbox_id) WHERE id = ?',
  lastSent: 'UPDATE notification_preferences SET last_sent_at = ? WHERE site = ? AND user_id = ?',
  lastDigest: 'UPDATE notification_preferences SET last_digest_at = ? WHERE site = ? AND user_id = ?',
  follows: 'SELECT topic, created_at FROM topic_follows WHERE site = ? AND user_id = ? ORDER BY created_at, topic',
  messages: 'SELECT * FROM notification_messages WHERE site = ? AND user_id = ? ORDER BY sent_at, id',
  events: 'SELECT site, user_id, at, event, kind FROM notification_events WHERE site = ? AND user_id = ? ORDER BY id',
};

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Lost the race for a person's items to another worker: the transaction is undone. */
class ItemsTaken extends Error {}

export function notifyStore(db: SqlDatabase): NotifyStore {
  return {
    async getNotificationPreferences(site, userId) {
      const row = await db.get(SQL.getPreferences, [site, userId]);
      return row ? toPreferences(row) : null;
    },
    async saveNotificationPreferences(site, userId, p: NotificationPreferences, language, at) {
      await db.run(SQL.savePreferences, {
        site, userId, replies: p.replies ? 1 : 0, mentions: p.mentions ? 1 : 0, followed: p.followed ? 1 : 0,
        answers: p.answers ? 1 : 0, digest: p.digest, deskQuestions: p.deskQuestions ? 1 : 0,
        moderationDigest: p.moderationDigest ? 1 : 0, language, at,
      });
    },
    async turnOffNotifications(site, userId, kind, at) {
      const set = kind === 'all' ? ALL_OFF : kind === 'digest' ? `digest = 'off'` : `${COLUMN[kind]} = 0`;
      await db.run(`UPDATE notification_preferences SET ${set}, updated_at = ? WHERE site = ? AND user_id = ?`, [at, site, userId]);
    },
    async markConfirmationSent(site, userId, at) {
      await db.run(SQL.confirmationSent, [at, site, userId]);
    },
    async confirmNotificationAddress(site, userId, email, at) {
      await db.run(SQL.confirm, [email, at, site, userId]);
    },
    recordBounce: (site, email, at) => db.transaction(async () => {
      const ids = (await db.all<{ user_id: string }>(SQL.bouncedUsers, [site, email])).map((r) => r.user_id);
      for (const id of ids) await db.run(SQL.bounce, [email, at, at, site, id]);
      return ids;
    }),
    async clearBounce(site, userId) {
      await db.run(SQL.clearBounce, [site, userId]);
    },
    async recordNotificationEvent(e: NotificationEventRecord) {
      await db.run(SQL.event, [e.site, e.userId, e.at, e.event, e.kind]);
    },

    async setFollow(site, topic, userId, following, at) {
      if (following) await db.run(SQL.follow, [site, topic, userId, at]);
      else await db.run(SQL.unfollow, [site, topic, userId]);
    },
    async isFollowing(site, topic, userId) {
      return (await db.get(SQL.isFollowing, [site, topic, userId])) !== undefined;
    },
    async listFollowers(site, topic, afterUserId, limit) {
      const rows = afterUserId === null
        ? await db.all<{ user_id: string }>(SQL.followersFirst, [site, topic, limit])
        : await db.all<{ user_id: string }>(SQL.followersAfter, [site, topic, afterUserId, limit]);
      return rows.map((r) => r.user_id);
    },
    async setTopicPageUrl(site, topic, pageUrl, at) {
      await db.run(SQL.setPage, [site, topic, pageUrl, at]);
    },
    async getTopicPageUrl(site, topic) {
      return (await db.get<{ page_url: string }>(SQL.getPage, [site, topic]))?.page_url ?? null;
    },

    async getSeenMarker(site, topic, userId) {
      const row = await db.get<{ last_post_id: string; seen_at: string }>(SQL.getSeen, [site, topic, userId]);
      return row ? { lastPostId: row.last_post_id, seenAt: row.seen_at } : null;
    },
    async setSeenMarker(site, topic, userId, marker) {
      await db.run(SQL.setSeen, [site, topic, userId, marker.lastPostId, marker.seenAt]);
    },
    async repliesSince(site, topic, userId, since, limit) {
      const rows = await db.all(SQL.repliesSince, { site, topic, userId, since, limit, mention: `%(user:${likeEscape(userId)})%` });
      return rows.map((r) => ({ postId: r.id, parentId: r.parent, authorName: r.author_name, at: r.created_at, reason: r.reason }));
    },
    async topicPeople(site, topic, query, limit) {
      const rows = await db.all(SQL.topicPeople, { site, topic, like: `%${likeEscape(query)}%`, limit });
      return rows.map((r) => ({ userId: r.id, displayName: r.display_name }));
    },

    async enqueueNotificationJob(job) {
      await db.run(SQL.enqueue, [job.site, job.kind, job.postId, job.createdAt]);
    },
    claimNotificationJobs: (now, leaseUntil, limit) => db.transaction(async () => {
      const rows = await db.all(
        `SELECT id, site, kind, post_id, created_at FROM notification_jobs WHERE claimed_until IS NULL OR claimed_until < ?
          ORDER BY id LIMIT ?${forUpdateSkipLocked(db)}`,
        [now, limit],
      );
      if (rows.length === 0) return [];
      await db.run(`UPDATE notification_jobs SET claimed_until = ? WHERE id IN (${marks(rows.length)})`, [leaseUntil, ...rows.map((r) => r.id)]);
      return rows.map((r): NotificationJob => ({ id: Number(r.id), site: r.site, kind: r.kind, postId: r.post_id, createdAt: r.created_at }));
    }),
    async finishNotificationJob(id) {
      await db.run(SQL.finishJob, [id]);
    },
    async dropNotificationJobs(site) {
      await db.run('DELETE FROM notification_jobs WHERE site = ?', [site]);
    },
    addNotificationItems: (items: NotificationItem[]) => db.transaction(async () => {
      // Six values a row; a company's answer outranks "a reply" for the same post, if not yet sent: chunks stay far below either database's parameter limit.
      for (let i = 0; i < items.length; i += IN_CHUNK) {
        const chunk = items.slice(i, i + IN_CHUNK);
        await db.run(
          `INSERT INTO notification_items (site, user_id, kind, post_id, topic, created_at)
            VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
            ON CONFLICT (site, user_id, post_id) DO UPDATE SET kind = excluded.kind
            WHERE excluded.kind = 'answers' AND notification_items.message_id IS NULL`,
          chunk.flatMap((it) => [it.site, it.userId, it.kind, it.postId, it.topic, it.createdAt]),
        );
        const bySite = new Map<string, { users: string[]; oldest: string }>();
        for (const it of chunk) {
          const entry = bySite.get(it.site) ?? { users: [], oldest: it.createdAt };
          entry.users.push(it.userId);
          if (it.createdAt < entry.oldest) entry.oldest = it.createdAt;
          bySite.set(it.site, entry);
        }
        for (const [site, { users, oldest }] of bySite) {
          await db.run(
            `UPDATE notification_preferences SET waiting_since = CASE WHEN waiting_since IS NULL OR waiting_since > ? THEN ? ELSE waiting_since END
              WHERE site = ? AND user_id IN (${marks(users.length)})`,
            [oldest, oldest, site, ...users],
          );
        }
      }
    }),
    async waitingItems(site, userId) {
      return (await db.all(SQL.waitingItems, [site, userId])).map((r) => ({
        id: Number(r.id), site: r.site, userId: r.user_id, kind: r.kind, postId: r.post_id, topic: r.topic, createdAt: r.created_at,
      }));
    },
    async recordNotificationMessage(message, itemIds, digest) {
      try {
        await db.transaction(async () => {
          let taken = 0;
          for (let i = 0; i < itemIds.length; i += IN_CHUNK) {
            const chunk = itemIds.slice(i, i + IN_CHUNK);
            taken += (await db.run(`UPDATE notification_items SET message_id = ? WHERE id IN (${marks(chunk.length)}) AND message_id IS NULL`, [message.id, ...chunk])).changes;
          }
          if (taken !== itemIds.length) throw new ItemsTaken();
          await db.run(SQL.addMessage, {
            ...message, kinds: JSON.stringify(message.kinds), postIds: JSON.stringify(message.postIds),
          });
          await db.run(digest ? SQL.lastDigest : SQL.lastSent, [message.sentAt, message.site, message.userId]);
          await db.run(SQL.refreshWaiting, [message.site, message.userId]);
        });
        return true;
      } catch (error) {
        if (error instanceof ItemsTaken) return false;
        throw error;
      }
    },
    async setNotificationMessageStatus(id, status, outboxId) {
      await db.run(SQL.messageStatus, [status, outboxId, id]);
    },
    releaseNotificationItems: (messageId) => db.transaction(async () => {
      const owner = await db.get('SELECT site, user_id FROM notification_messages WHERE id = ?', [messageId]);
      await db.run('UPDATE notification_items SET message_id = NULL WHERE message_id = ?', [messageId]);
      if (owner) await db.run(SQL.refreshWaiting, [owner.site, owner.user_id]);
    }),
    discardNotificationItems: (site, userId, ids) => db.transaction(async () => {
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        await db.run(`DELETE FROM notification_items WHERE id IN (${marks(chunk.length)})`, chunk);
      }
      await db.run(SQL.refreshWaiting, [site, userId]);
    }),
    async peopleDue(site, cutoffs, limit) {
      const rows = await db.all(SQL.peopleDue, { site, ...cutoffs, limit });
      return rows.map((r) => r.user_id as string);
    },
    async preferencesOf(site, userIds) {
      const out: NotificationPreferencesRecord[] = [];
      for (let i = 0; i < userIds.length; i += IN_CHUNK) {
        const chunk = userIds.slice(i, i + IN_CHUNK);
        out.push(...(await db.all(`SELECT * FROM notification_preferences WHERE site = ? AND user_id IN (${marks(chunk.length)})`, [site, ...chunk])).map(toPreferences));
      }
      return out;
    },

    async exportNotifications(site, userId) {
      const [preferences, follows, messages, events, digestAt] = await Promise.all([
        db.get(SQL.getPreferences, [site, userId]),
        db.all(SQL.follows, [site, userId]),
        db.all(SQL.messages, [site, userId]),
        db.all(SQL.events, [site, userId]),
        db.get<{ value: string }>(SQL.getSetting, [site, moderationDigestSettingKey(userId)]),
      ]);
      return {
        preferences: preferences ? toPreferences(preferences) : null,
        moderationDigestSentAt: digestAt?.value ?? null,
        follows: follows.map((f) => ({ topic: f.topic, since: f.created_at })),
        messages: messages.map(toMessage),
        events: events.map((e) => ({ site: e.site, userId: e.user_id, at: e.at, event: e.event, kind: e.kind })),
      };
    },
    eraseNotifications: (site, userId) => db.transaction(async () => {
      for (const table of ['notification_preferences', 'topic_follows', 'seen_markers', 'notification_items', 'notification_messages', 'notification_events']) {
        await db.run(`DELETE FROM ${table} WHERE site = ? AND user_id = ?`, [site, userId]);
      }
      await db.run(SQL.deleteSetting, [site, moderationDigestSettingKey(userId)]);
    }),
  };
}
