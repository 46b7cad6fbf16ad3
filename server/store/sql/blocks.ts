/**
 * BlockStore over SqlDatabase (issue 13): the table `user_blocks`. Blocking counts the member's
 * blocks and inserts in one transaction, so two requests at once cannot pass the limit.
 */
import type { SqlDatabase } from './database.js';
import type { BlockedPerson, BlockStore } from '../block-store.js';

/** Values per IN list: well under both databases' parameter limits. */
const IN_CHUNK = 500;

const q = {
  exists: 'SELECT 1 AS one FROM user_blocks WHERE site = ? AND user_id = ? AND blocked_id = ?',
  count: 'SELECT count(*) AS n FROM user_blocks WHERE site = ? AND user_id = ?',
  insert: `INSERT INTO user_blocks (site, user_id, blocked_id, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT DO NOTHING`,
  remove: 'DELETE FROM user_blocks WHERE site = ? AND user_id = ? AND blocked_id = ?',
  // The display name is the one shown in the discussion; the email column is never read here.
  list: `SELECT b.blocked_id, b.created_at, u.display_name FROM user_blocks b
      JOIN users u ON u.site = b.site AND u.id = b.blocked_id
      WHERE b.site = ? AND b.user_id = ? ORDER BY b.created_at DESC, b.blocked_id`,
  erase: 'DELETE FROM user_blocks WHERE site = ? AND (user_id = ? OR blocked_id = ?)',
};

const blockersSql = (count: number) => `SELECT user_id FROM user_blocks
  WHERE site = ? AND blocked_id = ? AND user_id IN (${Array.from({ length: count }, () => '?').join(', ')})`;

export function blockStore(db: SqlDatabase): BlockStore {
  return {
    blockUser: (site, userId, blockedId, at, max) => db.transaction(async () => {
      if (await db.get(q.exists, [site, userId, blockedId])) return 'already' as const;
      const { n } = (await db.get<{ n: number }>(q.count, [site, userId]))!;
      if (Number(n) >= max) return 'limit' as const;
      await db.run(q.insert, [site, userId, blockedId, at]);
      return 'blocked' as const;
    }),
    async unblockUser(site, userId, blockedId) {
      return (await db.run(q.remove, [site, userId, blockedId])).changes > 0;
    },
    async listBlocks(site, userId) {
      const rows = await db.all<{ blocked_id: string; created_at: string; display_name: string }>(q.list, [site, userId]);
      return rows.map((r): BlockedPerson => ({ userId: r.blocked_id, displayName: r.display_name, blockedAt: r.created_at }));
    },
    async blockersAmong(site, writerId, userIds) {
      const found: string[] = [];
      for (let i = 0; i < userIds.length; i += IN_CHUNK) {
        const chunk = userIds.slice(i, i + IN_CHUNK);
        for (const r of await db.all<{ user_id: string }>(blockersSql(chunk.length), [site, writerId, ...chunk])) found.push(r.user_id);
      }
      return found;
    },
    async eraseBlocks(site, userId) {
      await db.run(q.erase, [site, userId, userId]);
    },
  };
}
