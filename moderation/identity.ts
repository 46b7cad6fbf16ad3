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

export interface Funding {
  companyId: string;
  companyName: string;
  /** Amount in the site's currency, for one year. */
  amount: number;
  year: number;
}

export interface FundingSummary {
  year: number | null;
  currency: string;
  total: number;
  shares: Array<{ companyId: string; companyName: string; amount: number; share: number }>;
  /** A plain-language note when one company is the only or the dominant funder (over half). */
  note: 'single-funder' | 'dominant-funder' | null;
  dominantCompany: string | null;
}

/** Each company's share of the host's company funding in the most recent year with data. */
export function summariseFunding(funding: readonly Funding[], currency: string): FundingSummary {
  const valid = funding.filter((f) => Number.isFinite(f.amount) && f.amount > 0);
  if (valid.length === 0) return { year: null, currency, total: 0, shares: [], note: null, dominantCompany: null };
  const year = Math.max(...valid.map((f) => f.year));
  const byCompany = new Map<string, { companyId: string; companyName: string; amount: number }>();
  for (const f of valid.filter((f) => f.year === year)) {
    const entry = byCompany.get(f.companyId) ?? { companyId: f.companyId, companyName: f.companyName, amount: 0 };
    entry.amount += f.amount;
    byCompany.set(f.companyId, entry);
  }
  const total = [...byCompany.values()].reduce((sum, e) => sum + e.amount, 0);
  const shares = [...byCompany.values()]
    .map((e) => ({ ...e, share: e.amount / total }))
    .sort((a, b) => b.amount - a.amount);
  const top = shares[0]!;
  const note = shares.length === 1 ? 'single-funder' : top.share > 0.5 ? 'dominant-funder' : null;
  return { year, currency, total, shares, note, dominantCompany: note ? top.companyName : null };
}
