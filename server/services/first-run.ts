/**
 * First run (issue 15): an organisation sets Parley up from a browser, without a terminal.
 *
 * 1. `issueSetupLink`: `parley serve` on a data folder with no site prints a one-time link
 *    (`/setup?token=…`), valid 24 hours, single use; only its hash is stored. Each start while
 *    there is still no site prints a new one, and the earlier one stops working.
 * 2. `completeSetup` (`POST /api/setup`): the setup page creates the first site (id, name,
 *    allowed origins, sign-in methods) and invites the first admin by email. One transaction:
 *    the link is used, the site exists, the invitation is stored, the log records the site's
 *    creation. A second setup is refused (the link is used, and a server with a site is set up).
 * 3. `acceptInvitation` (`POST /api/setup/accept`): the invited person follows the emailed link
 *    (to `/setup/accept#token=…`, valid 24 hours, single use); the account of that address
 *    (the same one email sign-in would use) becomes the site's admin and is signed in.
 */
import { randomBytes } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import { parseWith } from '../../moderation/schemas.js';
import { checkOrigins, SetupAcceptSchema, SetupSchema, type SiteSettingsView } from '../../moderation/site-schemas.js';
import type { SessionTokens } from '../../moderation/types.js';
import { recordIdentity } from '../audit/identity-events.js';
import { hashToken, newSecretToken } from '../auth/session-tokens.js';
import type { LinkRefusal } from '../store/setup-store.js';
import type { AppContext } from './context.js';
import { emailSubject, NEW_MEMBER_NAME } from './member-sign-in.js';
import { issueSession } from './sessions.js';
import { siteSettingsView } from './site-admin.js';
import { configureSignInMethods } from './sign-in-methods.js';
import { valid } from './validate.js';

export const SETUP_LINK_HOURS = 24;
export const INVITATION_HOURS = 24;

const LINK_REFUSALS: Record<LinkRefusal, string> = {
  unknown: 'This setup link is not valid. Restart `parley serve` to print a new one.',
  used: 'This setup link was already used: Parley is set up. The admin invited then can sign in.',
  expired: `This setup link has expired (it is valid ${SETUP_LINK_HOURS} hours). Restart \`parley serve\` to print a new one.`,
};
const INVITATION_REFUSALS: Record<LinkRefusal, string> = {
  unknown: 'This invitation link is not valid.',
  used: 'This invitation was already accepted.',
  expired: `This invitation has expired (it is valid ${INVITATION_HOURS} hours). Ask the operator for a new setup link.`,
};

/** Where browsers reach this server (links in the console output and in mail). */
function baseUrl(ctx: AppContext): string {
  return (ctx.publicUrl?.() || ctx.selfOrigins()[0] || '').replace(/\/$/, '');
}

/** Whether this server still needs its first site: no site at all. */
export async function needsSetup(ctx: Pick<AppContext, 'store'>): Promise<boolean> {
  return (await ctx.store.listSites()).length === 0;
}

/** A new one-time setup link, or null when the server already has a site. */
export async function issueSetupLink(ctx: AppContext): Promise<string | null> {
  if (!(await needsSetup(ctx))) return null;
  const token = newSecretToken();
  const now = ctx.now();
  await ctx.store.createSetupLink(hashToken(token), now.toISOString(), new Date(now.getTime() + SETUP_LINK_HOURS * 3_600_000).toISOString());
  return `${baseUrl(ctx)}/setup?token=${token}`;
}

/** The setup page's first look at its link: usable, or why not (the page then says so). */
export async function setupLinkState(ctx: AppContext, token: unknown): Promise<{ ok: true } | { ok: false; reason: LinkRefusal | 'done'; message: string }> {
  if (!(await needsSetup(ctx))) return { ok: false, reason: 'done', message: 'Parley is already set up on this server.' };
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown', message: LINK_REFUSALS.unknown };
  const state = await ctx.store.checkSetupLink(hashToken(token), ctx.now().toISOString());
  return state.ok ? state : { ...state, message: LINK_REFUSALS[state.reason] };
}

export interface SetupResult {
  site: SiteSettingsView;
  /** The address the invitation was sent to (the person who typed it sees it back). */
  invited: string;
  invitationExpiresInHours: number;
  /** The host-token secret, when host-token sign-in was chosen: shown this once. */
  secret?: string;
}

