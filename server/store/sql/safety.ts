/** SafetyStore on SqlDatabase: SQL shared by SQLite and PostgreSQL, one transaction per method. */
import type { SqlDatabase } from './database.js';
import type {
  SafetyContactRecord, SafetyDeliveryRecord, SafetyFlagRecord, SafetyForwardRecord, SafetyStore,
} from '../safety-store.js';

const toContact = (r: any): SafetyContactRecord => ({
  site: r.site, companyId: r.company_id, country: r.country || null, product: r.product || null, pvEmail: r.pv_email, pvWebhookUrl: r.pv_webhook_url, webhookSecret: r.webhook_secret,
  updatedAt: r.updated_at, updatedBy: r.updated_by,
});
const toFlag = (r: any): SafetyFlagRecord => ({
  seq: r.seq, id: r.id, site: r.site, postId: r.post_id, topic: r.topic, authorId: r.author_id, companyId: r.company_id,
  products: JSON.parse(r.products), eventTerms: JSON.parse(r.event_terms), concepts: JSON.parse(r.concepts),
  negatedTerms: JSON.parse(r.negated_terms), language: r.language, reference: r.reference, detectedAt: r.detected_at,
  logIndex: r.log_index, firstSeenAt: r.first_seen_at, firstSeenBy: r.first_seen_by, firstSeenVia: r.first_seen_via,
  consent: r.consent === null ? null : r.consent === 1, consentAt: r.consent_at,
});
const toForward = (r: any): SafetyForwardRecord => ({
  id: r.id, site: r.site, flagId: r.flag_id, companyId: r.company_id, postId: r.post_id, forwardedBy: r.forwarded_by,
  forwardedByRole: r.forwarded_by_role, createdAt: r.created_at, payload: r.payload, logIndex: r.log_index,
});
const toDelivery = (r: any): SafetyDeliveryRecord => ({
  id: r.id, site: r.site, forwardId: r.forward_id, flagId: r.flag_id, companyId: r.company_id, kind: r.kind, channel: r.channel,
  target: r.target, payload: r.payload, status: r.status, attempts: r.attempts, lastError: r.last_error,
  lastAttemptAt: r.last_attempt_at, nextAttemptAt: r.next_attempt_at, deliveredAt: r.delivered_at, createdAt: r.created_at,
});

