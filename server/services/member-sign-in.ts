/**
 * Members sign in by email (issue 12), for sites whose host has no member accounts. Modelled
 * on the staff email link (services/staff.ts), but open to any address:
 *
 * 1. `requestMemberSignIn`: the member gives an address; Parley mails a single-use link to the
 *    page they were on (`returnUrl#parley-sign-in=<token>`) and a 6-digit one-time code (for
 *    mail read on another device, typed into the widget). Both are valid 15 minutes and only
 *    their hashes are stored. The answer is the same whether or not the address belongs to a
 *    member (202 `{sent, expiresInMinutes}`), so nobody can learn who takes part here.
 *    Limits per address, per IP and per site (counted in the store by the server's clock).
 * 2. `verifyMemberLink` / `verifyMemberCode`: either proves the address once and gives a Parley
 *    session. The account is the user with `sub = 'email:' + sha256(normalised address)`,
 *    created on first sign-in, with a placeholder name until the welcome (services/welcome.ts).
 *    A code allows MAX_WRONG_CODES wrong tries per mail, after which only the link works.
 *
 * The address is kept on the account (shown to its owner only) and, with each request, until
 * the request row is purged a day later.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import { MemberSignInCodeSchema, MemberSignInRequestSchema, MemberSignInVerifySchema, parseWith } from '../../moderation/schemas.js';
import type { SessionTokens } from '../../moderation/types.js';
import { hashToken, linkRefused, newSecretToken } from '../auth/session-tokens.js';
import { isOriginAllowed } from '../http/origins.js';
import { messages, pickLanguage } from '../i18n/index.js';
import { signInMailMessages } from '../i18n/sign-in-mail.js';
import type { SiteRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { issueSession } from './sessions.js';
import { isMethodOffered } from './sign-in-methods.js';
import { valid } from './validate.js';

export const MEMBER_SIGN_IN_MINUTES = 15;
/** Wrong codes one mail's code tolerates (with 5 mails an hour: 25 guesses of a million). */
export const MAX_WRONG_CODES = 5;
/** Request rows (and the address in them) are deleted after this long. */
const KEEP_REQUESTS_MS = 24 * 3_600_000;
/** The account's name until the member chooses one in the welcome. */
export const NEW_MEMBER_NAME = 'New member';

