/**
 * Who is speaking: pure rules about names, email domains, roles and funding. The server
 * calls these when people sign in, verify, change names or are granted roles; the widget
 * uses the funding summary to explain the host's relationships.
 */
import type { Role } from './types.js';
import { ROLES_FORBIDDEN_TO_STAFF } from './permissions.js';

// Name imitation lives in names.ts (confusable skeletons); re-exported for existing callers.
export { imitatedName, nameSkeleton, type ProtectedName } from './names.js';

/** The domain of an email address, lowercased; null when it is not an address. */
export function emailDomain(email: string): string | null {
  const match = /^[^\s@]{1,64}@([A-Za-z0-9.-]{1,253})$/.exec(email.trim());
  if (!match) return null;
  const domain = match[1]!.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) return null;
  return domain;
}

/**
 * Does an address prove employment at a company with these registered domains? Exact
 * domain or a subdomain of it: `uk.acme.com` counts for `acme.com`, `acme.com.evil.io` does not.
 */
export function domainMatches(email: string, registeredDomains: readonly string[]): boolean {
  const domain = emailDomain(email);
  if (!domain) return false;
  return registeredDomains.some((registered) => {
    const r = registered.toLowerCase().replace(/^@/, '');
    return domain === r || domain.endsWith(`.${r}`);
  });
}

export type RoleGrantRefusal = 'staff-cannot-moderate' | 'not-grantable';

/**
 * May this role be granted to this person? Company staff never hold moderator or admin
 * roles on a site where their company takes part (the separation is checked both when a
 * role is granted and when an affiliation is added; see `affiliationConflicts`).
 */
export function checkRoleGrant(role: Role, holder: { isStaff: boolean }): RoleGrantRefusal | null {
  if (role === 'reader' || role === 'member' || role === 'staff') return 'not-grantable';
  if (holder.isStaff && ROLES_FORBIDDEN_TO_STAFF.includes(role)) return 'staff-cannot-moderate';
  return null;
}

/** Roles that must be given up before an affiliation can be added. */
export function affiliationConflicts(currentRoles: readonly Role[]): Role[] {
  return currentRoles.filter((role) => ROLES_FORBIDDEN_TO_STAFF.includes(role));
}

// The funding summary moved to funding.ts with currencies (issue 15); re-exported for existing callers.
export { summariseFunding, type Funding, type FundingSummary } from './funding.js';
