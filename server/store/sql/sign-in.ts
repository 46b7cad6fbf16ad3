/** SQLite implementation of SignInStore (tables from migration 9). */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
import type { MemberSignInRecord, SignInStore, WelcomeRecord } from '../sign-in-store.js';

const toSignIn = (r: any): MemberSignInRecord => ({
  id: r.id, site: r.site, tokenHash: r.token_hash, codeHash: r.code_hash, email: r.email, emailHash: r.email_hash, ip: r.ip,
  createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at, failedCodes: r.failed_codes,
});

export function sqliteSignInStore(db: Database.Database): SyncOf<SignInStore> {
  const q = {
    add: db.prepare(`INSERT INTO member_sign_ins (id, site, token_hash, code_hash, email, email_hash, ip, created_at, expires_at, used_at, failed_codes)
      VALUES (@id, @site, @tokenHash, @codeHash, @email, @emailHash, @ip, @createdAt, @expiresAt, @usedAt, @failedCodes)`),
    byToken: db.prepare('SELECT * FROM member_sign_ins WHERE token_hash = ?'),
    open: db.prepare(`SELECT * FROM member_sign_ins WHERE site = ? AND email_hash = ? AND used_at IS NULL AND expires_at > ? AND failed_codes < ?
      ORDER BY created_at DESC LIMIT 20`),
    use: db.prepare('UPDATE member_sign_ins SET used_at = ? WHERE id = ? AND used_at IS NULL'),
    wrong: db.prepare('UPDATE member_sign_ins SET failed_codes = failed_codes + 1 WHERE id = ?'),
    countByEmail: db.prepare('SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND email_hash = ? AND created_at > ?'),
    countByIp: db.prepare('SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND ip = ? AND created_at > ?'),
    countBySite: db.prepare('SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND created_at > ?'),
    forget: db.prepare('DELETE FROM member_sign_ins WHERE site = ? AND email_hash = ?'),
    purge: db.prepare('DELETE FROM member_sign_ins WHERE site = ? AND created_at < ?'),
    getWelcome: db.prepare('SELECT rules_version, accepted_at FROM welcomes WHERE site = ? AND user_id = ?'),
    setName: db.prepare('UPDATE users SET display_name = ?, lookalike = ?, name_chosen = 1 WHERE site = ? AND id = ?'),
    addWelcome: db.prepare(`INSERT INTO welcomes (site, user_id, rules_version, accepted_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (site, user_id) DO UPDATE SET rules_version = excluded.rules_version, accepted_at = excluded.accepted_at`),
  };
  const count = (stmt: Database.Statement, ...args: unknown[]) => (stmt.get(...args) as { n: number }).n;

  return {
    createMemberSignIn(record) {
      q.add.run(record);
    },
    consumeMemberSignInLink: db.transaction((tokenHash: string, at: string) => {
      const row = q.byToken.get(tokenHash);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const signIn = toSignIn(row);
      if (signIn.usedAt) return { ok: false as const, reason: 'used' as const };
      if (signIn.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      q.use.run(at, signIn.id);
      return { ok: true as const, signIn: { ...signIn, usedAt: at } };
    }) as SyncOf<SignInStore>['consumeMemberSignInLink'],
    openMemberSignIns(site, emailHash, at, maxFailures) {
      return (q.open.all(site, emailHash, at, maxFailures) as any[]).map(toSignIn);
    },
    useMemberSignIn(id, at) {
      return q.use.run(at, id).changes > 0;
    },
    countWrongCode: db.transaction((ids: string[]) => {
      for (const id of ids) q.wrong.run(id);
    }) as SyncOf<SignInStore>['countWrongCode'],
    countMemberSignIns(site, by, sinceIso) {
      if (by.emailHash !== undefined) return count(q.countByEmail, site, by.emailHash, sinceIso);
      if (by.ip !== undefined) return count(q.countByIp, site, by.ip, sinceIso);
      return count(q.countBySite, site, sinceIso);
    },
    forgetMemberSignIns(site, emailHash) {
      return q.forget.run(site, emailHash).changes;
    },
    purgeMemberSignIns(site, beforeIso) {
      return q.purge.run(site, beforeIso).changes;
    },
    getWelcome(site, userId) {
      const r = q.getWelcome.get(site, userId) as { rules_version: number; accepted_at: string } | undefined;
      return r ? { rulesVersion: r.rules_version, acceptedAt: r.accepted_at } : null;
    },
    recordWelcome: db.transaction((site: string, userId: string, displayName: string, lookalike: boolean, welcome: WelcomeRecord) => {
      q.setName.run(displayName, lookalike ? 1 : 0, site, userId);
      q.addWelcome.run(site, userId, welcome.rulesVersion, welcome.acceptedAt);
    }) as SyncOf<SignInStore>['recordWelcome'],
  };
}
