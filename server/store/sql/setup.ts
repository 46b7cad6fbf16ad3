/** SQLite implementation of SetupStore (tables from migration 11). */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
import type { AdminInvitationRecord, LinkRefusal, SetupStore } from '../setup-store.js';

const toInvitation = (r: any): AdminInvitationRecord => ({
  tokenHash: r.token_hash, site: r.site, email: r.email, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});

export function sqliteSetupStore(db: Database.Database): SyncOf<SetupStore> {
  const q = {
    dropUnused: db.prepare('DELETE FROM setup_links WHERE used_at IS NULL'),
    addLink: db.prepare('INSERT INTO setup_links (token_hash, created_at, expires_at, used_at) VALUES (?, ?, ?, NULL)'),
    link: db.prepare('SELECT expires_at, used_at FROM setup_links WHERE token_hash = ?'),
    useLink: db.prepare('UPDATE setup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
    addInvitation: db.prepare(`INSERT INTO admin_invitations (token_hash, site, email, created_at, expires_at, used_at)
      VALUES (@tokenHash, @site, @email, @createdAt, @expiresAt, @usedAt)`),
    invitation: db.prepare('SELECT * FROM admin_invitations WHERE token_hash = ?'),
    useInvitation: db.prepare('UPDATE admin_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
  };
  const linkState = (tokenHash: string, at: string): { ok: true } | { ok: false; reason: LinkRefusal } => {
    const row = q.link.get(tokenHash) as { expires_at: string; used_at: string | null } | undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at) return { ok: false, reason: 'used' };
    if (row.expires_at <= at) return { ok: false, reason: 'expired' };
    return { ok: true };
  };

  return {
    createSetupLink: db.transaction((tokenHash: string, createdAt: string, expiresAt: string) => {
      q.dropUnused.run();
      q.addLink.run(tokenHash, createdAt, expiresAt);
    }) as SyncOf<SetupStore>['createSetupLink'],
    checkSetupLink: linkState,
    consumeSetupLink: db.transaction((tokenHash: string, at: string) => {
      const state = linkState(tokenHash, at);
      if (state.ok) q.useLink.run(at, tokenHash);
      return state;
    }) as SyncOf<SetupStore>['consumeSetupLink'],
    createAdminInvitation(record) {
      q.addInvitation.run(record);
    },
    consumeAdminInvitation: db.transaction((tokenHash: string, at: string) => {
      const row = q.invitation.get(tokenHash);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const invitation = toInvitation(row);
      if (invitation.usedAt) return { ok: false as const, reason: 'used' as const };
      if (invitation.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      q.useInvitation.run(at, tokenHash);
      return { ok: true as const, invitation: { ...invitation, usedAt: at } };
    }) as SyncOf<SetupStore>['consumeAdminInvitation'],
  };
}
