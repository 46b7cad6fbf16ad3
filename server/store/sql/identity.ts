/** IdentityStore over SqlDatabase: one transaction per method that writes more than one row. */
import type { SqlDatabase } from './database.js';
import type { Role } from '../../../moderation/types.js';
import type {
  CompanyRecord, EmailLinkRecord, IdentityEvent, IdentityStore, MemberExport, NameChangeRecord, OutboxMessage,
  SessionRecord, StaffRecord,
} from '../identity-store.js';

const toCompany = (r: any): CompanyRecord => ({
  site: r.site, id: r.id, legalName: r.legal_name, displayName: r.display_name, emailDomains: JSON.parse(r.email_domains),
  products: JSON.parse(r.products), disclosure: JSON.parse(r.disclosure), sponsored: r.sponsored === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});
const toStaff = (r: any): StaffRecord => ({
  userId: r.user_id, name: r.display_name, companyId: r.company_id, companyName: r.company_name, jobTitle: r.job_title,
  verifiedBy: r.verified_by, verifiedAt: r.verified_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
});
const toNameChange = (r: any): NameChangeRecord => ({
  id: r.id, site: r.site, userId: r.user_id, displayName: r.display_name, jobTitle: r.job_title, reason: r.reason,
  status: r.status, requestedAt: r.requested_at, decidedBy: r.decided_by, decidedAt: r.decided_at,
});
const toLink = (r: any): EmailLinkRecord => ({
  tokenHash: r.token_hash, site: r.site, email: r.email, companyId: r.company_id, displayName: r.display_name,
  jobTitle: r.job_title, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
});
const toSession = (r: any): SessionRecord => ({
  id: r.id, site: r.site, userId: r.user_id, refreshHash: r.refresh_hash, createdAt: r.created_at,
  expiresAt: r.expires_at, revokedAt: r.revoked_at,
});

