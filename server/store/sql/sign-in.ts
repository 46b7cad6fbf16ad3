/** SignInStore over SqlDatabase (tables from migration 9). */
import type { SqlDatabase } from './database.js';
import type { MemberSignInRecord, SignInStore } from '../sign-in-store.js';

const toSignIn = (r: any): MemberSignInRecord => ({
  id: r.id, site: r.site, tokenHash: r.token_hash, codeHash: r.code_hash, email: r.email, emailHash: r.email_hash, ip: r.ip,
  createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at, failedCodes: r.failed_codes,
});

const q = {
  add: `INSERT INTO member_sign_ins (id, site, token_hash, code_hash, email, email_hash, ip, created_at, expires_at, used_at, failed_codes)
      VALUES (@id, @site, @tokenHash, @codeHash, @email, @emailHash, @ip, @createdAt, @expiresAt, @usedAt, @failedCodes)`,
  byToken: 'SELECT * FROM member_sign_ins WHERE token_hash = ?',
  open: `SELECT * FROM member_sign_ins WHERE site = ? AND email_hash = ? AND used_at IS NULL AND expires_at > ? AND failed_codes < ?
      ORDER BY created_at DESC LIMIT 20`,
  use: 'UPDATE member_sign_ins SET used_at = ? WHERE id = ? AND used_at IS NULL',
  wrong: 'UPDATE member_sign_ins SET failed_codes = failed_codes + 1 WHERE id = ?',
  countByEmail: 'SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND email_hash = ? AND created_at > ?',
  countByIp: 'SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND ip = ? AND created_at > ?',
  countBySite: 'SELECT count(*) AS n FROM member_sign_ins WHERE site = ? AND created_at > ?',
  forget: 'DELETE FROM member_sign_ins WHERE site = ? AND email_hash = ?',
  purge: 'DELETE FROM member_sign_ins WHERE site = ? AND created_at < ?',
  getWelcome: 'SELECT rules_version, accepted_at FROM welcomes WHERE site = ? AND user_id = ?',
  setName: 'UPDATE users SET display_name = ?, lookalike = ?, name_chosen = 1 WHERE site = ? AND id = ?',
  addWelcome: `INSERT INTO welcomes (site, user_id, rules_version, accepted_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (site, user_id) DO UPDATE SET rules_version = excluded.rules_version, accepted_at = excluded.accepted_at`,
};

export function signInStore(db: SqlDatabase): SignInStore {
  const count = async (sql: string, ...args: unknown[]) => (await db.get<{ n: number }>(sql, args))!.n;

  return {
    async createMemberSignIn(record) {
      await db.run(q.add, { ...record });
    },
    consumeMemberSignInLink: (tokenHash, at) => db.transaction(async () => {
      const row = await db.get(q.byToken, [tokenHash]);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const signIn = toSignIn(row);
      if (signIn.usedAt) return { ok: false as const, reason: 'used' as const };
      if (signIn.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      await db.run(q.use, [at, signIn.id]);
      return { ok: true as const, signIn: { ...signIn, usedAt: at } };
    }),
    async openMemberSignIns(site, emailHash, at, maxFailures) {
      return (await db.all(q.open, [site, emailHash, at, maxFailures])).map(toSignIn);
    },
    async useMemberSignIn(id, at) {
      return (await db.run(q.use, [at, id])).changes > 0;
    },
    countWrongCode: (ids) => db.transaction(async () => {
      for (const id of ids) await db.run(q.wrong, [id]);
    }),
    async countMemberSignIns(site, by, sinceIso) {
      if (by.emailHash !== undefined) return count(q.countByEmail, site, by.emailHash, sinceIso);
      if (by.ip !== undefined) return count(q.countByIp, site, by.ip, sinceIso);
      return count(q.countBySite, site, sinceIso);
    },
    async forgetMemberSignIns(site, emailHash) {
      return (await db.run(q.forget, [site, emailHash])).changes;
    },
    async purgeMemberSignIns(site, beforeIso) {
      return (await db.run(q.purge, [site, beforeIso])).changes;
    },
    async getWelcome(site, userId) {
      const r = await db.get<{ rules_version: number; accepted_at: string }>(q.getWelcome, [site, userId]);
      return r ? { rulesVersion: r.rules_version, acceptedAt: r.accepted_at } : null;
    },
    recordWelcome: (site, userId, displayName, lookalike, welcome) => db.transaction(async () => {
      await db.run(q.setName, [displayName, lookalike ? 1 : 0, site, userId]);
      await db.run(q.addWelcome, [site, userId, welcome.rulesVersion, welcome.acceptedAt]);
    }),
  };
}
