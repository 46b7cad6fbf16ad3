/**
 * The company register of the browser tests' site (test/browser/identity-*.test.ts): run.ts
 * calls this before the browser starts, through the same services as the `parley` CLI (an
 * operator acting on the site). Acme gives 75% of the site's company funding (the
 * dominant-funder note); one former Acme employee shows as "former" on the company card.
 */
import { SignJWT } from 'jose';
import { cliActor } from '../../server/services/actor.js';
import { revokeStaff, verifyStaff } from '../../server/services/staff.js';
import { upsertCompany } from '../../server/services/admin.js';
import type { AppContext } from '../../server/services/context.js';
import { principalFromToken } from '../../server/services/identity.js';

export const SEEDED_COMPANIES = [
  {
    id: 'acme',
    legalName: 'Acme Therapeutics GmbH',
    displayName: 'Acme Pharma',
    emailDomains: ['acme.example'],
    products: [{ name: 'Rememba', inn: ['memantinol'], prescriptionOnly: true }],
    disclosure: {
      funding: [
        { year: 2024, amount: 20000, currency: 'EUR', type: 'grant', purpose: 'Carers’ helpline', agreementRef: 'AG-2024-7' },
        { year: 2025, amount: 30000, currency: 'EUR', type: 'grant', purpose: 'Carers’ helpline', agreementRef: 'AG-2025-2' },
      ],
      projects: ['Carers’ helpline'],
      url: 'https://example.org/funding',
      statement: 'Acme has no say over what is published here.',
    },
  },
  {
    id: 'other',
    legalName: 'Other Devices Ltd',
    displayName: 'Other Devices',
    emailDomains: ['other.example'],
    products: [],
    disclosure: { funding: [{ year: 2025, amount: 10000, currency: 'EUR', type: 'sponsorship', purpose: 'Patient guide' }], projects: [], url: null, statement: null },
  },
  // Issue 15: funding in pounds and in kind (older years, so the 2025 shares above stay in euros), and it pays for the forum.
  {
    id: 'sol',
    legalName: 'Sol Diagnostics plc',
    displayName: 'Sol Diagnostics',
    emailDomains: ['sol.example'],
    products: [],
    sponsored: true,
    disclosure: {
      funding: [
        { year: 2024, amount: 8000, currency: 'GBP', type: 'sponsorship', purpose: 'Carers’ conference', agreementRef: 'SOL-24-3' },
        { year: 2023, amount: 0, currency: 'GBP', type: 'in-kind', purpose: 'Hosting of the forum' },
      ],
      projects: [], url: null, statement: null,
    },
  },
];

export async function seedIdentity(ctx: AppContext, siteId: string, secret: string): Promise<void> {
  const site = ctx.store.getSite(siteId);
  if (!site) throw new Error(`no site ${siteId}`);
  const operator = cliActor(site);
  for (const company of SEEDED_COMPANIES) upsertCompany(ctx, operator, company);
  // A member who worked for Acme and left: listed as former staff.
  const token = await new SignJWT({ name: 'Fiona Former' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('seed-former-staff')
    .setAudience(siteId)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
  const { user } = await principalFromToken(ctx, site, token);
  verifyStaff(ctx, operator, { userId: user!.id, company: 'acme', jobTitle: 'Nurse Advisor' });
  revokeStaff(ctx, operator, { userId: user!.id, reason: 'Left the company' });
}
