/**
 * Funding disclosures and pharmacovigilance routing (issue 15, requirements F-1 and P-4), on a
 * real server and SQLite: funding entries with currency (ISO 4217), type, agreement and date
 * added, validated; the funding summary never adds different currencies; the "company-sponsored"
 * flag; old rows migrated; and possible adverse events forwarded to the most specific contact
 * (product + country, product, country, company default) by email (a local SMTP sink) and
 * webhook (local HTTP receivers), with the contacts never public.
 */
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueDeliveries } from '../../server/services/safety-delivery.js';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.js';
import { DISCLOSURE_MIGRATION } from '../../server/store/sqlite/migrations/012-disclosure.js';
import { http } from '../support/clients.js';
import { ACME, setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

interface Receiver {
  url: string;
  requests: Array<{ headers: nodeHttp.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A local webhook receiver that answers 200 and keeps what it received. */
async function startReceiver(name: string): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = nodeHttp.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The server's clock: real time, moved forward by the tests (less than the 11 hours an admin token lives). */
let clock = Date.now();
let server: TestServer;
let fx: Fixture;
let sink: SmtpSink;
let lumoraAnywhere: Receiver;
let lumoraNl: Receiver;
/** A member's host token, minted on the server's (moved) clock. */
const member = () => server.sign('alpha', { sub: 'member-pia', name: 'Pia Member', email: 'pia.private@example.org' });

const api = (p: string) => `${fx.api}${p}`;
const entry = (over: Record<string, unknown> = {}) => ({ year: 2026, amount: 25000, currency: 'EUR', type: 'grant', purpose: 'Helpline', agreementRef: 'AG-2026-1', ...over });
const putCompany = (body: Record<string, unknown>, token = fx.adminToken) =>
  http(api(`/admin/companies/${body.id as string}`), { method: 'PUT', token, body });
const withFunding = (funding: unknown[], extra: Record<string, unknown> = {}) => ({ ...ACME, disclosure: { ...ACME.disclosure, funding }, ...extra });

beforeAll(async () => {
  sink = await startSmtpSink();
  lumoraAnywhere = await startReceiver('lumora-any');
  lumoraNl = await startReceiver('lumora-nl');
  server = await startTestServer({ smtpUrl: sink.url, mailFrom: 'Alpha Patients <forum@alpha.example>', now: () => new Date(clock) });
  fx = await setUpIdentity(server);
});

afterAll(async () => {
  await server?.close();
  await Promise.all([sink?.close(), lumoraAnywhere?.close(), lumoraNl?.close()]);
});

describe('funding entries', () => {
  it('refuse an unknown currency, an unknown type, a missing currency and a negative amount, naming the field', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [entry({ currency: 'EUX' }), 'disclosure.funding.0.currency', /ISO 4217/],
      [entry({ currency: 'HRK' }), 'disclosure.funding.0.currency', /ISO 4217/], // withdrawn in 2023
      [entry({ type: 'loan' }), 'disclosure.funding.0.type', /donation.*grant.*sponsorship.*in-kind/],
      [{ year: 2026, amount: 10, type: 'grant', purpose: 'x' }, 'disclosure.funding.0.currency', /currency/],
      [entry({ amount: -5 }), 'disclosure.funding.0.amount', /0 or more/],
      [entry({ agreementRef: 'x'.repeat(101) }), 'disclosure.funding.0.agreementRef', /at most 100/],
    ];
    for (const [bad, field, message] of cases) {
      const response = await putCompany(withFunding([bad]));
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.issues[0]).toMatchObject({ path: field, message: expect.stringMatching(message) });
    }
    expect((await putCompany(withFunding([entry()]), fx.moderatorToken)).status).toBe(403);
  });

  it('are stored with currency, type and agreement, dated by the server; an unchanged entry keeps its date', async () => {
    const firstAt = new Date(clock).toISOString();
    const first = await putCompany(withFunding([entry({ currency: 'eur' }), entry({ year: 2025, amount: 0, type: 'in-kind', purpose: 'Hosting of the widget', agreementRef: null })]));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const card = (await http(api('/companies/acme'))).body;
    expect(card.disclosure.funding).toEqual([
      { year: 2026, amount: 25000, currency: 'EUR', type: 'grant', purpose: 'Helpline', agreementRef: 'AG-2026-1', addedAt: firstAt },
      { year: 2025, amount: 0, currency: 'EUR', type: 'in-kind', purpose: 'Hosting of the widget', agreementRef: null, addedAt: firstAt },
    ]);

    // Hours later the admin sends back what they read (addedAt included, which cannot move the date) and adds one.
    clock += 3 * 3600_000;
    const laterAt = new Date(clock).toISOString();
    const sentBack = [...card.disclosure.funding.map((f: any) => ({ ...f, addedAt: '1999-01-01T00:00:00.000Z' })), entry({ amount: 5000, currency: 'GBP', type: 'sponsorship', purpose: 'Conference', agreementRef: null })];
    expect((await putCompany(withFunding(sentBack))).status).toBe(200);
    const later = (await http(api('/companies/acme'))).body.disclosure.funding;
    expect(later.map((f: any) => f.addedAt)).toEqual([firstAt, firstAt, laterAt]);
  });

  it('are summarised per currency: shares never add euros to pounds, and the dominant-funder note needs one currency', async () => {
    // Acme: €25,000 + £5,000 in 2026 (above); Other: €20,000 in 2026.
    expect((await putCompany({ id: 'other', legalName: 'Other Devices Ltd', displayName: 'Other Devices', emailDomains: ['other.example'], disclosure: { funding: [entry({ amount: 20000, type: 'donation', agreementRef: null })] } })).status).toBe(200);
    const register = (await http(api('/companies'))).body;
    expect(register.funding).toMatchObject({
      year: 2026, currency: 'EUR', total: 45000, note: null, dominantCompany: null,
      shares: [{ companyId: 'acme', amount: 25000 }, { companyId: 'other', amount: 20000 }],
      otherCurrencies: [{ currency: 'GBP', total: 5000, shares: [{ companyId: 'acme', amount: 5000, share: 1 }] }],
    });
    // All in euros again: Acme's €25,000 of €45,000 is over half.
    const euros = (await http(api('/companies/acme'))).body.disclosure.funding.filter((f: any) => f.currency === 'EUR');
    expect((await putCompany(withFunding(euros))).status).toBe(200);
    expect((await http(api('/companies'))).body.funding).toMatchObject({ total: 45000, otherCurrencies: [], note: 'dominant-funder', dominantCompany: 'Acme Pharma' });
  });

  it('land in the public log with each change, as does the company-sponsored flag', async () => {
    const current = (await http(api('/companies/acme'))).body.disclosure.funding;
    expect((await putCompany(withFunding(current, { sponsored: true }))).status).toBe(200);
    const card = (await http(api('/companies/acme'))).body;
    expect(card.sponsored).toBe(true);
    expect((await http(api('/companies/other'))).body.sponsored).toBe(false);
    const log = await http(api('/log/view?kind=company.updated'));
    const sponsoredEntry = log.body.entries.find((e: any) => e.leaf.data.company === 'acme' && e.leaf.data.sponsored === true);
    expect(sponsoredEntry.leaf.data.funding).toEqual(current.map((f: any) => ({ year: f.year, amount: f.amount, currency: f.currency, type: f.type, agreementRef: f.agreementRef })));
    // Every change is its own entry with the funding it set: 2 entries, then 3 (the pounds), then 2 (euros only), then 2.
    const versions = log.body.entries.filter((e: any) => e.leaf.data.company === 'acme').map((e: any) => e.leaf.data.funding.length);
    expect(versions.sort()).toEqual([2, 2, 2, 3]);
    expect((await putCompany(withFunding(current, { sponsored: 'yes' }))).body.error.issues[0]).toMatchObject({ path: 'sponsored' });
  });
});

