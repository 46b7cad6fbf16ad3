/**
 * Parley sessions: issue, refresh (with rotation), exchange a host token, sign out everywhere.
 *
 * Storage stays bounded (security review): host-token exchanges count against
 * `rateLimits.sessionsPerAccountPerHour`; an account keeps at most LIMITS.liveSessionsPerAccountMax
 * live sessions (a new one revokes the oldest beyond it); and sessions that expired or were
 * revoked are deleted a day later, by the next sign-in on the site. Refresh rotates the token in
 * the session's own row and adds none, so it is not limited: an old, rotated refresh token is no
 * longer in any row and is refused as soon as it is rotated, purge or not.
 */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { HostSessionSchema, parseWith, RefreshSchema } from '../../moderation/schemas.js';
import type { SessionTokens } from '../../moderation/types.js';
import { ACCESS_TOKEN_SECONDS, hashToken, newSecretToken, REFRESH_TOKEN_DAYS, signAccessToken } from '../auth/session-tokens.js';
import type { SiteRecord } from '../store/store.js';
import { valid } from './validate.js';
import type { AppContext } from './context.js';
import { principalFromToken, rolesOf, viewerOf, type Principal } from './identity.js';

/** Ended sessions (expired or revoked) are deleted this long after they ended. */
const KEEP_ENDED_SESSIONS_MS = 24 * 3_600_000;

export async function issueSession(ctx: AppContext, site: SiteRecord, userId: string): Promise<SessionTokens> {
  const now = ctx.now();
  const refreshToken = newSecretToken();
  const sessionId = ctx.newId();
  // Its own statement, outside the transaction below: idempotent, and on PostgreSQL (SERIALIZABLE)
  // sign-ins at the same moment would otherwise conflict over the rows it reads.
  await ctx.store.purgeSessions(site.id, new Date(now.getTime() - KEEP_ENDED_SESSIONS_MS).toISOString());
  await ctx.store.transaction(async () => {
    await ctx.store.createSession({
      id: sessionId, site: site.id, userId, refreshHash: hashToken(refreshToken), createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000).toISOString(), revokedAt: null,
    });
    // Their access tokens die with them (verifyAccessToken reads the row); open sockets end at their next write.
    await ctx.store.revokeSessionsBeyond(site.id, userId, LIMITS.liveSessionsPerAccountMax, now.toISOString());
  });
  return tokensFor(ctx, site, userId, sessionId, refreshToken);
}

async function tokensFor(ctx: AppContext, site: SiteRecord, userId: string, sessionId: string, refreshToken: string): Promise<SessionTokens> {
  const user = (await ctx.store.getUser(site.id, userId))!;
  const accessToken = await signAccessToken(ctx.store, site.id, userId, sessionId, Math.floor(ctx.now().getTime() / 1000));
  const principal: Principal = { site, user, roles: await rolesOf(ctx, site.id, user) };
  return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS, refreshToken, viewer: (await viewerOf(ctx, principal))! };
}

/** A host token is exchanged for a Parley session, so the widget can stay signed in with refresh. */
export async function exchangeHostToken(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  const { hostToken } = valid(parseWith(HostSessionSchema, input));
  const principal = await principalFromToken(ctx, site, hostToken);
  if (!principal.user) throw new ParleyError('unauthenticated', 'No sign-in token was sent.');
  // Counted once the token is proven, by account: nobody can spend another member's budget.
  await ctx.limits.consume('session-exchange', site.id, principal.user.id, '');
  return issueSession(ctx, site, principal.user.id);
}

export async function refreshSession(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  const { refreshToken } = valid(parseWith(RefreshSchema, input));
  const session = await ctx.store.getSessionByRefresh(hashToken(refreshToken));
  const now = ctx.now().toISOString();
  if (!session || session.site !== site.id || session.revokedAt || session.expiresAt <= now) {
    throw new ParleyError('token_invalid', 'This session has ended. Sign in again.');
  }
  const user = await ctx.store.getUser(site.id, session.userId);
  if (!user || user.kind === 'deleted') throw new ParleyError('token_invalid', 'This account no longer exists.');
  const next = newSecretToken();
  const expiresAt = new Date(ctx.now().getTime() + REFRESH_TOKEN_DAYS * 86_400_000).toISOString();
  if (!(await ctx.store.rotateSession(session.id, session.refreshHash, hashToken(next), expiresAt))) {
    throw new ParleyError('token_invalid', 'This session has ended. Sign in again.');
  }
  return tokensFor(ctx, site, user.id, session.id, next);
}

export async function signOutEverywhere(ctx: AppContext, principal: Principal): Promise<{ revoked: number }> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  const revoked = await ctx.store.revokeAllSessions(principal.site.id, principal.user.id, ctx.now().toISOString());
  // Open sockets would refuse the next write anyway (they re-check the store); this tells them now.
  ctx.broadcast.sessionEnded(principal.site.id, principal.user.id, 'signed-out');
  return { revoked };
}
