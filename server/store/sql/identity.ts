/** SQLite implementation of IdentityStore: prepared statements, one transaction per method. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
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

export function sqliteIdentityStore(db: Database.Database): SyncOf<IdentityStore> {
  const q = {
    upsertCompany: db.prepare(`INSERT INTO companies (site, id, legal_name, display_name, email_domains, products, disclosure, sponsored, created_at, updated_at)
      VALUES (@site, @id, @legalName, @displayName, @emailDomains, @products, @disclosure, @sponsored, @createdAt, @updatedAt)
      ON CONFLICT (site, id) DO UPDATE SET legal_name = excluded.legal_name, display_name = excluded.display_name,
        email_domains = excluded.email_domains, products = excluded.products, disclosure = excluded.disclosure,
        sponsored = excluded.sponsored, updated_at = excluded.updated_at`),
    getCompany: db.prepare('SELECT * FROM companies WHERE site = ? AND id = ?'),
    listCompanies: db.prepare('SELECT * FROM companies WHERE site = ? ORDER BY display_name'),
    staffOfCompany: db.prepare(`SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? AND a.company_id = ? ORDER BY a.verified_at`),
    staffOfSite: db.prepare(`SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? ORDER BY a.verified_at`),
    revokeAffiliation: db.prepare(`UPDATE affiliations SET revoked_at = ?, revoked_by = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL`),
    revokeRole: db.prepare('DELETE FROM site_roles WHERE site = ? AND user_id = ? AND role = ?'),
    roleHolders: db.prepare(`SELECT r.user_id, r.role, u.display_name FROM site_roles r JOIN users u ON u.id = r.user_id
      WHERE r.site = ? ORDER BY r.role, u.display_name`),
    addEvent: db.prepare(`INSERT INTO identity_events (site, at, actor, subject_id, kind, details) VALUES (?, ?, ?, ?, ?, ?)`),
    listEvents: db.prepare('SELECT * FROM identity_events WHERE site = ? AND seq > ? ORDER BY seq LIMIT ?'),
    setName: db.prepare('UPDATE users SET display_name = ?, lookalike = ?, name_chosen = 1 WHERE site = ? AND id = ?'),
    setLookalike: db.prepare('UPDATE users SET lookalike = ? WHERE site = ? AND id = ?'),
    getLookalike: db.prepare('SELECT lookalike FROM users WHERE site = ? AND id = ?'),
    addNameChange: db.prepare(`INSERT INTO name_change_requests (id, site, user_id, display_name, job_title, reason, status, requested_at)
      VALUES (@id, @site, @userId, @displayName, @jobTitle, @reason, 'pending', @requestedAt)`),
    getNameChange: db.prepare('SELECT * FROM name_change_requests WHERE site = ? AND id = ?'),
    listNameChanges: db.prepare('SELECT * FROM name_change_requests WHERE site = ? ORDER BY requested_at'),
    decideNameChange: db.prepare(`UPDATE name_change_requests SET status = ?, decided_by = ?, decided_at = ?
      WHERE site = ? AND id = ? AND status = 'pending'`),
    setJobTitle: db.prepare(`UPDATE affiliations SET job_title = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL`),
    setNameOnly: db.prepare('UPDATE users SET display_name = ? WHERE site = ? AND id = ?'),
    addLink: db.prepare(`INSERT INTO email_links (token_hash, site, email, company_id, display_name, job_title, created_at, expires_at)
      VALUES (@tokenHash, @site, @email, @companyId, @displayName, @jobTitle, @createdAt, @expiresAt)`),
    getLink: db.prepare('SELECT * FROM email_links WHERE token_hash = ?'),
    useLink: db.prepare('UPDATE email_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
    countLinks: db.prepare('SELECT count(*) AS n FROM email_links WHERE site = ? AND email = ? AND created_at > ?'),
    addSession: db.prepare(`INSERT INTO sessions (id, site, user_id, refresh_hash, created_at, expires_at)
      VALUES (@id, @site, @userId, @refreshHash, @createdAt, @expiresAt)`),
    sessionByRefresh: db.prepare('SELECT * FROM sessions WHERE refresh_hash = ?'),
    sessionById: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    rotate: db.prepare(`UPDATE sessions SET refresh_hash = ?, expires_at = ? WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL`),
    revokeSessions: db.prepare('UPDATE sessions SET revoked_at = ? WHERE site = ? AND user_id = ? AND revoked_at IS NULL'),
    bumpEpoch: db.prepare('UPDATE users SET session_epoch = session_epoch + 1 WHERE site = ? AND id = ?'),
    getEpoch: db.prepare('SELECT session_epoch FROM users WHERE site = ? AND id = ?'),
    userBySub: db.prepare('SELECT id FROM users WHERE site = ? AND sub = ?'),
    insertEmailUser: db.prepare(`INSERT INTO users (id, site, sub, display_name, email, kind, created_at) VALUES (?, ?, ?, ?, ?, 'member', ?)`),
    addOutbox: db.prepare(`INSERT INTO outbox (site, recipient, subject, body, created_at, delivered) VALUES (?, ?, ?, ?, ?, ?)`),
    markDelivered: db.prepare('UPDATE outbox SET delivered = 1 WHERE id = ?'),
    listOutbox: db.prepare('SELECT * FROM outbox WHERE site = ? ORDER BY id DESC LIMIT ?'),
    listOutboxTo: db.prepare(`SELECT * FROM outbox WHERE site = ?
      AND lower(substr(recipient, instr(recipient, '@') + 1)) IN (SELECT lower(value) FROM json_each(?)) ORDER BY id DESC LIMIT ?`),
    user: db.prepare('SELECT * FROM users WHERE site = ? AND id = ?'),
    roles: db.prepare('SELECT role FROM site_roles WHERE site = ? AND user_id = ? ORDER BY role'),
    userAffiliations: db.prepare(`SELECT a.*, u.display_name FROM affiliations a JOIN users u ON u.id = a.user_id
      WHERE a.site = ? AND a.user_id = ? ORDER BY a.verified_at`),
    professional: db.prepare('SELECT profession, verified_at AS verifiedAt FROM professionals WHERE site = ? AND user_id = ?'),
    userPosts: db.prepare('SELECT id, topic, parent, body, created_at, status FROM posts WHERE site = ? AND author_id = ? ORDER BY created_at'),
    userSessions: db.prepare('SELECT id, created_at, expires_at, revoked_at FROM sessions WHERE site = ? AND user_id = ? ORDER BY created_at'),
    userNameChanges: db.prepare('SELECT * FROM name_change_requests WHERE site = ? AND user_id = ? ORDER BY requested_at'),
    eraseUser: db.prepare(`UPDATE users SET display_name = 'Deleted member', email = NULL, sub = 'erased:' || id, kind = 'deleted',
      deleted_at = ?, lookalike = 0 WHERE site = ? AND id = ?`),
    eraseNameChanges: db.prepare(`UPDATE name_change_requests SET display_name = NULL, reason = '' WHERE site = ? AND user_id = ?`),
    deleteRoles: db.prepare('DELETE FROM site_roles WHERE site = ? AND user_id = ?'),
    postsOf: db.prepare(`SELECT id, topic FROM posts WHERE site = ? AND author_id = ? AND status = 'visible'`),
    bumpTopicRev: db.prepare('UPDATE topics SET rev = rev + 1 WHERE site = ? AND id = ? RETURNING rev'),
    erasePost: db.prepare(`UPDATE posts SET body = '', html = '', status = 'removed', rev = ? WHERE id = ?`),
    touchPost: db.prepare('UPDATE posts SET rev = ? WHERE id = ?'),
    allPostsOf: db.prepare('SELECT id, topic FROM posts WHERE site = ? AND author_id = ?'),
    topicCompanies: db.prepare(`SELECT json_extract(author_snapshot, '$.affiliation.companyId') AS company, count(*) AS n
      FROM posts WHERE site = ? AND topic = ? AND company IS NOT NULL AND status = 'visible' GROUP BY company ORDER BY n DESC`),
    topicProfessionals: db.prepare(`SELECT DISTINCT p.author_id, u.display_name, json_extract(p.author_snapshot, '$.professional.profession') AS profession
      FROM posts p JOIN users u ON u.id = p.author_id
      WHERE p.site = ? AND p.topic = ? AND profession IS NOT NULL AND u.kind != 'deleted'`),
    findUsers: db.prepare(`SELECT id, display_name, kind, created_at FROM users WHERE site = ? AND kind != 'deleted'
      AND display_name LIKE ? ESCAPE '\\' ORDER BY display_name LIMIT ?`),
  };

  return {
    upsertCompany(c) {
      q.upsertCompany.run({
        ...c, emailDomains: JSON.stringify(c.emailDomains), products: JSON.stringify(c.products),
        disclosure: JSON.stringify(c.disclosure), sponsored: c.sponsored ? 1 : 0,
      });
    },
    getCompany(site, id) {
      const r = q.getCompany.get(site, id);
      return r ? toCompany(r) : null;
    },
    listCompanies(site) {
      return q.listCompanies.all(site).map(toCompany);
    },
    listStaff(site, companyId) {
      return (companyId ? q.staffOfCompany.all(site, companyId) : q.staffOfSite.all(site)).map(toStaff);
    },
    revokeAffiliation(site, userId, revokedBy, at) {
      return q.revokeAffiliation.run(at, revokedBy, site, userId).changes > 0;
    },
    revokeRole(site, userId, role) {
      return q.revokeRole.run(site, userId, role).changes > 0;
    },
    listRoleHolders(site) {
      return (q.roleHolders.all(site) as any[]).map((r) => ({ userId: r.user_id, name: r.display_name, role: r.role as Role }));
    },
    recordIdentityEvent(e) {
      q.addEvent.run(e.site, e.at, e.actor, e.subjectId, e.kind, JSON.stringify(e.details));
    },
    listIdentityEvents(site, afterSeq, limit) {
      return (q.listEvents.all(site, afterSeq, limit) as any[]).map((r) => ({
        seq: r.seq, site: r.site, at: r.at, actor: r.actor, subjectId: r.subject_id, kind: r.kind, details: JSON.parse(r.details),
      }));
    },
    setDisplayName(site, userId, name, lookalike) {
      q.setName.run(name, lookalike ? 1 : 0, site, userId);
    },
    setLookalike(site, userId, lookalike) {
      q.setLookalike.run(lookalike ? 1 : 0, site, userId);
    },
    isLookalike(site, userId) {
      return (q.getLookalike.get(site, userId) as { lookalike: number } | undefined)?.lookalike === 1;
    },
    createNameChange(r) {
      q.addNameChange.run(r);
    },
    getNameChange(site, id) {
      const r = q.getNameChange.get(site, id);
      return r ? toNameChange(r) : null;
    },
    listNameChanges(site, status) {
      const all = q.listNameChanges.all(site).map(toNameChange);
      return status ? all.filter((r) => r.status === status) : all;
    },
    decideNameChange: db.transaction((site: string, id: string, approve: boolean, decidedBy: string, at: string) => {
      const changed = q.decideNameChange.run(approve ? 'approved' : 'rejected', decidedBy, at, site, id).changes;
      if (changed === 0) return null;
      const request = toNameChange(q.getNameChange.get(site, id));
      if (approve) {
        if (request.displayName) q.setNameOnly.run(request.displayName, site, request.userId);
        if (request.jobTitle) q.setJobTitle.run(request.jobTitle, site, request.userId);
      }
      return request;
    }) as SyncOf<IdentityStore>['decideNameChange'],
    createEmailLink(link) {
      q.addLink.run(link);
    },
    consumeEmailLink: db.transaction((tokenHash: string, at: string) => {
      const row = q.getLink.get(tokenHash);
      if (!row) return { ok: false as const, reason: 'unknown' as const };
      const link = toLink(row);
      if (link.usedAt) return { ok: false as const, reason: 'used' as const };
      if (link.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      q.useLink.run(at, tokenHash);
      return { ok: true as const, link: { ...link, usedAt: at } };
    }) as SyncOf<IdentityStore>['consumeEmailLink'],
    countRecentEmailLinks(site, email, sinceIso) {
      return (q.countLinks.get(site, email, sinceIso) as { n: number }).n;
    },
    createSession(s) {
      q.addSession.run(s);
    },
    getSessionByRefresh(hash) {
      const r = q.sessionByRefresh.get(hash);
      return r ? toSession(r) : null;
    },
    rotateSession(id, oldHash, newHash, expiresAt) {
      return q.rotate.run(newHash, expiresAt, id, oldHash).changes > 0;
    },
    getSession(id) {
      const r = q.sessionById.get(id);
      return r ? toSession(r) : null;
    },
    revokeAllSessions: db.transaction((site: string, userId: string, at: string) => {
      const n = q.revokeSessions.run(at, site, userId).changes;
      q.bumpEpoch.run(site, userId);
      return n;
    }) as SyncOf<IdentityStore>['revokeAllSessions'],
    getSessionEpoch(site, userId) {
      return (q.getEpoch.get(site, userId) as { session_epoch: number } | undefined)?.session_epoch ?? 0;
    },
    upsertEmailUser: db.transaction((site: string, sub: string, displayName: string, email: string, now: string, newId: string) => {
      const existing = q.userBySub.get(site, sub) as { id: string } | undefined;
      if (existing) return existing;
      q.insertEmailUser.run(newId, site, sub, displayName, email, now);
      return { id: newId };
    }) as SyncOf<IdentityStore>['upsertEmailUser'],
    addOutbox(m) {
      return Number(q.addOutbox.run(m.site, m.recipient, m.subject, m.body, m.createdAt, m.delivered ? 1 : 0).lastInsertRowid);
    },
    markDelivered(id) {
      q.markDelivered.run(id);
    },
    listOutbox(site, limit, recipientDomains) {
      const rows = recipientDomains ? q.listOutboxTo.all(site, JSON.stringify(recipientDomains), limit) : q.listOutbox.all(site, limit);
      return (rows as any[]).map((r) => ({
        id: r.id, site: r.site, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at,
        delivered: r.delivered === 1,
      }));
    },
    topicParticipation(site, topic) {
      return {
        companies: (q.topicCompanies.all(site, topic) as any[]).map((r) => ({ companyId: r.company, posts: r.n })),
        professionals: (q.topicProfessionals.all(site, topic) as any[]).map((r) => ({
          userId: r.author_id, name: r.display_name, profession: r.profession,
        })),
      };
    },
    findUsers(site, name, limit) {
      const pattern = `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return (q.findUsers.all(site, pattern, limit) as any[]).map((r) => ({
        id: r.id, name: r.display_name, kind: r.kind, createdAt: r.created_at,
      }));
    },
    exportMember(site, userId) {
      const user = q.user.get(site, userId) as any;
      if (!user) return null;
      const result: MemberExport = {
        user: { id: user.id, displayName: user.display_name, email: user.email, kind: user.kind, createdAt: user.created_at },
        roles: (q.roles.all(site, userId) as { role: Role }[]).map((r) => r.role),
        affiliations: q.userAffiliations.all(site, userId).map(toStaff),
        professional: (q.professional.get(site, userId) as any) ?? null,
        posts: (q.userPosts.all(site, userId) as any[]).map((p) => ({
          id: p.id, topic: p.topic, parent: p.parent, body: p.body, createdAt: p.created_at, status: p.status,
        })),
        sessions: (q.userSessions.all(site, userId) as any[]).map((s) => ({
          id: s.id, createdAt: s.created_at, expiresAt: s.expires_at, revokedAt: s.revoked_at,
        })),
        nameChangeRequests: q.userNameChanges.all(site, userId).map(toNameChange),
      };
      return result;
    },
    eraseMember: db.transaction((site: string, userId: string, removePosts: boolean, at: string) => {
      q.revokeSessions.run(at, site, userId);
      q.bumpEpoch.run(site, userId);
      q.deleteRoles.run(site, userId);
      q.eraseNameChanges.run(site, userId);
      q.eraseUser.run(at, site, userId);
      // Every post of theirs changes how it reads (author or text), so each gets a new rev for catch-up.
      const posts = (removePosts ? q.postsOf.all(site, userId) : q.allPostsOf.all(site, userId)) as { id: string; topic: string }[];
      for (const post of posts) {
        const { rev } = q.bumpTopicRev.get(site, post.topic) as { rev: number };
        if (removePosts) q.erasePost.run(rev, post.id);
        else q.touchPost.run(rev, post.id);
      }
      return posts.map((p) => p.id);
    }) as SyncOf<IdentityStore>['eraseMember'],
  };
}