describe('old funding rows', () => {
  it('are migrated to the site’s currency (or EUR) and type "donation", dated by the company’s last update', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-disclosure-migration-'));
    try {
      // A database as Parley left it before this migration: funding without currency or type.
      const db = new Database(path.join(dir, 'parley.db'));
      const before = MIGRATIONS.indexOf(DISCLOSURE_MIGRATION);
      for (const sql of MIGRATIONS.slice(0, before)) db.exec(sql);
      db.pragma(`user_version = ${before}`);
      const site = db.prepare(`INSERT INTO sites (id, name, origins, secret, public_keys, created_at) VALUES (?, ?, '[]', NULL, '[]', '2024-01-01T00:00:00.000Z')`);
      site.run('alpha', 'Alpha Patients');
      site.run('beta', 'Beta Carers');
      db.prepare(`INSERT INTO site_settings (site, key, value) VALUES ('beta', 'currency', 'GBP')`).run();
      const company = db.prepare(`INSERT INTO companies (site, id, legal_name, display_name, email_domains, products, disclosure, created_at, updated_at)
        VALUES (?, 'old', 'Old Pharma Ltd', 'Old Pharma', '["old.example"]', '[]', ?, '2024-01-01T00:00:00.000Z', '2024-06-30T12:00:00.000Z')`);
      const oldDisclosure = JSON.stringify({ funding: [{ year: 2024, amount: 9000, purpose: 'Leaflets' }, { year: 2023, amount: 4000, purpose: '' }], projects: [], url: null, statement: null });
      company.run('alpha', oldDisclosure);
      company.run('beta', oldDisclosure);
      db.prepare(`INSERT INTO safety_contacts (site, company_id, pv_email, pv_webhook_url, webhook_secret, updated_at, updated_by)
        VALUES ('alpha', 'old', 'pv@old.example', NULL, NULL, '2024-06-30T12:00:00.000Z', 'cli')`).run();
      db.close();

      const upgraded = await startTestServer({ dataDir: dir });
      try {
        const alpha = (await http(`${upgraded.url}/api/sites/alpha/companies/old`)).body;
        expect(alpha.sponsored).toBe(false);
        expect(alpha.disclosure.funding).toEqual([
          { year: 2024, amount: 9000, purpose: 'Leaflets', currency: 'EUR', type: 'donation', agreementRef: null, addedAt: '2024-06-30T12:00:00.000Z' },
          { year: 2023, amount: 4000, purpose: '', currency: 'EUR', type: 'donation', agreementRef: null, addedAt: '2024-06-30T12:00:00.000Z' },
        ]);
        expect(alpha.safetyContact).toBe(true);
        const beta = (await http(`${upgraded.url}/api/sites/beta/companies`)).body;
        expect(beta.companies[0].disclosure.funding.map((f: any) => f.currency)).toEqual(['GBP', 'GBP']);
        expect(beta.funding).toMatchObject({ year: 2024, currency: 'GBP', total: 9000, note: 'single-funder' });
        // The old contact became the company's default (any country, any product).
        expect(await upgraded.store.getSafetyContact('alpha', 'old')).toMatchObject({ country: null, product: null, pvEmail: 'pv@old.example' });
      } finally {
        await upgraded.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pharmacovigilance contacts per country and product', () => {
  const BEACON = {
    id: 'beacon', legalName: 'Beacon Bio AG', displayName: 'Beacon Bio', emailDomains: ['beacon.example'],
    products: [{ name: 'Lumora', inn: [], prescriptionOnly: true }, { name: 'Serenix', inn: [], prescriptionOnly: true }, { name: 'Zentra', inn: [], prescriptionOnly: true }],
  };
  const contact = (body: Record<string, unknown>, token = fx.adminToken) => http(api('/admin/companies/beacon/safety-contact'), { method: 'PUT', token, body });
  let lumoraNlSecret: string;

  /** A member's post naming `product` with a side effect, its flag, and the forward's delivery targets. */
  async function forwardAbout(product: string) {
    const created = await http(api('/posts'), { token: await member(), body: { topic: 'treatments', body: `Since starting ${product} my mother is dizzy and she fell last week.`, idempotencyKey: key() } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const flags = (await http(api(`/safety/flags?post=${created.body.post.id}`), { token: fx.moderatorToken })).body.flags;
    expect(flags).toHaveLength(1);
    const forwarded = await http(api(`/safety/flags/${flags[0].id}/forward`), { token: fx.moderatorToken, body: {} });
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(201);
    return (forwarded.body.forward.deliveries as any[]).map((d) => `${d.channel}:${d.target}`).sort();
  }

  beforeAll(async () => {
    expect((await putCompany(BEACON)).status).toBe(201);
  });

  it('are validated: a two-letter country, and a product the company makes', async () => {
    const country = await contact({ pvEmail: 'pv@beacon.example', country: 'Netherlands' });
    expect(country.status).toBe(400);
    expect(country.body.error.issues[0]).toMatchObject({ path: 'country', message: expect.stringContaining('ISO 3166') });
    const product = await contact({ pvEmail: 'pv@beacon.example', product: 'Rememba' });
    expect(product.status).toBe(400);
    expect(product.body.error.issues[0]).toMatchObject({ path: 'product', message: expect.stringContaining('Lumora') });
    expect((await contact({ pvEmail: 'pv@beacon.example', country: 'NL' }, fx.moderatorToken)).status).toBe(403);
    expect((await http(api('/admin/companies/beacon/safety-contacts'), { token: await member() })).status).toBe(403);
  });

  it('are set per scope, listed for admins, and only their existence is public', async () => {
    expect((await contact({ pvEmail: 'default@beacon.example' })).status).toBe(200);
    expect((await contact({ pvEmail: 'nl@beacon.example', country: 'nl' })).body.contact).toMatchObject({ country: 'NL', product: null });
    const any = await contact({ pvWebhookUrl: lumoraAnywhere.url, product: 'lumora' });
    expect(any.body.contact).toMatchObject({ country: null, product: 'Lumora', webhookSigned: true });
    const nl = await contact({ pvEmail: 'lumora-nl@beacon.example', pvWebhookUrl: lumoraNl.url, product: 'Lumora', country: 'NL' });
    expect(nl.body.webhookSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    lumoraNlSecret = nl.body.webhookSecret;

    const list = (await http(api('/admin/companies/beacon/safety-contacts'), { token: fx.adminToken })).body.contacts;
    expect(list.map((c: any) => [c.country, c.product, c.pvEmail ?? c.pvWebhookUrl])).toEqual([
      [null, null, 'default@beacon.example'],
      [null, 'Lumora', lumoraAnywhere.url],
      ['NL', null, 'nl@beacon.example'],
      ['NL', 'Lumora', 'lumora-nl@beacon.example'],
    ]);
    const one = await http(api('/admin/companies/beacon/safety-contact?country=NL&product=Lumora'), { token: fx.adminToken });
    expect(one.body.contact).toMatchObject({ pvEmail: 'lumora-nl@beacon.example', pvWebhookUrl: lumoraNl.url });

    const publicCard = await http(api('/companies/beacon'));
    expect(publicCard.body.safetyContact).toBe(true);
    const log = JSON.stringify((await http(api('/log/view?kind=company.safety-contact'))).body);
    expect(log).toContain('"country":"NL"');
    for (const address of ['beacon.example', lumoraNl.url, lumoraAnywhere.url]) {
      expect(JSON.stringify(publicCard.body)).not.toContain(address);
      expect(log).not.toContain(address);
    }
  });

  it('route a forward to the most specific contact: product and country, then product, then country, then the default', async () => {
    const settings = (defaultCountry: string | null) => http(api('/admin/safety/settings'), { method: 'PUT', token: fx.adminToken, body: { defaultCountry } });
    expect((await settings('NL')).status).toBe(200);
    // The site is in the Netherlands: Lumora goes to Lumora's Dutch safety team, Serenix to the Dutch one.
    expect(await forwardAbout('Lumora')).toEqual(['email:lumora-nl@beacon.example', `webhook:${lumoraNl.url}`]);
    expect(await forwardAbout('Serenix')).toEqual(['email:nl@beacon.example']);
    // No known country: Lumora goes to its worldwide contact, Zentra to the company's default.
    expect((await settings(null)).status).toBe(200);
    expect(await forwardAbout('Lumora')).toEqual([`webhook:${lumoraAnywhere.url}`]);
    expect(await forwardAbout('Zentra')).toEqual(['email:default@beacon.example']);

    await runDueDeliveries(server.ctx);
    const mailTo = sink.messages.flatMap((m) => m.to).sort();
    expect(mailTo).toEqual(['<default@beacon.example>', '<lumora-nl@beacon.example>', '<nl@beacon.example>']);
    expect(lumoraNl.requests).toHaveLength(1);
    expect(lumoraAnywhere.requests).toHaveLength(1);
    // Each receiver's body is signed with its own secret.
    const hook = lumoraNl.requests[0]!;
    expect(JSON.parse(hook.body).products).toEqual(['Lumora']);
    expect(hook.headers['x-parley-signature']).toBe(`sha256=${createHmac('sha256', lumoraNlSecret).update(hook.body).digest('hex')}`);
    for (const m of sink.messages) expect(m.data).not.toContain('pia.private@example.org');
  });

  it('share one secret per receiver URL, and removing a scope leaves the others', async () => {
    const again = await contact({ pvWebhookUrl: lumoraNl.url, product: 'Serenix' });
    expect(again.body.webhookSecret).toBeUndefined();
    expect(again.body.contact.webhookSigned).toBe(true);
    expect((await contact({ pvEmail: null, pvWebhookUrl: null, product: 'Serenix' })).body.contact).toBeNull();
    const left = (await http(api('/admin/companies/beacon/safety-contacts'), { token: fx.adminToken })).body.contacts;
    expect(left).toHaveLength(4);
  });
});
