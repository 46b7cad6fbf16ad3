/**
 * What an open socket's sign-in allows, and until when (security review, issue 12).
 *
 * A socket signs in once (handshake) or is handed a fresh token (`session:token`), and keeps
 * that principal. Before every write, `currentPrincipal` asks the store whether the sign-in
 * still counts: the token's expiry, the account (deleted?), the user's session epoch (bumped
 * by "sign out everywhere" and by deletion) and, for Parley's own access tokens, the session
 * row. Those are a few indexed SQLite lookups, and the store is the one place that knows: a
 * session ended through another node, the CLI or another tab stops this socket too; nothing
 * about revocation is kept only in this process's memory.
 *
 * Suspensions and bans are not checked here: the write itself refuses them (`forbidden`,
 * services/moderation.ts `checkPostingAllowed`), since a suspended member stays signed in to
 * read their notice and appeal.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { SessionEndReason } from '../../moderation/protocol.js';
import { PARLEY_KEY_ID } from '../auth/session-tokens.js';
import type { AppContext } from '../services/context.js';
import { anonymous, principalFromToken, rolesOf, type Principal } from '../services/identity.js';
import type { SiteRecord } from '../store/store.js';

export interface SocketSignIn {
  principal: Principal;
  /** When the token expires (Unix seconds); null when signed out. */
  expiresAt: number | null;
  /** The Parley session behind an access token; null for a host site's token. */
  sessionId: string | null;
  /** The user's session epoch when the token was accepted. */
  epoch: number;
}

/** What the person is told, in the event and in the refused write's ack. */
export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  'signed-out': 'You were signed out on every device. Sign in again to write.',
  deleted: 'This account was deleted.',
  suspended: 'Your account is suspended, so you cannot write for now. Your notice says why and how to appeal.',
  banned: 'Your account was closed by the moderators. Your notice says why and how to appeal.',
  expired: 'Your sign-in has expired. Sign in again to write.',
};

export function signedOut(site: SiteRecord): SocketSignIn {
  return { principal: anonymous(site), expiresAt: null, sessionId: null, epoch: 0 };
}

/** Verifies a token for a socket (as for REST) and notes what later writes must re-check. */
export async function signInSocket(ctx: AppContext, site: SiteRecord, token: string | null): Promise<SocketSignIn> {
  if (!token) return signedOut(site);
  const principal = await principalFromToken(ctx, site, token);
  // Verified just above, so its claims can be read as they are.
  const claims = decodeJwt(token);
  const parley = decodeProtectedHeader(token).kid === PARLEY_KEY_ID;
  return {
    principal,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
    sessionId: parley && typeof claims.sid === 'string' ? claims.sid : null,
    epoch: parley && typeof claims.ep === 'number' ? claims.ep : await ctx.store.getSessionEpoch(site.id, principal.user!.id),
  };
}

/**
 * The principal a write acts as, read fresh (roles can change while a socket stays open), or
 * the reason its sign-in has ended.
 */
export async function currentPrincipal(ctx: AppContext, signIn: SocketSignIn): Promise<Principal | { ended: SessionEndReason }> {
  const { site, user } = signIn.principal;
  if (!user) return signIn.principal;
  if (signIn.expiresAt !== null && ctx.now().getTime() >= signIn.expiresAt * 1000) return { ended: 'expired' };
  const current = await ctx.store.getUser(site.id, user.id);
  if (!current || current.kind === 'deleted') return { ended: 'deleted' };
  if ((await ctx.store.getSessionEpoch(site.id, user.id)) !== signIn.epoch) return { ended: 'signed-out' };
  if (signIn.sessionId) {
    const session = await ctx.store.getSession(signIn.sessionId);
    if (!session || session.revokedAt) return { ended: 'signed-out' };
  }
  return { site, user: current, roles: await rolesOf(ctx, site.id, current) };
}