const SQL = {
  getContact: 'SELECT * FROM safety_contacts WHERE site = ? AND company_id = ? AND country = ? AND product = ?',
  upsertContact: `INSERT INTO safety_contacts (site, company_id, country, product, pv_email, pv_webhook_url, webhook_secret, updated_at, updated_by)
    VALUES (@site, @companyId, @country, @product, @pvEmail, @pvWebhookUrl, @webhookSecret, @updatedAt, @updatedBy)
    ON CONFLICT (site, company_id, country, product) DO UPDATE SET pv_email = excluded.pv_email, pv_webhook_url = excluded.pv_webhook_url,
      webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  deleteContact: 'DELETE FROM safety_contacts WHERE site = ? AND company_id = ? AND country = ? AND product = ?',
  listContacts: 'SELECT * FROM safety_contacts WHERE site = ? ORDER BY company_id, country, product',
  listCompanyContacts: 'SELECT * FROM safety_contacts WHERE site = ? AND company_id = ? ORDER BY country, product',
  // Already flagged (this post for this company, or the same id or reference): nothing is stored.
  insertFlag: `INSERT INTO safety_flags (id, site, post_id, topic, author_id, company_id, products, event_terms,
      concepts, negated_terms, language, reference, detected_at)
    VALUES (@id, @site, @postId, @topic, @authorId, @companyId, @products, @eventTerms, @concepts, @negatedTerms, @language, @reference, @detectedAt)
    ON CONFLICT DO NOTHING`,
  flagLogIndex: 'UPDATE safety_flags SET log_index = ? WHERE site = ? AND id = ?',
  getFlag: 'SELECT * FROM safety_flags WHERE site = ? AND id = ?',
  flagByReference: 'SELECT * FROM safety_flags WHERE site = ? AND reference = ?',
  consent: 'UPDATE safety_flags SET consent = ?, consent_at = ? WHERE site = ? AND id = ?',
  insertForward: `INSERT INTO safety_forwards (id, site, flag_id, company_id, post_id, forwarded_by, forwarded_by_role, created_at, payload)
    VALUES (@id, @site, @flagId, @companyId, @postId, @forwardedBy, @forwardedByRole, @createdAt, @payload)
    ON CONFLICT DO NOTHING`,
  forwardByFlag: 'SELECT * FROM safety_forwards WHERE site = ? AND flag_id = ?',
  forwardLogIndex: 'UPDATE safety_forwards SET log_index = ? WHERE site = ? AND id = ?',
  insertDelivery: `INSERT INTO safety_deliveries (id, site, forward_id, flag_id, company_id, kind, channel, target, payload, status,
      attempts, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at)
    VALUES (@id, @site, @forwardId, @flagId, @companyId, @kind, @channel, @target, @payload, @status,
      @attempts, @lastError, @lastAttemptAt, @nextAttemptAt, @deliveredAt, @createdAt)`,
  getDelivery: 'SELECT * FROM safety_deliveries WHERE site = ? AND id = ?',
  // rowid: the PostgreSQL schema gives safety_deliveries a real `rowid` column for these tie-breaks.
  deliveriesByStatus: 'SELECT * FROM safety_deliveries WHERE site = ? AND status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  deliveries: 'SELECT * FROM safety_deliveries WHERE site = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  due: `SELECT * FROM safety_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?`,
  claim: `UPDATE safety_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`,
  finish: `UPDATE safety_deliveries SET status = @status, attempts = @attempts, last_error = @lastError,
    last_attempt_at = @lastAttemptAt, next_attempt_at = @nextAttemptAt, delivered_at = @deliveredAt WHERE id = @id`,
  retry: `UPDATE safety_deliveries SET status = 'pending', next_attempt_at = ? WHERE site = ? AND id = ? AND status IN ('pending','failed')
    AND payload NOT LIKE '{"redacted":true%'`, // nothing left to send after erasure or retention
  deleteFeedToken: 'DELETE FROM safety_feed_tokens WHERE site = ? AND company_id = ?',
  insertFeedToken: 'INSERT INTO safety_feed_tokens (token_hash, site, company_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
  feedTokenOwner: 'SELECT site, company_id FROM safety_feed_tokens WHERE token_hash = ?',
  flagsOfAuthor: `SELECT f.*, w.created_at AS forwarded_at FROM safety_flags f
    LEFT JOIN safety_forwards w ON w.flag_id = f.id WHERE f.site = ? AND f.author_id = ? ORDER BY f.seq`,
  redactForwardsOfAuthor: `UPDATE safety_forwards SET payload = ? WHERE site = ? AND flag_id IN
    (SELECT id FROM safety_flags WHERE site = ? AND author_id = ?)`,
  redactDeliveriesOfAuthor: `UPDATE safety_deliveries SET payload = ? WHERE site = ? AND status != 'pending' AND flag_id IN
    (SELECT id FROM safety_flags WHERE site = ? AND author_id = ?)`,
  eraseFlagsOfAuthor: `UPDATE safety_flags SET author_id = 'erased', event_terms = '[]', negated_terms = '[]',
    consent = NULL, consent_at = NULL WHERE site = ? AND author_id = ?`,
  flagTimes: `SELECT f.company_id, f.detected_at, w.created_at AS forwarded_at FROM safety_flags f
    LEFT JOIN safety_forwards w ON w.flag_id = f.id WHERE f.site = ? ORDER BY f.seq`,
  redactOldForwards: `UPDATE safety_forwards SET payload = ? WHERE created_at < ? AND payload NOT LIKE '{"redacted":true%'`,
  redactOldDeliveries: `UPDATE safety_deliveries SET payload = ? WHERE created_at < ? AND status != 'pending'
    AND payload NOT LIKE '{"redacted":true%'`,
};

/** Ids per IN list: well under both databases' parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const marks = (items: readonly unknown[]): string => items.map(() => '?').join(', ');

export function safetyStore(db: SqlDatabase): SafetyStore {
  // What stays of a forward's payload after erasure or retention: that it existed, and when it went.
  const redacted = (at: string, why: 'erasure' | 'retention') => JSON.stringify({ redacted: true, why, at });

  return {
    async getSafetyContact(site, companyId, scope) {
      // '' stands for "any" in the key columns (NULL cannot be part of a primary key's equality).
      const row = await db.get(SQL.getContact, [site, companyId, scope?.country ?? '', scope?.product ?? '']);
      return row ? toContact(row) : null;
    },
    async setSafetyContact(contact) {
      const key = { country: contact.country ?? '', product: contact.product ?? '' };
      if (!contact.pvEmail && !contact.pvWebhookUrl) await db.run(SQL.deleteContact, [contact.site, contact.companyId, key.country, key.product]);
      else await db.run(SQL.upsertContact, { ...contact, ...key });
    },
    async listSafetyContacts(site, companyId) {
      return (companyId ? await db.all(SQL.listCompanyContacts, [site, companyId]) : await db.all(SQL.listContacts, [site])).map(toContact);
    },

    async createSafetyFlag(flag) {
      return (await db.run(SQL.insertFlag, {
        ...flag, products: JSON.stringify(flag.products), eventTerms: JSON.stringify(flag.eventTerms),
        concepts: JSON.stringify(flag.concepts), negatedTerms: JSON.stringify(flag.negatedTerms),
      })).changes === 1;
    },
    async setSafetyFlagLogIndex(site, id, logIndex) {
      await db.run(SQL.flagLogIndex, [logIndex, site, id]);
    },
    async getSafetyFlag(site, id) {
      const row = await db.get(SQL.getFlag, [site, id]);
      return row ? toFlag(row) : null;
    },
    async getSafetyFlagByReference(site, reference) {
      const row = await db.get(SQL.flagByReference, [site, reference]);
      return row ? toFlag(row) : null;
    },
    async listSafetyFlags(site, filter) {
      const where = ['f.site = ?'];
      const params: unknown[] = [site];
      if (filter.companyId !== undefined) { where.push('f.company_id = ?'); params.push(filter.companyId); }
      if (filter.authorId !== undefined) { where.push('f.author_id = ?'); params.push(filter.authorId); }
      if (filter.postId !== undefined) { where.push('f.post_id = ?'); params.push(filter.postId); }
      if (filter.forwarded !== undefined) {
        where.push(`${filter.forwarded ? '' : 'NOT '}EXISTS (SELECT 1 FROM safety_forwards w WHERE w.flag_id = f.id)`);
      }
      if (filter.beforeSeq !== undefined) { where.push('f.seq < ?'); params.push(filter.beforeSeq); }
      if (filter.postIds === undefined) {
        return (await db.all(`SELECT f.* FROM safety_flags f WHERE ${where.join(' AND ')} ORDER BY f.seq DESC LIMIT ?`,
          [...params, filter.limit])).map(toFlag);
      }
      // Any of these posts: an IN list per chunk, the chunks' pages merged newest first.
      const postIds = [...new Set(filter.postIds)];
      const flags: SafetyFlagRecord[] = [];
      for (const part of chunks(postIds)) {
        const rows = await db.all(`SELECT f.* FROM safety_flags f WHERE ${where.join(' AND ')} AND f.post_id IN (${marks(part)})
          ORDER BY f.seq DESC LIMIT ?`, [...params, ...part, filter.limit]);
        flags.push(...rows.map(toFlag));
      }
      return flags.sort((a, b) => b.seq - a.seq).slice(0, filter.limit);
    },
    async recordSafetyFirstSeen(site, companyId, postIds, at, by, via) {
      if (postIds.length === 0) return 0;
      // First wins: only a flag with no first-seen time gets one.
      const record = async (part: string[]) => (await db.run(`UPDATE safety_flags SET first_seen_at = ?, first_seen_by = ?, first_seen_via = ?
        WHERE site = ? AND company_id = ? AND post_id IN (${marks(part)}) AND first_seen_at IS NULL`,
      [at, by, via, site, companyId, ...part])).changes;
      const parts = chunks([...new Set(postIds)]);
      if (parts.length === 1) return record(parts[0]!);
      return db.transaction(async () => {
        let changed = 0;
        for (const part of parts) changed += await record(part);
        return changed;
      });
    },
    async setSafetyConsent(site, flagId, consent, at) {
      await db.run(SQL.consent, [consent ? 1 : 0, at, site, flagId]);
    },

    createSafetyForward(forward, deliveries) {
      return db.transaction(async () => {
        const inserted = (await db.run(SQL.insertForward, { ...forward })).changes === 1;
        if (!inserted) return { created: false, forward: toForward(await db.get(SQL.forwardByFlag, [forward.site, forward.flagId])) };
        for (const d of deliveries) await db.run(SQL.insertDelivery, { ...d });
        return { created: true, forward: toForward(await db.get(SQL.forwardByFlag, [forward.site, forward.flagId])) };
      });
    },
    async setSafetyForwardLogIndex(site, id, logIndex) {
      await db.run(SQL.forwardLogIndex, [logIndex, site, id]);
    },
    async getSafetyForwardByFlag(site, flagId) {
      const row = await db.get(SQL.forwardByFlag, [site, flagId]);
      return row ? toForward(row) : null;
    },
    async addSafetyDeliveries(deliveries) {
      await db.transaction(async () => {
        for (const d of deliveries) await db.run(SQL.insertDelivery, { ...d });
      });
    },
    async getSafetyDelivery(site, id) {
      const row = await db.get(SQL.getDelivery, [site, id]);
      return row ? toDelivery(row) : null;
    },
    async listSafetyDeliveries(site, filter) {
      if (filter.forwardIds) {
        if (filter.forwardIds.length === 0) return [];
        // An IN list per chunk, the chunks' pages merged newest first (rowid breaks ties, as in one query).
        const rows: any[] = [];
        for (const part of chunks([...new Set(filter.forwardIds)])) {
          rows.push(...await db.all(`SELECT rowid AS position, * FROM safety_deliveries WHERE site = ? AND forward_id IN (${marks(part)})
            ORDER BY created_at DESC, rowid DESC LIMIT ?`, [site, ...part, filter.limit]));
        }
        rows.sort((a, b) => (a.created_at === b.created_at ? b.position - a.position : a.created_at < b.created_at ? 1 : -1));
        return rows.slice(0, filter.limit).map(toDelivery);
      }
      if (filter.status) return (await db.all(SQL.deliveriesByStatus, [site, filter.status, filter.limit])).map(toDelivery);
      return (await db.all(SQL.deliveries, [site, filter.limit])).map(toDelivery);
    },
    async dueSafetyDeliveries(now, limit) {
      return (await db.all(SQL.due, [now, limit])).map(toDelivery);
    },
    async claimSafetyDelivery(id, now, leaseUntil) {
      return (await db.run(SQL.claim, [leaseUntil, id, now])).changes === 1;
    },
    async finishSafetyDelivery(id, outcome) {
      await db.run(SQL.finish, { id, ...outcome });
    },
    async retrySafetyDelivery(site, id, now) {
      return (await db.run(SQL.retry, [now, site, id])).changes === 1;
    },

    async setSafetyFeedToken(site, companyId, tokenHash, at, by) {
      await db.transaction(async () => {
        await db.run(SQL.deleteFeedToken, [site, companyId]);
        if (tokenHash) await db.run(SQL.insertFeedToken, [tokenHash, site, companyId, at, by]);
      });
    },
    async safetyFeedTokenOwner(tokenHash) {
      const row = await db.get<{ site: string; company_id: string }>(SQL.feedTokenOwner, [tokenHash]);
      return row ? { site: row.site, companyId: row.company_id } : null;
    },

    async exportSafetyOf(site, authorId) {
      return {
        flags: (await db.all(SQL.flagsOfAuthor, [site, authorId])).map((r) => {
          const f = toFlag(r);
          return {
            id: f.id, postId: f.postId, products: f.products, eventTerms: f.eventTerms, detectedAt: f.detectedAt,
            consent: f.consent, consentAt: f.consentAt, forwardedAt: r.forwarded_at ?? null,
          };
        }),
      };
    },
    eraseSafetyOf(site, authorId, at) {
      return db.transaction(async () => {
        const payload = redacted(at, 'erasure');
        await db.run(SQL.redactForwardsOfAuthor, [payload, site, site, authorId]);
        await db.run(SQL.redactDeliveriesOfAuthor, [payload, site, site, authorId]);
        return (await db.run(SQL.eraseFlagsOfAuthor, [site, authorId])).changes;
      });
    },
    async safetyFlagTimes(site) {
      return (await db.all(SQL.flagTimes, [site])).map((r) => ({ companyId: r.company_id, detectedAt: r.detected_at, forwardedAt: r.forwarded_at ?? null }));
    },
    redactSafetyBefore(before, at) {
      return db.transaction(async () => {
        const payload = redacted(at, 'retention');
        return (await db.run(SQL.redactOldForwards, [payload, before])).changes + (await db.run(SQL.redactOldDeliveries, [payload, before])).changes;
      });
    },
  };
}