/** The subject of the account an address signs in to: the hash of the trimmed, lower-cased address. */
export function emailSubject(email: string): string {
  return `email:${emailHash(email)}`;
}
/** sha256 of the trimmed, lower-cased address: the account's subject and the key of its limits. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
function codeHash(id: string, code: string): string {
  return createHash('sha256').update(`${id}:${code}`).digest('base64url');
}

async function requireEmailOffered(ctx: AppContext, site: SiteRecord): Promise<void> {
  if (!(await isMethodOffered(ctx, site, 'email'))) throw new ParleyError('forbidden', 'This site does not offer sign-in by email.');
}

export async function requestMemberSignIn(
  ctx: AppContext, site: SiteRecord, input: unknown, ip: string,
): Promise<{ sent: true; expiresInMinutes: number }> {
  await requireEmailOffered(ctx, site);
  const request = valid(parseWith(MemberSignInRequestSchema, input));
  const returnUrl = new URL(request.returnUrl);
  if (!/^https?:$/.test(returnUrl.protocol) || !isOriginAllowed(site, returnUrl.origin, ctx.selfOrigins())) {
    throw new ParleyError('validation_failed', 'returnUrl must be a page of this site.', { issues: [{ path: 'returnUrl', message: 'not a page of this site' }] });
  }
  const now = ctx.now();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const limits = ctx.limits.settingsFor(site.id);
  const hash = emailHash(request.email);
  const refuse = (text: string) => {
    throw new ParleyError('rate_limited', `${text} Try again in an hour.`, { retryAfterSeconds: 3600 });
  };
  // Count and record in one transaction: requests sent at once must not all pass the same count.
  const { token, code } = await ctx.store.transaction(async () => {
    // The same refusal for every address: it says nothing about whether the address is a member's.
    if ((await ctx.store.countMemberSignIns(site.id, { emailHash: hash }, hourAgo)) >= limits.signInEmailsPerAddressPerHour) {
      refuse('Too many sign-in emails were asked for this address.');
    }
    if ((await ctx.store.countMemberSignIns(site.id, { ip }, hourAgo)) >= limits.signInEmailsPerIpPerHour) refuse('Too many sign-in emails were asked from your network.');
    if ((await ctx.store.countMemberSignIns(site.id, {}, hourAgo)) >= limits.signInEmailsPerSitePerHour) refuse('This site is sending too many sign-in emails just now.');

    await ctx.store.purgeMemberSignIns(site.id, new Date(now.getTime() - KEEP_REQUESTS_MS).toISOString());
    const id = ctx.newId();
    const token = newSecretToken();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await ctx.store.createMemberSignIn({
      id, site: site.id, tokenHash: hashToken(token), codeHash: codeHash(id, code), email: request.email, emailHash: hash, ip,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + MEMBER_SIGN_IN_MINUTES * 60_000).toISOString(), usedAt: null, failedCodes: 0,
    });
    return { token, code };
  });
  returnUrl.hash = `parley-sign-in=${token}`;
  const mail = signInMail(request.lang, site.name, returnUrl.toString(), code);
  // Sent after the answer is decided: delivery time must not tell known from unknown addresses,
  // and a failed delivery stays in the outbox (the mailer logs it) rather than failing the request.
  void ctx.mailer.send(site.id, request.email, mail.subject, mail.text, now.toISOString()).catch((error) => {
    ctx.log.warn({ err: error }, 'sign-in mail not sent');
  });
  return { sent: true, expiresInMinutes: MEMBER_SIGN_IN_MINUTES };
}

function signInMail(lang: string | undefined, siteName: string, link: string, code: string): { subject: string; text: string } {
  const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
  const t = messages(signInMailMessages, pickLanguage(lang));
  return {
    subject: t('subject', { site: siteName }),
    text: [
      t('intro', { site: siteName }), '',
      t('openLink', { minutes: MEMBER_SIGN_IN_MINUTES }), '',
      link, '',
      t('orCode', { code: spaced }), '',
      t('once'),
    ].join('\n'),
  };
}

/** The link was opened: its token proves the address once. */
export async function verifyMemberLink(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  await requireEmailOffered(ctx, site);
  const { token } = valid(parseWith(MemberSignInVerifySchema, input));
  const consumed = await ctx.store.consumeMemberSignInLink(hashToken(token), ctx.now().toISOString());
  if (!consumed.ok) {
    throw linkRefused(consumed.reason);
  }
  if (consumed.signIn.site !== site.id) throw new ParleyError('token_invalid', 'This sign-in link is for another site.');
  return signIn(ctx, site, consumed.signIn.email);
}

/** The code from the mail was typed in: it proves the address once (a few wrong tries allowed). */
export async function verifyMemberCode(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  await requireEmailOffered(ctx, site);
  const { email, code } = valid(parseWith(MemberSignInCodeSchema, input));
  const at = ctx.now().toISOString();
  // Read, compare and count in one transaction: guesses sent at once must each count against MAX_WRONG_CODES.
  // The wrong try is counted (committed) before the refusal is thrown.
  const proven = await ctx.store.transaction(async () => {
    const open = await ctx.store.openMemberSignIns(site.id, emailHash(email), at, MAX_WRONG_CODES);
    const match = open.find((s) => timingSafeEqual(Buffer.from(s.codeHash), Buffer.from(codeHash(s.id, code))));
    if (match && (await ctx.store.useMemberSignIn(match.id, at))) return match.email;
    await ctx.store.countWrongCode(open.map((s) => s.id));
    return null;
  });
  if (proven !== null) return signIn(ctx, site, proven);
  // One answer for a wrong code, an expired one and an address that asked for none.
  throw new ParleyError('token_invalid', 'This code is not valid, or has expired or been used. Check it, or ask for a new email.');
}

async function signIn(ctx: AppContext, site: SiteRecord, email: string): Promise<SessionTokens> {
  const at = ctx.now().toISOString();
  const { id } = await ctx.store.upsertEmailUser(site.id, emailSubject(email), NEW_MEMBER_NAME, email, at, ctx.newId());
  const user = await ctx.store.getUser(site.id, id);
  if (!user || user.kind === 'deleted') throw new ParleyError('forbidden', 'This account was deleted.');
  return issueSession(ctx, site, id);
}