export async function completeSetup(ctx: AppContext, input: unknown): Promise<SetupResult> {
  const setup = valid(parseWith(SetupSchema, input));
  const checked = checkOrigins(setup.site.origins, 'site.origins');
  if ('issues' in checked) {
    throw new ParleyError('validation_failed', checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues: checked.issues });
  }
  const methods = setup.site.signIn.methods;
  if (methods.length === 0) {
    throw new ParleyError('validation_failed', 'site.signIn.methods: choose at least one way for members to sign in', {
      issues: [{ path: 'site.signIn.methods', message: 'choose at least one' }],
    });
  }
  if (methods.includes('oidc')) {
    throw new ParleyError('validation_failed', 'site.signIn.methods: OpenID Connect needs its provider first; add it in the admin console after setup', {
      issues: [{ path: 'site.signIn.methods', message: 'oidc is configured in the admin console after setup' }],
    });
  }
  const now = ctx.now();
  const at = now.toISOString();
  const secret = methods.includes('host-token') ? randomBytes(32).toString('base64url') : undefined;
  const invitationToken = newSecretToken();

  const site = await ctx.store.transaction(async () => {
    const used = await ctx.store.consumeSetupLink(hashToken(setup.token), at);
    if (!used.ok) throw new ParleyError('token_invalid', LINK_REFUSALS[used.reason]);
    if (!(await needsSetup(ctx))) throw new ParleyError('forbidden', 'Parley is already set up on this server.');
    await ctx.store.upsertSite({
      id: setup.site.id, name: setup.site.name, origins: checked.origins, secret: secret ?? null, publicKeys: [],
      rulesUrl: null, demo: false, createdAt: at,
    });
    const created = (await ctx.store.getSite(setup.site.id))!;
    await configureSignInMethods(ctx, created, methods);
    await ctx.store.createAdminInvitation({
      tokenHash: hashToken(invitationToken), site: created.id, email: setup.adminEmail, createdAt: at,
      expiresAt: new Date(now.getTime() + INVITATION_HOURS * 3_600_000).toISOString(), usedAt: null,
    });
    await ctx.audit.append({
      site: created.id, kind: 'site.created', at, actor: { type: 'operator', label: 'First-run setup' },
      data: { name: created.name, origins: created.origins, signIn: methods },
    });
    return created;
  });

  const link = `${baseUrl(ctx)}/setup/accept#token=${invitationToken}`;
  const text = [
    `You are invited to be the admin of ${site.name}'s discussions on Parley.`,
    '',
    `Open this link within ${INVITATION_HOURS} hours to accept; it signs you in as the site's admin:`,
    '',
    link,
    '',
    'The link works once. If you did not expect this, ignore this message: nothing happens without it.',
  ].join('\n');
  // After the commit; a failed delivery stays in the outbox and is logged.
  void ctx.mailer.send(site.id, setup.adminEmail, `You are invited to run ${site.name} on Parley`, text, at).catch((error) => {
    ctx.log.warn({ err: error }, 'setup invitation mail not sent');
  });
  return { site: await siteSettingsView(ctx, site), invited: setup.adminEmail, invitationExpiresInHours: INVITATION_HOURS, ...(secret ? { secret } : {}) };
}

/** The invited first admin follows the emailed link: they become the site's admin, signed in. */
export async function acceptInvitation(ctx: AppContext, input: unknown): Promise<{ site: { id: string; name: string }; session: SessionTokens }> {
  const { token } = valid(parseWith(SetupAcceptSchema, input));
  const at = ctx.now().toISOString();
  const userId = await ctx.store.transaction(async () => {
    const consumed = await ctx.store.consumeAdminInvitation(hashToken(token), at);
    if (!consumed.ok) throw new ParleyError('token_invalid', INVITATION_REFUSALS[consumed.reason]);
    const { site, email } = consumed.invitation;
    const { id } = await ctx.store.upsertEmailUser(site, emailSubject(email), NEW_MEMBER_NAME, email, at, ctx.newId());
    await ctx.store.grantRole(site, id, 'admin');
    await recordIdentity(ctx, { site, at, actor: 'setup', subjectId: id, kind: 'role-granted', details: { role: 'admin' } });
    return { site, id };
  });
  const site = (await ctx.store.getSite(userId.site))!;
  return { site: { id: site.id, name: site.name }, session: await issueSession(ctx, site, userId.id) };
}
