/**
 * Verifying company staff. Three ways, all recorded as identity events:
 * the host's sign-in vouches (services/identity.ts), an email link to an address on one of
 * the company's registered domains (here), or a site admin verifies someone directly (here).
 * Staff may never hold moderator or admin roles, and their affiliation can be revoked; past
 * posts keep the badge they were written with.
 */
import { ParleyError } from '../../moderation/errors.js';
import { affiliationConflicts, domainMatches, emailDomain } from '../../moderation/identity.js';
import {
  EmailLinkRequestSchema, EmailLinkVerifySchema, parseWith, RevokeStaffSchema, VerifyProfessionalSchema, VerifyStaffSchema,
} from '../../moderation/schemas.js';
import type { SessionTokens } from '../../moderation/types.js';
import { hashToken, linkRefused, newSecretToken } from '../auth/session-tokens.js';
import { isOriginAllowed } from '../http/origins.js';
import type { CompanyRecord } from '../store/identity-store.js';
import type { SiteRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { recordIdentity } from '../audit/identity-events.js';
import { issueSession } from './sessions.js';
import { valid } from './validate.js';
import { emailSubject } from './member-sign-in.js';

export const EMAIL_LINK_MINUTES = 30;
export const EMAIL_LINKS_PER_HOUR = 3;
/** Links are deleted this long after they expired. */
const KEEP_LINKS_MS = 24 * 3_600_000;

async function companyForEmail(ctx: AppContext, site: string, email: string): Promise<CompanyRecord | null> {
  return (await ctx.store.listCompanies(site)).find((c) => domainMatches(email, c.emailDomains)) ?? null;
}

/** Step 1: an employee asks for a link at their work address. The token is mailed, never returned. */
export async function requestEmailLink(
  ctx: AppContext, site: SiteRecord, input: unknown, ip: string,
): Promise<{ sent: true; expiresInMinutes: number; company: string }> {
  const request = valid(parseWith(EmailLinkRequestSchema, input));
  const returnUrl = new URL(request.returnUrl);
  if (!isOriginAllowed(site, returnUrl.origin, ctx.selfOrigins())) {
    throw new ParleyError('validation_failed', 'returnUrl must be a page of this site.');
  }
  const company = await companyForEmail(ctx, site.id, request.email);
  if (!company) {
    throw new ParleyError(
      'validation_failed',
      `Addresses at ${emailDomain(request.email) ?? 'that domain'} are not registered for any company on this site. Ask the site to register your company's domain.`,
    );
  }
  // Any address at the company's domain passes the per-address limit below: this one keeps a
  // single client from mailing the whole domain (and filling email_links).
  await ctx.limits.consume('staff-link', site.id, null, ip);
  const now = ctx.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const token = newSecretToken();
  // Count and create in one transaction, so requests at the same moment cannot pass the limit together.
  await ctx.store.transaction(async () => {
    // Links (and the address in them) go a day after they expired; until then a late click is told why.
    await ctx.store.purgeEmailLinks(site.id, new Date(now.getTime() - KEEP_LINKS_MS).toISOString());
    if ((await ctx.store.countRecentEmailLinks(site.id, request.email, hourAgo)) >= EMAIL_LINKS_PER_HOUR) {
      throw new ParleyError('rate_limited', 'Too many sign-in links were requested for this address. Try again in an hour.', {
        retryAfterSeconds: 3600,
      });
    }
    await ctx.store.createEmailLink({
      tokenHash: hashToken(token), site: site.id, email: request.email, companyId: company.id,
      displayName: request.name, jobTitle: request.jobTitle, createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + EMAIL_LINK_MINUTES * 60_000).toISOString(), usedAt: null,
    });
  });
  returnUrl.hash = `parley-verify=${token}`;
  const text = [
    `Hello ${request.name},`,
    '',
    `You asked to take part in ${site.name}'s discussions as ${request.jobTitle} at ${company.displayName}.`,
    `Open this link within ${EMAIL_LINK_MINUTES} minutes to confirm your work address and sign in:`,
    '',
    returnUrl.toString(),
    '',
    'Your posts will show your real name, job title and employer, verified by the host organisation.',
    'If you did not ask for this, ignore this message.',
  ].join('\n');
  await ctx.mailer.send(site.id, request.email, `Confirm your work address for ${site.name}`, text, now.toISOString());
  return { sent: true, expiresInMinutes: EMAIL_LINK_MINUTES, company: company.displayName };
}

