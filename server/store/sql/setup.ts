/** SetupStore over SqlDatabase (tables from migration 11). */
import type { SqlDatabase } from './database.js';
import type { AdminInvitationRecord, LinkRefusal, SetupStore } from '../setup-store.js';

const toInvitation = (r: any): AdminInvitationRecord => ({
  tokenHash: r.token_hash, site: r.site, email: r.email, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});

const q = {
  dropUnused: 'DELETE FROM setup_links WHERE used_at IS NULL',
  addLink: 'INSERT INTO setup_links (token_hash, created_at, expires_at, used_at) VALUES (?, ?, ?, NULL)',
  link: 'SELECT expires_at, used_at FROM setup_links WHERE token_hash = ?',
  useLink: 'UPDATE setup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL',
  addInvitation: `INSERT INTO admin_invitations (token_hash, site, email, created_at, expires_at, used_at)
      VALUES (@tokenHash, @site, @email, @createdAt, @expiresAt, @usedAt)`,
  invitation: 'SELECT * FROM admin_invitations WHERE token_hash = ?',
  useInvitation: 'UPDATE admin_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL',
};

export function setupStore(db: SqlDatabase): SetupStore {
  const linkState = async (tokenHash: string, at: string): Promise<{ ok: true } | { ok: false; reason: LinkRefusal }> => {
    const row = await db.get<{ expires_at: string; used_at: string | null }>(q.link, [tokenHash]);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at) return { ok: false, reason: 'used' };
    if (row.expires_at <= at) return { ok: false, reason: 'expired' };
    return { ok: true };
  };

  return {
    createSetupLink: (tokenHash, createdAt, expiresAt) => db.transaction(async () => {
      await db.run(q.dropUnused);
      await db.run(q.addLink, [tokenHash, createdAt, expiresAt]);
    }),
    checkSetupLink: linkState,
    consumeSetupLink: (tokenHash, at) => db.transaction(async () => {
      const state = await linkState(tokenHash, at);
      if (state.ok) await db.run(q.useLink, [at, tokenHash]);
      return state;
    }),
    async createAdminInvitation(record) {
      await db.run(q.addInvitation, { ...record });
    },
    consumeAdminInvitation: (tokenHash, at) => db.transaction(async () => {
      const row = await db.get(q.invitation, [tokenHash]);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const invitation = toInvitation(row);
      if (invitation.usedAt) return { ok: false as const, reason: 'used' as const };
      if (invitation.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      await db.run(q.useInvitation, [at, tokenHash]);
      return { ok: true as const, invitation: { ...invitation, usedAt: at } };
    }),
  };
}
