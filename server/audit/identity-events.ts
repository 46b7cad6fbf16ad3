/**
 * Identity changes (roles, affiliations, professions, company register, name changes,
 * renames, erasures) go to two places: the store's identity_events table and the site's
 * public audit log. `recordIdentity` does both, so the services call one function.
 *
 * What becomes public: the kind, the role / company / job title / profession, staff names
 * (company staff post under their real, verified name) and company names. What does not:
 * members' names, free-text reasons and user ids, which enter the leaf only as salted
 * commitments (`sensitive`), so they can be erased later.
 */
import { createHash } from 'node:crypto';
import type { IdentityEvent } from '../store/identity-store.js';
import type { AppContext } from '../services/context.js';
import type { AuditActor, AuditEntryInput } from './audit-log.js';

const SYSTEM_ACTORS: Record<string, AuditActor> = {
  cli: { type: 'operator', label: 'Operator (command line)' },
  'host-sso': { type: 'system', label: 'Host site sign-in' },
  'email-proof': { type: 'system', label: 'Work email proof' },
  oidc: { type: 'system', label: "The site's OpenID provider" },
  setup: { type: 'operator', label: 'First-run setup' },
};

/** Stable public pseudonym for a site role holder: e.g. "Admin 3f9a1c". */
function pseudonym(site: string, userId: string, title: string): string {
  return `${title} ${createHash('sha256').update(`${site}\n${userId}`).digest('hex').slice(0, 6)}`;
}

/** How an actor appears in the public log: staff by name, admins and moderators by pseudonym, members anonymously. */
export async function auditActorOf(ctx: AppContext, site: string, actorId: string): Promise<AuditActor> {
  const system = SYSTEM_ACTORS[actorId];
  if (system) return system;
  const user = await ctx.store.getUser(site, actorId);
  const roles = user ? await ctx.store.getRoles(site, actorId) : [];
  if (user?.kind === 'staff') return { type: 'staff', label: user.displayName, userId: actorId };
  if (roles.includes('admin')) return { type: 'admin', label: pseudonym(site, actorId, 'Admin'), userId: actorId };
  if (roles.includes('moderator')) return { type: 'moderator', label: pseudonym(site, actorId, 'Moderator'), userId: actorId };
  return { type: 'member', label: 'Member', userId: actorId };
}

/** The public audit entry for an identity event. */
export async function identityAuditEntry(ctx: AppContext, event: IdentityEvent): Promise<AuditEntryInput> {
  const { site } = event;
  const data: Record<string, unknown> = {};
  const sensitive: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.details)) {
    if (value === undefined) continue;
    // Free text is never public.
    if (key === 'reason' && typeof value === 'string') sensitive.reason = value;
    else data[key] = value;
  }
  const subject: AuditEntryInput['subject'] = {};
  if (event.subjectId) {
    const user = await ctx.store.getUser(site, event.subjectId);
    sensitive['subject.userId'] = event.subjectId;
    if (user && user.kind === 'staff') subject.userLabel = user.displayName;
    else if (user && user.kind !== 'deleted') sensitive['subject.name'] = user.displayName;
  }
  return {
    site,
    kind: event.kind.replace(/-([a-z]+)$/, '.$1'), // 'role-granted' → 'role.granted'
    at: event.at,
    actor: await auditActorOf(ctx, site, event.actor),
    subject,
    data,
    sensitive,
  };
}

/** Records an identity event in the store and appends it to the site's public audit log. */
export async function recordIdentity(ctx: AppContext, event: IdentityEvent): Promise<void> {
  await ctx.store.recordIdentityEvent(event);
  await ctx.audit.append(await identityAuditEntry(ctx, event));
}