/** Step 2: the link is opened; the token proves the address. Single use; gives a Parley session. */
export async function verifyEmailLink(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  const { token } = valid(parseWith(EmailLinkVerifySchema, input));
  const at = ctx.now().toISOString();
  const consumed = await ctx.store.consumeEmailLink(hashToken(token), at);
  if (!consumed.ok) {
    throw linkRefused(consumed.reason);
  }
  const link = consumed.link;
  if (link.site !== site.id) throw new ParleyError('token_invalid', 'This sign-in link is for another site.');
  const company = await ctx.store.getCompany(site.id, link.companyId);
  if (!company || !domainMatches(link.email, company.emailDomains)) {
    throw new ParleyError('forbidden', 'This company or its email domain is no longer registered on this site.');
  }
  // The same account as the address's member sign-in (services/member-sign-in.ts).
  const sub = emailSubject(link.email);
  const { id: userId } = await ctx.store.upsertEmailUser(site.id, sub, link.displayName, link.email, at, ctx.newId());
  const user = (await ctx.store.getUser(site.id, userId))!;
  if (user.kind === 'deleted') throw new ParleyError('forbidden', 'This account was deleted.');
  // Check the roles, read and replace the affiliation, and log it, in one transaction.
  await ctx.store.transaction(async () => {
    const conflicts = affiliationConflicts(await ctx.store.getRoles(site.id, userId));
    if (conflicts.length > 0) throw new ParleyError('forbidden', 'Company staff cannot hold moderator or admin roles; ask the site to remove the role first.');
    const current = await ctx.store.getActiveAffiliation(site.id, userId);
    if (!current || current.companyId !== company.id) {
      if (current) await ctx.store.revokeAffiliation(site.id, userId, 'email-proof', at);
      await ctx.store.addAffiliation(site.id, userId, {
        companyId: company.id, companyName: company.displayName, jobTitle: link.jobTitle,
        verifiedBy: site.name, verifiedAt: at,
      });
      await recordIdentity(ctx, {
        site: site.id, at, actor: 'email-proof', subjectId: userId, kind: 'affiliation-added',
        details: { company: company.id, jobTitle: link.jobTitle, method: 'email-proof', domain: emailDomain(link.email) },
      });
    }
  });
  return issueSession(ctx, site, userId);
}

/** A site admin verifies a member as staff of a registered company. */
/** Imported authors (issue 15) never signed in here: nobody can vouch for who they are. */
async function refuseImported(ctx: AppContext, site: string, userId: string): Promise<void> {
  if (await ctx.store.isImportedUser(site, userId)) {
    throw new ParleyError('forbidden', 'This author came in with an import and never signed in here; imported authors are never verified.');
  }
}

export async function verifyStaff(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true }> {
  requirePermission(actor, 'verify-staff');
  const request = valid(parseWith(VerifyStaffSchema, input));
  const site = actor.site.id;
  const user = await ctx.store.getUser(site, request.userId);
  if (!user || user.kind === 'deleted') throw new ParleyError('not_found', 'No such member on this site.');
  await refuseImported(ctx, site, user.id);
  const company = await ctx.store.getCompany(site, request.company);
  if (!company) throw new ParleyError('not_found', `Company "${request.company}" is not in this site's register.`);
  // Check the roles, replace the affiliation and log it, in one transaction.
  await ctx.store.transaction(async () => {
    const conflicts = affiliationConflicts(await ctx.store.getRoles(site, user.id));
    if (conflicts.length > 0) {
      throw new ParleyError('forbidden', `${user.displayName} holds the ${conflicts.join(' and ')} role; company staff cannot moderate. Remove the role first.`);
    }
    const at = ctx.now().toISOString();
    if (await ctx.store.getActiveAffiliation(site, user.id)) await ctx.store.revokeAffiliation(site, user.id, actor.id, at);
    await ctx.store.addAffiliation(site, user.id, {
      companyId: company.id, companyName: company.displayName, jobTitle: request.jobTitle, verifiedBy: actor.site.name, verifiedAt: at,
    });
    await recordIdentity(ctx, {
      site, at, actor: actor.id, subjectId: user.id, kind: 'affiliation-added',
      details: { company: company.id, jobTitle: request.jobTitle, method: 'site-admin' },
    });
  });
  return { ok: true };
}

export async function revokeStaff(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true }> {
  requirePermission(actor, 'verify-staff');
  const request = valid(parseWith(RevokeStaffSchema, input));
  const at = ctx.now().toISOString();
  // The affiliation read is the one revoked and logged: one transaction.
  await ctx.store.transaction(async () => {
    const affiliation = await ctx.store.getActiveAffiliation(actor.site.id, request.userId);
    if (!affiliation || !(await ctx.store.revokeAffiliation(actor.site.id, request.userId, actor.id, at))) {
      throw new ParleyError('not_found', 'This person has no active affiliation to revoke.');
    }
    await recordIdentity(ctx, {
      site: actor.site.id, at, actor: actor.id, subjectId: request.userId, kind: 'affiliation-revoked',
      details: { company: affiliation.companyId, reason: request.reason },
    });
  });
  return { ok: true };
}

export async function verifyProfessional(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true }> {
  requirePermission(actor, 'verify-staff');
  const request = valid(parseWith(VerifyProfessionalSchema, input));
  const user = await ctx.store.getUser(actor.site.id, request.userId);
  if (!user || user.kind === 'deleted') throw new ParleyError('not_found', 'No such member on this site.');
  await refuseImported(ctx, actor.site.id, user.id);
  const at = ctx.now().toISOString();
  // The change and its identity event commit together.
  await ctx.store.transaction(async () => {
    await ctx.store.setProfessional(actor.site.id, user.id, { profession: request.profession, verifiedAt: at });
    await recordIdentity(ctx, {
      site: actor.site.id, at, actor: actor.id, subjectId: user.id, kind: 'professional-verified',
      details: { profession: request.profession },
    });
  });
  return { ok: true };
}
