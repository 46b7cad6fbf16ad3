/** SQLite implementation of SafetyStore: prepared statements, one transaction per method. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
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

export function sqliteSafetyStore(db: Database.Database): SyncOf<SafetyStore> {
  const q = {
    getContact: db.prepare('SELECT * FROM safety_contacts WHERE site = ? AND company_id = ? AND country = ? AND product = ?'),
    upsertContact: db.prepare(`INSERT INTO safety_contacts (site, company_id, country, product, pv_email, pv_webhook_url, webhook_secret, updated_at, updated_by)
      VALUES (@site, @companyId, @country, @product, @pvEmail, @pvWebhookUrl, @webhookSecret, @updatedAt, @updatedBy)
      ON CONFLICT (site, company_id, country, product) DO UPDATE SET pv_email = excluded.pv_email, pv_webhook_url = excluded.pv_webhook_url,
        webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
    deleteContact: db.prepare('DELETE FROM safety_contacts WHERE site = ? AND company_id = ? AND country = ? AND product = ?'),
    listContacts: db.prepare('SELECT * FROM safety_contacts WHERE site = ? ORDER BY company_id, country, product'),
    listCompanyContacts: db.prepare('SELECT * FROM safety_contacts WHERE site = ? AND company_id = ? ORDER BY country, product'),
    insertFlag: db.prepare(`INSERT OR IGNORE INTO safety_flags (id, site, post_id, topic, author_id, company_id, products, event_terms,
        concepts, negated_terms, language, reference, detected_at)
      VALUES (@id, @site, @postId, @topic, @authorId, @companyId, @products, @eventTerms, @concepts, @negatedTerms, @language, @reference, @detectedAt)`),
    flagLogIndex: db.prepare('UPDATE safety_flags SET log_index = ? WHERE site = ? AND id = ?'),
    getFlag: db.prepare('SELECT * FROM safety_flags WHERE site = ? AND id = ?'),
    flagByReference: db.prepare('SELECT * FROM safety_flags WHERE site = ? AND reference = ?'),
    // First wins: only a flag with no first-seen time gets one.
    firstSeen: db.prepare(`UPDATE safety_flags SET first_seen_at = ?, first_seen_by = ?, first_seen_via = ?
      WHERE site = ? AND company_id = ? AND post_id IN (SELECT value FROM json_each(?)) AND first_seen_at IS NULL`),
    consent: db.prepare('UPDATE safety_flags SET consent = ?, consent_at = ? WHERE site = ? AND id = ?'),
    insertForward: db.prepare(`INSERT OR IGNORE INTO safety_forwards (id, site, flag_id, company_id, post_id, forwarded_by, forwarded_by_role, created_at, payload)
      VALUES (@id, @site, @flagId, @companyId, @postId, @forwardedBy, @forwardedByRole, @createdAt, @payload)`),
    forwardByFlag: db.prepare('SELECT * FROM safety_forwards WHERE site = ? AND flag_id = ?'),
    forwardLogIndex: db.prepare('UPDATE safety_forwards SET log_index = ? WHERE site = ? AND id = ?'),
    insertDelivery: db.prepare(`INSERT INTO safety_deliveries (id, site, forward_id, flag_id, company_id, kind, channel, target, payload, status,
        attempts, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at)
      VALUES (@id, @site, @forwardId, @flagId, @companyId, @kind, @channel, @target, @payload, @status,
        @attempts, @lastError, @lastAttemptAt, @nextAttemptAt, @deliveredAt, @createdAt)`),
    getDelivery: db.prepare('SELECT * FROM safety_deliveries WHERE site = ? AND id = ?'),
    deliveriesOfForwards: db.prepare(`SELECT * FROM safety_deliveries WHERE site = ? AND forward_id IN (SELECT value FROM json_each(?))
      ORDER BY created_at DESC, rowid DESC LIMIT ?`),
    deliveriesByStatus: db.prepare('SELECT * FROM safety_deliveries WHERE site = ? AND status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
    deliveries: db.prepare('SELECT * FROM safety_deliveries WHERE site = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
    due: db.prepare(`SELECT * FROM safety_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?`),
    claim: db.prepare(`UPDATE safety_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`),
    finish: db.prepare(`UPDATE safety_deliveries SET status = @status, attempts = @attempts, last_error = @lastError,
      last_attempt_at = @lastAttemptAt, next_attempt_at = @nextAttemptAt, delivered_at = @deliveredAt WHERE id = @id`),
    retry: db.prepare(`UPDATE safety_deliveries SET status = 'pending', next_attempt_at = ? WHERE site = ? AND id = ? AND status IN ('pending','failed')
      AND payload NOT LIKE '{"redacted":true%'`), // nothing left to send after erasure or retention
    deleteFeedToken: db.prepare('DELETE FROM safety_feed_tokens WHERE site = ? AND company_id = ?'),
    insertFeedToken: db.prepare('INSERT INTO safety_feed_tokens (token_hash, site, company_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)'),
    feedTokenOwner: db.prepare('SELECT site, company_id FROM safety_feed_tokens WHERE token_hash = ?'),
    flagsOfAuthor: db.prepare(`SELECT f.*, w.created_at AS forwarded_at FROM safety_flags f
      LEFT JOIN safety_forwards w ON w.flag_id = f.id WHERE f.site = ? AND f.author_id = ? ORDER BY f.seq`),
    redactForwardsOfAuthor: db.prepare(`UPDATE safety_forwards SET payload = ? WHERE site = ? AND flag_id IN
      (SELECT id FROM safety_flags WHERE site = ? AND author_id = ?)`),
    redactDeliveriesOfAuthor: db.prepare(`UPDATE safety_deliveries SET payload = ? WHERE site = ? AND status != 'pending' AND flag_id IN
      (SELECT id FROM safety_flags WHERE site = ? AND author_id = ?)`),
    eraseFlagsOfAuthor: db.prepare(`UPDATE safety_flags SET author_id = 'erased', event_terms = '[]', negated_terms = '[]',
      consent = NULL, consent_at = NULL WHERE site = ? AND author_id = ?`),
    flagTimes: db.prepare(`SELECT f.company_id, f.detected_at, w.created_at AS forwarded_at FROM safety_flags f
      LEFT JOIN safety_forwards w ON w.flag_id = f.id WHERE f.site = ? ORDER BY f.seq`),
    redactOldForwards: db.prepare(`UPDATE safety_forwards SET payload = ? WHERE created_at < ? AND payload NOT LIKE '{"redacted":true%'`),
    redactOldDeliveries: db.prepare(`UPDATE safety_deliveries SET payload = ? WHERE created_at < ? AND status != 'pending'
      AND payload NOT LIKE '{"redacted":true%'`),
  };

  // What stays of a forward's payload after erasure or retention: that it existed, and when it went.
  const redacted = (at: string, why: 'erasure' | 'retention') => JSON.stringify({ redacted: true, why, at });
  const eraseOf = db.transaction((site: string, authorId: string, at: string) => {
    const payload = redacted(at, 'erasure');
    q.redactForwardsOfAuthor.run(payload, site, site, authorId);
    q.redactDeliveriesOfAuthor.run(payload, site, site, authorId);
    return q.eraseFlagsOfAuthor.run(site, authorId).changes;
  });
  const redactBefore = db.transaction((before: string, at: string) => {
    const payload = redacted(at, 'retention');
    return q.redactOldForwards.run(payload, before).changes + q.redactOldDeliveries.run(payload, before).changes;
  });

  // Flag lists are filtered by a few optional fields: one statement per shape, prepared once.
  const listStatements = new Map<string, Database.Statement>();

  const createForward = db.transaction((forward: SafetyForwardRecord, deliveries: SafetyDeliveryRecord[]) => {
    const inserted = q.insertForward.run(forward).changes === 1;
    if (!inserted) return { created: false, forward: toForward(q.forwardByFlag.get(forward.site, forward.flagId)) };
    for (const d of deliveries) q.insertDelivery.run(d);
    return { created: true, forward: toForward(q.forwardByFlag.get(forward.site, forward.flagId)) };
  });
  const addDeliveries = db.transaction((deliveries: SafetyDeliveryRecord[]) => {
    for (const d of deliveries) q.insertDelivery.run(d);
  });
  const setFeedToken = db.transaction((site: string, companyId: string, tokenHash: string | null, at: string, by: string) => {
    q.deleteFeedToken.run(site, companyId);
    if (tokenHash) q.insertFeedToken.run(tokenHash, site, companyId, at, by);
  });

  return {
    getSafetyContact(site, companyId, scope) {
      // '' stands for "any" in the key columns (NULL cannot be part of a primary key's equality).
      const row = q.getContact.get(site, companyId, scope?.country ?? '', scope?.product ?? '');
      return row ? toContact(row) : null;
    },
    setSafetyContact(contact) {
      const key = { country: contact.country ?? '', product: contact.product ?? '' };
      if (!contact.pvEmail && !contact.pvWebhookUrl) q.deleteContact.run(contact.site, contact.companyId, key.country, key.product);
      else q.upsertContact.run({ ...contact, ...key });
    },
    listSafetyContacts(site, companyId) {
      return (companyId ? q.listCompanyContacts.all(site, companyId) : q.listContacts.all(site)).map(toContact);
    },

    createSafetyFlag(flag) {
      return q.insertFlag.run({
        ...flag, products: JSON.stringify(flag.products), eventTerms: JSON.stringify(flag.eventTerms),
        concepts: JSON.stringify(flag.concepts), negatedTerms: JSON.stringify(flag.negatedTerms),
      }).changes === 1;
    },
    setSafetyFlagLogIndex(site, id, logIndex) {
      q.flagLogIndex.run(logIndex, site, id);
    },
    getSafetyFlag(site, id) {
      const row = q.getFlag.get(site, id);
      return row ? toFlag(row) : null;
    },
    getSafetyFlagByReference(site, reference) {
      const row = q.flagByReference.get(site, reference);
      return row ? toFlag(row) : null;
    },
    listSafetyFlags(site, filter) {
      const where = ['f.site = ?'];
      const params: unknown[] = [site];
      if (filter.companyId !== undefined) { where.push('f.company_id = ?'); params.push(filter.companyId); }
      if (filter.authorId !== undefined) { where.push('f.author_id = ?'); params.push(filter.authorId); }
      if (filter.postId !== undefined) { where.push('f.post_id = ?'); params.push(filter.postId); }
      if (filter.postIds !== undefined) { where.push('f.post_id IN (SELECT value FROM json_each(?))'); params.push(JSON.stringify(filter.postIds)); }
      if (filter.forwarded !== undefined) {
        where.push(`${filter.forwarded ? '' : 'NOT '}EXISTS (SELECT 1 FROM safety_forwards w WHERE w.flag_id = f.id)`);
      }
      if (filter.beforeSeq !== undefined) { where.push('f.seq < ?'); params.push(filter.beforeSeq); }
      const sql = `SELECT f.* FROM safety_flags f WHERE ${where.join(' AND ')} ORDER BY f.seq DESC LIMIT ?`;
      let statement = listStatements.get(sql);
      if (!statement) listStatements.set(sql, (statement = db.prepare(sql)));
      return statement.all(...params, filter.limit).map(toFlag);
    },
    recordSafetyFirstSeen(site, companyId, postIds, at, by, via) {
      if (postIds.length === 0) return 0;
      return q.firstSeen.run(at, by, via, site, companyId, JSON.stringify(postIds)).changes;
    },
    setSafetyConsent(site, flagId, consent, at) {
      q.consent.run(consent ? 1 : 0, at, site, flagId);
    },

    createSafetyForward(forward, deliveries) {
      return createForward.immediate(forward, deliveries);
    },
    setSafetyForwardLogIndex(site, id, logIndex) {
      q.forwardLogIndex.run(logIndex, site, id);
    },
    getSafetyForwardByFlag(site, flagId) {
      const row = q.forwardByFlag.get(site, flagId);
      return row ? toForward(row) : null;
    },
    addSafetyDeliveries(deliveries) {
      addDeliveries(deliveries);
    },
    getSafetyDelivery(site, id) {
      const row = q.getDelivery.get(site, id);
      return row ? toDelivery(row) : null;
    },
    listSafetyDeliveries(site, filter) {
      if (filter.forwardIds) {
        if (filter.forwardIds.length === 0) return [];
        return q.deliveriesOfForwards.all(site, JSON.stringify(filter.forwardIds), filter.limit).map(toDelivery);
      }
      if (filter.status) return q.deliveriesByStatus.all(site, filter.status, filter.limit).map(toDelivery);
      return q.deliveries.all(site, filter.limit).map(toDelivery);
    },
    dueSafetyDeliveries(now, limit) {
      return q.due.all(now, limit).map(toDelivery);
    },
    claimSafetyDelivery(id, now, leaseUntil) {
      return q.claim.run(leaseUntil, id, now).changes === 1;
    },
    finishSafetyDelivery(id, outcome) {
      q.finish.run({ id, ...outcome });
    },
    retrySafetyDelivery(site, id, now) {
      return q.retry.run(now, site, id).changes === 1;
    },

    setSafetyFeedToken(site, companyId, tokenHash, at, by) {
      setFeedToken(site, companyId, tokenHash, at, by);
    },
    safetyFeedTokenOwner(tokenHash) {
      const row = q.feedTokenOwner.get(tokenHash) as { site: string; company_id: string } | undefined;
      return row ? { site: row.site, companyId: row.company_id } : null;
    },

    exportSafetyOf(site, authorId) {
      return {
        flags: (q.flagsOfAuthor.all(site, authorId) as any[]).map((r) => {
          const f = toFlag(r);
          return {
            id: f.id, postId: f.postId, products: f.products, eventTerms: f.eventTerms, detectedAt: f.detectedAt,
            consent: f.consent, consentAt: f.consentAt, forwardedAt: r.forwarded_at ?? null,
          };
        }),
      };
    },
    eraseSafetyOf(site, authorId, at) {
      return eraseOf(site, authorId, at);
    },
    safetyFlagTimes(site) {
      return (q.flagTimes.all(site) as any[]).map((r) => ({ companyId: r.company_id, detectedAt: r.detected_at, forwardedAt: r.forwarded_at ?? null }));
    },
    redactSafetyBefore(before, at) {
      return redactBefore(before, at);
    },
  };
}
