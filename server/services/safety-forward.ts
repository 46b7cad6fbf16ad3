/**
 * The one-step forward of a possible adverse event to the company's safety team (issue 6):
 * a moderator, or a verified employee of the company concerned, sends the flag; Parley builds
 * the forward (moderation/safety.ts), stores it with one delivery per channel of the
 * company's most specific pharmacovigilance contact for the flagged products and country
 * (safety-contacts.ts), records "forwarded for safety review to <company>" in
 * the public audit log (post id and company only) — all in one transaction — and starts
 * delivering. At most one forward per flag: asking again answers with the first one.
 *
 * The post is only read, never changed: it stays visible, unedited and undelayed.
 * The forward carries a way to reach the member through the host organisation (a reference
 * and the host's relay mailbox), never the member's email.
 */
import { ParleyError } from '../../moderation/errors.js';
import { OpaqueIdSchema } from '../../moderation/moderation-schemas.js';
import { buildConsentUpdate, buildForwardPayload, postLink, type SafetyForwardPayload, type SafetyForwardView } from '../../moderation/safety.js';
import { SafetyForwardSchema } from '../../moderation/safety-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { AuditActor } from '../audit/audit-log.js';
import type { SafetyFlagRecord, SafetyForwardRecord } from '../store/safety-store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { publicBase } from './moderation-settings.js';
import { safetySettings, safetyViewerOf, type SafetyViewer } from './safety.js';
import { contactForFlag } from './safety-contacts.js';
import { deliverSoon, deliveryView, newDeliveries } from './safety-delivery.js';
import { valid } from './validate.js';

export async function forwardView(ctx: AppContext, forward: SafetyForwardRecord): Promise<SafetyForwardView> {
  const payload = JSON.parse(forward.payload) as SafetyForwardPayload;
  return {
    id: forward.id,
    flagId: forward.flagId,
    at: forward.createdAt,
    by: payload.forwardedBy,
    logIndex: forward.logIndex,
    deliveries: (await ctx.store.listSafetyDeliveries(forward.site, { forwardIds: [forward.id], limit: 50 })).map(deliveryView),
    payload,
  };
}

/** A flag the viewer may act on; staff of other companies are told it does not exist. */
export async function flagFor(ctx: AppContext, viewer: SafetyViewer, site: string, id: unknown): Promise<SafetyFlagRecord> {
  const flagId = valid(parseWith(OpaqueIdSchema, id));
  const flag = await ctx.store.getSafetyFlag(site, flagId);
  if (!flag || (viewer.kind === 'company-staff' && flag.companyId !== viewer.companyId)) {
    throw new ParleyError('not_found', 'No such flag on this site.');
  }
  return flag;
}

/** The post link of a flag: the host's page (site setting `postUrlTemplate`) or the API URL. */
export async function flagLink(ctx: AppContext, flag: Pick<SafetyFlagRecord, 'site' | 'topic' | 'postId'>): Promise<{ url: string; apiUrl: string }> {
  return postLink({
    template: (await safetySettings(ctx, flag.site)).postUrlTemplate, apiBase: publicBase(ctx), site: flag.site, topic: flag.topic, postId: flag.postId,
  });
}