const q = {
  upsertCompany: `INSERT INTO companies (site, id, legal_name, display_name, email_domains, products, disclosure, sponsored, created_at, updated_at)
      VALUES (@site, @id, @legalName, @displayName, @emailDomains, @products, @disclosure, @sponsored, @createdAt, @updatedAt)
      ON CONFLICT (site, id) DO UPDATE SET legal_name = excluded.legal_name, display_name = excluded.display_name,
        email_domains = excluded.email_domains, products = excluded.products, disclosure = excluded.disclosure,
        sponsored = excluded.sponsored, updated_at = excluded.updated_at`,
  getCompany: 'SELECT * FROM companies WHERE site = ? AND id = ?',
  listCompanies: 'SELECT * FROM companies WHERE site = ? ORDER BY display_name',
  staffOfCompany: `SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? AND a.company_id = ? ORDER BY a.verified_at`,
  staffOfSite: `SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? ORDER BY a.verified_at`,
  revokeAffiliation: `UPDATE affiliations SET revoked_at = ?, revoked_by = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL`,
  revokeRole: 'DELETE FROM site_roles WHERE site = ? AND user_id = ? AND role = ?',
  roleHolders: `SELECT r.user_id, r.role, u.display_name FROM site_roles r JOIN users u ON u.id = r.user_id
      WHERE r.site = ? ORDER BY r.role, u.display_name`,
  addEvent: `INSERT INTO identity_events (site, at, actor, subject_id, kind, details) VALUES (?, ?, ?, ?, ?, ?)`,
  listEvents: 'SELECT * FROM identity_events WHERE site = ? AND seq > ? ORDER BY seq LIMIT ?',
  setName: 'UPDATE users SET display_name = ?, lookalike = ?, name_chosen = 1 WHERE site = ? AND id = ?',
  setLookalike: 'UPDATE users SET lookalike = ? WHERE site = ? AND id = ?',
  getLookalike: 'SELECT lookalike FROM users WHERE site = ? AND id = ?',
  addNameChange: `INSERT INTO name_change_requests (id, site, user_id, display_name, job_title, reason, status, requested_at)
      VALUES (@id, @site, @userId, @displayName, @jobTitle, @reason, 'pending', @requestedAt)`,
  getNameChange: 'SELECT * FROM name_change_requests WHERE site = ? AND id = ?',
  listNameChanges: 'SELECT * FROM name_change_requests WHERE site = ? ORDER BY requested_at',
  decideNameChange: `UPDATE name_change_requests SET status = ?, decided_by = ?, decided_at = ?
      WHERE site = ? AND id = ? AND status = 'pending'`,
  setJobTitle: `UPDATE affiliations SET job_title = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL`,
  setNameOnly: 'UPDATE users SET display_name = ? WHERE site = ? AND id = ?',
  addLink: `INSERT INTO email_links (token_hash, site, email, company_id, display_name, job_title, created_at, expires_at)
      VALUES (@tokenHash, @site, @email, @companyId, @displayName, @jobTitle, @createdAt, @expiresAt)`,
  getLink: 'SELECT * FROM email_links WHERE token_hash = ?',
  useLink: 'UPDATE email_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL',
  countLinks: 'SELECT count(*) AS n FROM email_links WHERE site = ? AND email = ? AND created_at > ?',
  purgeLinks: 'DELETE FROM email_links WHERE site = ? AND expires_at < ?',
  addSession: `INSERT INTO sessions (id, site, user_id, refresh_hash, created_at, expires_at)
      VALUES (@id, @site, @userId, @refreshHash, @createdAt, @expiresAt)`,
  sessionByRefresh: 'SELECT * FROM sessions WHERE refresh_hash = ?',
  sessionById: 'SELECT * FROM sessions WHERE id = ?',
  rotate: `UPDATE sessions SET refresh_hash = ?, expires_at = ? WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL`,
  // The newest `keep` live sessions stay; ties in created_at are broken by id, the same in both databases.
  revokeBeyond: `UPDATE sessions SET revoked_at = @now
      WHERE site = @site AND user_id = @userId AND revoked_at IS NULL AND expires_at > @now
        AND id NOT IN (SELECT id FROM sessions
          WHERE site = @site AND user_id = @userId AND revoked_at IS NULL AND expires_at > @now
          ORDER BY created_at DESC, id DESC LIMIT @keep)`,
  // Two statements, each on its own index (migration 20), rather than one OR over both.
  purgeExpiredSessions: 'DELETE FROM sessions WHERE site = ? AND expires_at < ?',
  purgeRevokedSessions: 'DELETE FROM sessions WHERE site = ? AND revoked_at < ?',
  revokeSessions: 'UPDATE sessions SET revoked_at = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL',
  bumpEpoch: 'UPDATE users SET session_epoch = session_epoch + 1, signed_out_at = ? WHERE site = ? AND id = ?',
  getEpoch: 'SELECT session_epoch FROM users WHERE site = ? AND id = ?',
  getSignedOutAt: 'SELECT signed_out_at FROM users WHERE site = ? AND sub = ?',
  userBySub: 'SELECT id FROM users WHERE site = ? AND sub = ?',
  insertEmailUser: `INSERT INTO users (id, site, sub, display_name, email, kind, created_at) VALUES (?, ?, ?, ?, ?, 'member', ?)`,
  addOutbox: `INSERT INTO outbox (site, recipient, subject, body, created_at, delivered, html, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  markDelivered: 'UPDATE outbox SET delivered = 1 WHERE id = ?',
  listOutbox: 'SELECT * FROM outbox WHERE site = ? ORDER BY id DESC LIMIT ?',
  user: 'SELECT * FROM users WHERE site = ? AND id = ?',
  roles: 'SELECT role FROM site_roles WHERE site = ? AND user_id = ? ORDER BY role',
  userAffiliations: `SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? AND a.user_id = ? ORDER BY a.verified_at`,
  professional: 'SELECT profession, verified_at AS "verifiedAt" FROM professionals WHERE site = ? AND user_id = ?',
  userPosts: 'SELECT id, topic, parent, body, created_at, status FROM posts WHERE site = ? AND author_id = ? ORDER BY created_at',
  userSessions: 'SELECT id, created_at, expires_at, revoked_at FROM sessions WHERE site = ? AND user_id = ? ORDER BY created_at',
  userNameChanges: 'SELECT * FROM name_change_requests WHERE site = ? AND user_id = ? ORDER BY requested_at',
  eraseUser: `UPDATE users SET display_name = 'Deleted member', email = NULL, sub = 'erased:' || id, kind = 'deleted',
      deleted_at = ?, lookalike = 0 WHERE site = ? AND id = ?`,
  eraseNameChanges: `UPDATE name_change_requests SET display_name = NULL, reason = '' WHERE site = ? AND user_id = ?`,
  deleteRoles: 'DELETE FROM site_roles WHERE site = ? AND user_id = ?',
  // ORDER BY: the order SQLite's (site, author_id, idempotency_key) index gave unasked, now on both databases.
  postsOf: `SELECT id, topic FROM posts WHERE site = ? AND author_id = ? AND status = 'visible' ORDER BY idempotency_key`,
  bumpTopicRev: 'UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev',
  erasePost: `UPDATE posts SET body = '', html = '', status = 'removed', rev = ? WHERE id = ?`,
  touchPost: 'UPDATE posts SET rev = ? WHERE id = ?',
  allPostsOf: 'SELECT id, topic FROM posts WHERE site = ? AND author_id = ? ORDER BY idempotency_key',
  // The badges are JSON text: grouped by snapshot here (a topic has few distinct ones), read in TypeScript.
  topicSnapshots: `SELECT author_snapshot, count(*) AS n FROM posts WHERE site = ? AND topic = ? AND status = 'visible'
      GROUP BY author_snapshot`,
  topicProfessionals: `SELECT DISTINCT p.author_id, u.display_name, p.author_snapshot
      FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND u.kind != 'deleted'`,
  findUsers: `SELECT id, display_name, kind, created_at FROM users WHERE site = ? AND kind != 'deleted'
      AND lower(display_name) LIKE lower(?) ESCAPE '\\' ORDER BY display_name LIMIT ?`,
};

/** Mail to addresses at these domains: the part after the first `@`, compared case-insensitively. */
function outboxToSql(domains: number): string {
  const likes = Array.from({ length: domains }, () => `lower(recipient) LIKE lower(?) ESCAPE '\\'`).join(' OR ');
  const equals = Array.from({ length: domains }, () => 'lower(?)').join(', ');
  // LIKE '%@domain' with no second `@` is "the part after the first @ is the domain"; an address
  // without `@` is compared whole (as substr after instr = 0 did).
  return `SELECT * FROM outbox WHERE site = ? AND ((recipient NOT LIKE '%@%@%' AND (${likes}))
    OR (recipient NOT LIKE '%@%' AND lower(recipient) IN (${equals}))) ORDER BY id DESC LIMIT ?`;
}
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function identityStore(db: SqlDatabase): IdentityStore {
  return {
    async upsertCompany(c) {
      await db.run(q.upsertCompany, {
        ...c, emailDomains: JSON.stringify(c.emailDomains), products: JSON.stringify(c.products),
        disclosure: JSON.stringify(c.disclosure), sponsored: c.sponsored ? 1 : 0,
      });
    },
    async getCompany(site, id) {
      const r = await db.get(q.getCompany, [site, id]);
      return r ? toCompany(r) : null;
    },
    async listCompanies(site) {
      return (await db.all(q.listCompanies, [site])).map(toCompany);
    },
    async listStaff(site, companyId) {
      return (await (companyId ? db.all(q.staffOfCompany, [site, companyId]) : db.all(q.staffOfSite, [site]))).map(toStaff);
    },
    async revokeAffiliation(site, userId, revokedBy, at) {
      return (await db.run(q.revokeAffiliation, [at, revokedBy, site, userId])).changes > 0;
    },
    async revokeRole(site, userId, role) {
      return (await db.run(q.revokeRole, [site, userId, role])).changes > 0;
    },
    async listRoleHolders(site) {
      return (await db.all(q.roleHolders, [site])).map((r) => ({ userId: r.user_id, name: r.display_name, role: r.role as Role }));
    },
    async recordIdentityEvent(e) {
      await db.run(q.addEvent, [e.site, e.at, e.actor, e.subjectId, e.kind, JSON.stringify(e.details)]);
    },
    async listIdentityEvents(site, afterSeq, limit) {
      return (await db.all(q.listEvents, [site, afterSeq, limit])).map((r) => ({
        seq: r.seq, site: r.site, at: r.at, actor: r.actor, subjectId: r.subject_id, kind: r.kind, details: JSON.parse(r.details),
      }));
    },
    async setDisplayName(site, userId, name, lookalike) {
      await db.run(q.setName, [name, lookalike ? 1 : 0, site, userId]);
    },
    async setLookalike(site, userId, lookalike) {
      await db.run(q.setLookalike, [lookalike ? 1 : 0, site, userId]);
    },
    async isLookalike(site, userId) {
      return (await db.get<{ lookalike: number }>(q.getLookalike, [site, userId]))?.lookalike === 1;
    },
    async createNameChange(r) {
      await db.run(q.addNameChange, { ...r });
    },
    async getNameChange(site, id) {
      const r = await db.get(q.getNameChange, [site, id]);
      return r ? toNameChange(r) : null;
    },
    async listNameChanges(site, status) {
      const all = (await db.all(q.listNameChanges, [site])).map(toNameChange);
      return status ? all.filter((r) => r.status === status) : all;
    },
    decideNameChange: (site, id, approve, decidedBy, at) => db.transaction(async () => {
      const changed = (await db.run(q.decideNameChange, [approve ? 'approved' : 'rejected', decidedBy, at, site, id])).changes;
      if (changed === 0) return null;
      const request = toNameChange(await db.get(q.getNameChange, [site, id]));
      if (approve) {
        if (request.displayName) await db.run(q.setNameOnly, [request.displayName, site, request.userId]);
        if (request.jobTitle) await db.run(q.setJobTitle, [request.jobTitle, site, request.userId]);
      }
      return request;
    }),
    async createEmailLink(link) {
      await db.run(q.addLink, { ...link });
    },
    consumeEmailLink: (tokenHash, at) => db.transaction(async () => {
      const row = await db.get(q.getLink, [tokenHash]);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const link = toLink(row);
      if (link.usedAt) return { ok: false as const, reason: 'used' as const };
      if (link.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      await db.run(q.useLink, [at, tokenHash]);
      return { ok: true as const, link: { ...link, usedAt: at } };
    }),
    async countRecentEmailLinks(site, email, sinceIso) {
      return (await db.get<{ n: number }>(q.countLinks, [site, email, sinceIso]))!.n;
    },
    async purgeEmailLinks(site, expiredBefore) {
      await db.run(q.purgeLinks, [site, expiredBefore]);
    },
    async createSession(s) {
      await db.run(q.addSession, { ...s });
    },
    async getSessionByRefresh(hash) {
      const r = await db.get(q.sessionByRefresh, [hash]);
      return r ? toSession(r) : null;
    },
    async rotateSession(id, oldHash, newHash, expiresAt) {
      return (await db.run(q.rotate, [newHash, expiresAt, id, oldHash])).changes > 0;
    },
    async getSession(id) {
      const r = await db.get(q.sessionById, [id]);
      return r ? toSession(r) : null;
    },
    async revokeSessionsBeyond(site, userId, keep, now) {
      return (await db.run(q.revokeBeyond, { site, userId, keep, now })).changes;
    },
    async purgeSessions(site, before) {
      const expired = (await db.run(q.purgeExpiredSessions, [site, before])).changes;
      return expired + (await db.run(q.purgeRevokedSessions, [site, before])).changes;
    },
    revokeAllSessions: (site, userId, at) => db.transaction(async () => {
      const n = (await db.run(q.revokeSessions, [at, site, userId])).changes;
      await db.run(q.bumpEpoch, [at, site, userId]);
      return n;
    }),
    async getSessionEpoch(site, userId) {
      return (await db.get<{ session_epoch: number }>(q.getEpoch, [site, userId]))?.session_epoch ?? 0;
    },
    async getSignedOutAt(site, sub) {
      return (await db.get<{ signed_out_at: string | null }>(q.getSignedOutAt, [site, sub]))?.signed_out_at ?? null;
    },
    upsertEmailUser: (site, sub, displayName, email, now, newId) => db.transaction(async () => {
      const existing = await db.get<{ id: string }>(q.userBySub, [site, sub]);
      if (existing) return existing;
      await db.run(q.insertEmailUser, [newId, site, sub, displayName, email, now]);
      return { id: newId };
    }),
    async addOutbox(m) {
      return Number((await db.get<{ id: number }>(q.addOutbox, [m.site, m.recipient, m.subject, m.body, m.createdAt, m.delivered ? 1 : 0, m.html ?? null, m.headers ? JSON.stringify(m.headers) : null]))!.id);
    },
    async markDelivered(id) {
      await db.run(q.markDelivered, [id]);
    },
    async listOutbox(site, limit, recipientDomains) {
      // No domain matches nothing (as the empty list did), without an empty `OR` list in the SQL.
      if (recipientDomains && recipientDomains.length === 0) return [];
      const rows = recipientDomains
        ? await db.all(outboxToSql(recipientDomains.length), [site, ...recipientDomains.map((d) => `%@${likeEscape(d)}`), ...recipientDomains, limit])
        : await db.all(q.listOutbox, [site, limit]);
      return rows.map((r) => ({
        id: r.id, site: r.site, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at,
        delivered: r.delivered === 1,
        ...(r.html ? { html: r.html } : {}),
        ...(r.headers ? { headers: JSON.parse(r.headers) } : {}),
      }));
    },
    async topicParticipation(site, topic) {
      const [snapshots, authors] = await Promise.all([
        db.all<{ author_snapshot: string; n: number }>(q.topicSnapshots, [site, topic]),
        db.all<{ author_id: string; display_name: string; author_snapshot: string }>(q.topicProfessionals, [site, topic]),
      ]);
      const companies = new Map<string, number>();
      for (const r of snapshots) {
        const company = JSON.parse(r.author_snapshot)?.affiliation?.companyId;
        if (company != null) companies.set(company, (companies.get(company) ?? 0) + r.n);
      }
      const professionals = new Map<string, { userId: string; name: string; profession: string }>();
      for (const r of authors) {
        const profession = JSON.parse(r.author_snapshot)?.professional?.profession;
        if (profession == null) continue;
        const key = JSON.stringify([r.author_id, r.display_name, profession]);
        if (!professionals.has(key)) professionals.set(key, { userId: r.author_id, name: r.display_name, profession });
      }
      return {
        companies: [...companies].map(([companyId, posts]) => ({ companyId, posts }))
          .sort((a, b) => b.posts - a.posts || (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0)),
        professionals: [...professionals.values()],
      };
    },
    async findUsers(site, name, limit) {
      const pattern = `%${likeEscape(name)}%`;
      return (await db.all(q.findUsers, [site, pattern, limit])).map((r) => ({
        id: r.id, name: r.display_name, kind: r.kind, createdAt: r.created_at,
      }));
    },
    async exportMember(site, userId) {
      const user = await db.get(q.user, [site, userId]);
      if (!user) return null;
      const [roles, affiliations, professional, posts, sessions, nameChanges] = await Promise.all([
        db.all<{ role: Role }>(q.roles, [site, userId]),
        db.all(q.userAffiliations, [site, userId]),
        db.get(q.professional, [site, userId]),
        db.all(q.userPosts, [site, userId]),
        db.all(q.userSessions, [site, userId]),
        db.all(q.userNameChanges, [site, userId]),
      ]);
      const result: MemberExport = {
        user: { id: user.id, displayName: user.display_name, email: user.email, kind: user.kind, createdAt: user.created_at },
        roles: roles.map((r) => r.role),
        affiliations: affiliations.map(toStaff),
        professional: professional ?? null,
        posts: posts.map((p) => ({
          id: p.id, topic: p.topic, parent: p.parent, body: p.body, createdAt: p.created_at, status: p.status,
        })),
        sessions: sessions.map((s) => ({
          id: s.id, createdAt: s.created_at, expiresAt: s.expires_at, revokedAt: s.revoked_at,
        })),
        nameChangeRequests: nameChanges.map(toNameChange),
      };
      return result;
    },
    eraseMember: (site, userId, removePosts, at) => db.transaction(async () => {
      await db.run(q.revokeSessions, [at, site, userId]);
      await db.run(q.bumpEpoch, [at, site, userId]);
      await db.run(q.deleteRoles, [site, userId]);
      await db.run(q.eraseNameChanges, [site, userId]);
      await db.run(q.eraseUser, [at, site, userId]);
      // Every post of theirs changes how it reads (author or text), so each gets a new rev for catch-up.
      const posts = await db.all<{ id: string; topic: string }>(removePosts ? q.postsOf : q.allPostsOf, [site, userId]);
      for (const post of posts) {
        const { rev } = (await db.get<{ rev: number }>(q.bumpTopicRev, [site, post.topic]))!;
        if (removePosts) await db.run(q.erasePost, [rev, post.id]);
        else await db.run(q.touchPost, [rev, post.id]);
      }
      return posts.map((p) => p.id);
    }),
  };
}
