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
import { importSite } from '../../server/services/site-import.js';
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
  const site = await ctx.store.getSite(siteId);
  if (!site) throw new Error(`no site ${siteId}`);
  const operator = cliActor(site);
  for (const company of SEEDED_COMPANIES) await upsertCompany(ctx, operator, company);
  // A member who worked for Acme and left: listed as former staff.
  const token = await new SignJWT({ name: 'Fiona Former' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('seed-former-staff')
    .setAudience(siteId)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
  const { user } = await principalFromToken(ctx, site, token);
  await verifyStaff(ctx, operator, { userId: user!.id, company: 'acme', jobTitle: 'Nurse Advisor' });
  await revokeStaff(ctx, operator, { userId: user!.id, reason: 'Left the company' });
  // Comments brought in from Disqus (issue 15), on the topic `example.org/imported`.
  await importSite(ctx, operator, { format: 'disqus', dryRun: false, bytes: new TextEncoder().encode(IMPORTED_DISQUS) });
}

const IMPORTED_DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><link>https://example.org/imported/</link><title>Our old comments</title></thread>
  <post dsq:id="2"><message><![CDATA[<p>Written on our <b>old</b> comment system.</p>]]></message><createdAt>2019-03-02T11:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Olga Old</name><isAnonymous>false</isAnonymous><username>olga</username></author>
    <thread dsq:id="1" /></post>
</disqus>`;