/** POST /safety/flags/{id}/forward. */
export async function forwardFlag(ctx: AppContext, principal: Principal, id: unknown, input: unknown): Promise<{ forward: SafetyForwardView; created: boolean }> {
  const viewer = await safetyViewerOf(ctx, principal);
  valid(parseWith(SafetyForwardSchema, input ?? {}));
  const site = principal.site.id;
  const flag = await flagFor(ctx, viewer, site, id);
  const at = ctx.now().toISOString();
  // A company employee who forwards has seen the post: that starts the company's clock if nothing did before.
  if (viewer.kind === 'company-staff') await ctx.store.recordSafetyFirstSeen(site, flag.companyId, [flag.postId], at, viewer.userId, 'forward');

  const existing = await ctx.store.getSafetyForwardByFlag(site, flag.id);
  if (existing) return { forward: await forwardView(ctx, existing), created: false };

  const company = await ctx.store.getCompany(site, flag.companyId);
  // The most specific contact for the flagged products and the country (issue 15, P-4).
  const routed = await contactForFlag(ctx, flag);
  const companyName = company?.displayName ?? flag.companyId;
  if (!routed) {
    throw new ParleyError('no_safety_contact', `${companyName} has no pharmacovigilance contact registered here yet. A site admin can add one; the flag stays listed.`);
  }
  const post = await ctx.store.getPost(site, flag.postId);
  // An erased post (the member deleted it with their account) has no words left to send.
  if (!post || post.body === '') throw new ParleyError('not_found', 'The flagged post no longer exists or its author erased it.');
  const seen = (await ctx.store.getSafetyFlag(site, flag.id))!;
  const settings = await safetySettings(ctx, site);
  const topic = await ctx.store.getTopic(site, flag.topic);
  const link = await flagLink(ctx, flag);
  const forwardId = ctx.newId();
  const payload = buildForwardPayload({
    forwardId,
    reference: flag.reference,
    site: { id: site, name: principal.site.name },
    company: { id: flag.companyId, name: companyName },
    post: {
      id: post.id, topic: post.topic, topicTitle: topic?.title ?? null, url: link.url, apiUrl: link.apiUrl,
      createdAt: post.createdAt, editedAt: post.editedAt, text: post.body, language: flag.language,
      reporterPseudonym: post.authorKind === 'deleted' ? 'Deleted member' : post.authorName,
    },
    products: flag.products,
    eventTerms: flag.eventTerms,
    concepts: flag.concepts,
    detectedAt: flag.detectedAt,
    firstSeen: seen.firstSeenAt && seen.firstSeenVia ? { at: seen.firstSeenAt, via: seen.firstSeenVia } : null,
    forwardedAt: at,
    forwardedBy: viewer.kind === 'company-staff' ? { role: 'company-staff', name: viewer.name } : { role: 'moderator', name: null },
    relayEmail: settings.relayEmail,
    memberAgreed: flag.consent,
  });
  const record: SafetyForwardRecord = {
    id: forwardId, site, flagId: flag.id, companyId: flag.companyId, postId: flag.postId, forwardedBy: viewer.userId,
    forwardedByRole: viewer.kind, createdAt: at, payload: JSON.stringify(payload), logIndex: null,
  };
  // Company staff appear in the public log as their company, moderators by their public pseudonym.
  const actor: AuditActor = viewer.kind === 'company-staff'
    ? { type: 'staff', label: `${companyName} staff`, userId: viewer.userId }
    : await auditActorOf(ctx, site, viewer.userId);

  const result = await ctx.store.transaction(async () => {
    const stored = await ctx.store.createSafetyForward(record, newDeliveries(ctx, record, routed.contact, 'forward', record.payload));
    if (!stored.created) return stored;
    const ref = await ctx.audit.append({
      site, kind: 'safety.forwarded', at, actor,
      subject: { postId: flag.postId, topic: flag.topic },
      data: { postId: flag.postId, company: flag.companyId, companyName, summary: `forwarded for safety review to ${companyName}` },
    });
    if (ref.index >= 0) await ctx.store.setSafetyForwardLogIndex(site, forwardId, ref.index);
    return { created: true, forward: { ...stored.forward, logIndex: ref.index >= 0 ? ref.index : null } };
  });
  if (result.created) {
    ctx.log.info({ site, flag: flag.id, company: flag.companyId, by: viewer.kind, contact: routed.match }, 'possible adverse event forwarded');
    deliverSoon(ctx);
  }
  return { forward: await forwardView(ctx, result.forward), created: result.created };
}

/**
 * After a forward, a change in the member's answer goes to the safety team too (a small
 * update, same reference), so they know whether they may follow up. It goes where the forward
 * went — the same addresses — even if the contacts changed since: that team has the report.
 */
export async function sendConsentUpdate(ctx: AppContext, flag: SafetyFlagRecord, agreed: boolean): Promise<void> {
  const forward = await ctx.store.getSafetyForwardByFlag(flag.site, flag.id);
  if (!forward) return;
  const sentTo = (await ctx.store.listSafetyDeliveries(flag.site, { forwardIds: [forward.id], limit: 50 })).filter((d) => d.kind === 'forward');
  const contact = {
    pvEmail: sentTo.find((d) => d.channel === 'email')?.target ?? null,
    pvWebhookUrl: sentTo.find((d) => d.channel === 'webhook')?.target ?? null,
  };
  if (!contact.pvEmail && !contact.pvWebhookUrl) return;
  const sent = JSON.parse(forward.payload) as SafetyForwardPayload;
  const update = buildConsentUpdate({
    forward: sent, at: ctx.now().toISOString(), relayEmail: (await safetySettings(ctx, flag.site)).relayEmail, memberAgreed: agreed,
  });
  await ctx.store.addSafetyDeliveries(newDeliveries(ctx, forward, contact, 'consent-update', JSON.stringify(update)));
  deliverSoon(ctx);
}
