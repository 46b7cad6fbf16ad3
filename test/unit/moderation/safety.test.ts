/** Safety routing, the pure part: reporting schemes, the member's signpost, forwards, retries, the site lexicon, schemas. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADVERSE_EVENT_LEXICON, detectAdverseEvents } from '../../../moderation/detectors/index.js';
import {
  afterFailedAttempt, buildConsentUpdate, buildForwardPayload, choosePvContact, chooseReportingScheme, consentUpdateEmail, DEFAULT_REPORTING_SCHEMES,
  forwardEmail, MAX_DELIVERY_ATTEMPTS, postLink, RETRY_DELAYS_MS, routingCountry, signpostFor, siteLexicon, type ForwardInput,
} from '../../../moderation/safety.js';
import { SafetyContactSchema, SafetySeenSchema, SafetySettingsSchema } from '../../../moderation/safety-schemas.js';
import { parseWith } from '../../../moderation/schemas.js';

describe('chooseReportingScheme', () => {
  const schemes = DEFAULT_REPORTING_SCHEMES;

  it('prefers the member’s country, then the site’s, then the post’s language, then the fallback', () => {
    expect(chooseReportingScheme(schemes, { memberCountry: 'gb', siteCountry: 'NL', language: 'de' })).toMatchObject({
      scheme: { country: 'GB', url: 'https://yellowcard.mhra.gov.uk' }, basis: 'member-country',
    });
    expect(chooseReportingScheme(schemes, { memberCountry: 'FR', siteCountry: 'NL', language: 'de' })).toMatchObject({
      scheme: { country: 'NL', url: 'https://www.lareb.nl' }, basis: 'site-country',
    });
    expect(chooseReportingScheme(schemes, { language: 'de' })).toMatchObject({ scheme: { country: 'DE', url: 'https://www.bfarm.de' }, basis: 'post-language' });
    expect(chooseReportingScheme(schemes, { language: 'nl' }).scheme.country).toBe('NL');
    // English does not say which country: the fallback answers.
    expect(chooseReportingScheme(schemes, { language: 'en' })).toMatchObject({ scheme: { country: '*' }, basis: 'fallback' });
  });

  it('always offers the other schemes, and falls back even when a site list has no fallback', () => {
    const choice = chooseReportingScheme(schemes, { language: 'nl' });
    expect(choice.others.map((s) => s.country)).toEqual(schemes.filter((s) => s.country !== 'NL').map((s) => s.country));
    const own = [{ country: 'BE', name: 'FAGG / AFMPS', url: 'https://www.fagg-afmps.be' }];
    expect(chooseReportingScheme(own, { language: 'en' })).toMatchObject({ basis: 'fallback', scheme: { country: '*' }, others: own });
    expect(chooseReportingScheme(own, { siteCountry: 'BE' })).toMatchObject({ basis: 'site-country', others: [] });
  });
});

describe('signpostFor', () => {
  it('is private, friendly and names the scheme, the company and the host relay', () => {
    const signpost = signpostFor({
      choice: chooseReportingScheme(DEFAULT_REPORTING_SCHEMES, { memberCountry: 'NL' }),
      companyName: 'Acme Pharma', products: ['Rememba'], hostName: 'Alpha Patients', companyHasSafetyContact: true,
    });
    expect(signpost.message).toContain('stays up exactly as you wrote it');
    expect(signpost.message).toContain('Bijwerkingencentrum Lareb');
    expect(signpost.message).toContain('https://www.lareb.nl');
    expect(signpost.message).toContain('Rememba');
    expect(signpost.message).toContain('never receive your email address');
    expect(signpost.consentQuestion).toContain('through Alpha Patients');
    expect(signpost).toMatchObject({ basis: 'member-country', companyName: 'Acme Pharma', products: ['Rememba'], companyHasSafetyContact: true });
  });
});

describe('postLink', () => {
  it('uses the host’s page template, URL-encoding the ids, and always gives the API URL', () => {
    expect(postLink({ template: 'https://host.example/forum/{topic}#post-{post}', apiBase: 'https://parley.example', site: 'alpha', topic: 'a/b c', postId: 'p1' })).toEqual({
      url: 'https://host.example/forum/a%2Fb%20c#post-p1', apiUrl: 'https://parley.example/api/sites/alpha/posts/p1',
    });
    expect(postLink({ template: null, apiBase: 'https://parley.example', site: 'alpha', topic: 't', postId: 'p1' }).url).toBe('https://parley.example/api/sites/alpha/posts/p1');
  });
});

describe('the forward', () => {
  const input: ForwardInput = {
    forwardId: 'fw1', reference: 'PV-ABCDEFGH23',
    site: { id: 'alpha', name: 'Alpha Patients' }, company: { id: 'acme', name: 'Acme Pharma' },
    post: {
      id: 'p1', topic: 'memory', topicTitle: 'Memory', url: 'https://host.example/memory#p1', apiUrl: 'https://parley.example/api/sites/alpha/posts/p1',
      createdAt: '2025-03-01T10:00:00.000Z', editedAt: null, text: 'Since Rememba my dad is dizzy.\nHe fell twice.', language: 'en', reporterPseudonym: 'Ann M.',
    },
    products: ['Rememba'], eventTerms: ['dizzy', 'fell'], concepts: ['dizziness', 'fall'],
    detectedAt: '2025-03-01T10:00:01.000Z', firstSeen: { at: '2025-03-01T11:00:00.000Z', via: 'screen' },
    forwardedAt: '2025-03-01T12:00:00.000Z', forwardedBy: { role: 'company-staff', name: 'Sam Staff' },
    relayEmail: 'safety@alpha.example', memberAgreed: null,
  };

  it('carries link, product, event text, first-seen time and a contact through the host', () => {
    const payload = buildForwardPayload(input);
    expect(payload).toMatchObject({
      type: 'parley.safety.forward', version: 1, id: 'fw1', reference: 'PV-ABCDEFGH23',
      post: { url: 'https://host.example/memory#p1', text: input.post.text },
      products: ['Rememba'], eventTerms: ['dizzy', 'fell'],
      firstSeenByCompanyStaffAt: '2025-03-01T11:00:00.000Z', firstSeenVia: 'screen',
      contactThroughHost: { reference: 'PV-ABCDEFGH23', email: 'safety@alpha.example', memberAgreed: null },
      minimumCriteria: { identifiableReporter: true, suspectProduct: true, adverseEvent: true, identifiablePatient: null },
    });
    expect(payload.contactThroughHost.instructions).toContain('Alpha Patients at safety@alpha.example quoting reference PV-ABCDEFGH23');
    const mail = forwardEmail(payload);
    expect(mail.subject).toBe('[Alpha Patients] Possible adverse event: Rememba (ref PV-ABCDEFGH23)');
    for (const part of ['https://host.example/memory#p1', '> Since Rememba my dad is dizzy.', '> He fell twice.', 'dizzy, fell', '2025-03-01T11:00:00.000Z', 'PV-ABCDEFGH23', 'Sam Staff']) {
      expect(mail.text).toContain(part);
    }
  });

  it('says so when no staff had seen the post, and when the member declined or agreed', () => {
    const payload = buildForwardPayload({ ...input, firstSeen: null, memberAgreed: false, forwardedBy: { role: 'moderator', name: null }, relayEmail: null });
    expect(payload.firstSeenByCompanyStaffAt).toBeNull();
    expect(forwardEmail(payload).text).toContain('not recorded');
    expect(forwardEmail(payload).text).toContain('by a moderator.');
    expect(payload.contactThroughHost.instructions).toContain('declined');
    expect(payload.contactThroughHost.instructions).toContain('write to Alpha Patients quoting');
    const update = buildConsentUpdate({ forward: payload, at: '2025-03-02T00:00:00.000Z', relayEmail: 'safety@alpha.example', memberAgreed: true });
    expect(update).toMatchObject({ type: 'parley.safety.consent-update', forwardId: 'fw1', reference: 'PV-ABCDEFGH23', contactThroughHost: { memberAgreed: true } });
    expect(consentUpdateEmail(update).subject).toContain('agreed to');
  });
});

describe('choosePvContact (issue 15, P-4)', () => {
  const c = (country: string | null, product: string | null, name: string) => ({ country, product, name });
  const all = [c(null, null, 'default'), c('NL', null, 'nl'), c(null, 'Rememba', 'rememba'), c('NL', 'Rememba', 'rememba-nl'), c('DE', 'Lumora', 'lumora-de')];
  const pick = (contacts: typeof all, products: string[], country: string | null) => choosePvContact(contacts, { products, country });

  it('prefers product and country, then product, then country, then the company default', () => {
    expect(pick(all, ['rememba'], 'nl')).toMatchObject({ match: 'product-country', contact: { name: 'rememba-nl' } });
    expect(pick(all, ['Rememba'], 'BE')).toMatchObject({ match: 'product', contact: { name: 'rememba' } });
    expect(pick(all, ['Other'], 'NL')).toMatchObject({ match: 'country', contact: { name: 'nl' } });
    expect(pick(all, ['Other'], null)).toMatchObject({ match: 'company', contact: { name: 'default' } });
    // A contact for a product in another country never applies.
    expect(pick(all, ['Lumora'], 'NL')).toMatchObject({ match: 'country', contact: { name: 'nl' } });
    expect(pick([c('DE', 'Lumora', 'lumora-de')], ['Lumora'], 'NL')).toBeNull();
  });

  it('tries the flag’s products in order, and routes by the site’s country before the post’s language', () => {
    const two = [c(null, 'B', 'b'), c(null, 'A', 'a')];
    expect(pick(two, ['A', 'B'], null)?.contact.name).toBe('a');
    expect(pick(two, ['B', 'A'], null)?.contact.name).toBe('b');
    expect(routingCountry('de', 'nl')).toBe('DE');
    expect(routingCountry(null, 'nl')).toBe('NL');
    expect(routingCountry(null, 'en')).toBeNull();
  });
});

describe('delivery retries', () => {
  it('backs off, then gives up after the last attempt', () => {
    const t0 = Date.parse('2025-01-01T00:00:00.000Z');
    expect(afterFailedAttempt(1, t0)).toEqual({ status: 'pending', nextAttemptAt: new Date(t0 + RETRY_DELAYS_MS[0]!).toISOString() });
    expect(afterFailedAttempt(2, t0)).toEqual({ status: 'pending', nextAttemptAt: new Date(t0 + RETRY_DELAYS_MS[1]!).toISOString() });
    const delays = RETRY_DELAYS_MS.map((_, i) => afterFailedAttempt(i + 1, t0)).map((r) => (r.status === 'pending' ? Date.parse(r.nextAttemptAt) - t0 : -1));
    expect(delays).toEqual([...RETRY_DELAYS_MS]);
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
    expect(afterFailedAttempt(MAX_DELIVERY_ATTEMPTS, t0)).toEqual({ status: 'failed' });
  });
});

describe('siteLexicon', () => {
  const products = [{ companyId: 'acme', name: 'Rememba' }];
  it('adds a site’s terms without changing the default', () => {
    const text = 'Since Rememba I have a ringing in the ears all day.';
    expect(detectAdverseEvents(text, products)).toEqual([]);
    const lexicon = siteLexicon([{ language: 'en', concept: 'tinnitus', patterns: ['ringing in the ears'] }]);
    expect(detectAdverseEvents(text, products, { lexicon })[0]?.concepts).toEqual(['tinnitus']);
    expect(detectAdverseEvents(text, products, { lexicon: DEFAULT_ADVERSE_EVENT_LEXICON })).toEqual([]);
    expect(siteLexicon([])).toBe(DEFAULT_ADVERSE_EVENT_LEXICON);
  });
});

describe('safety schemas', () => {
  it('accepts an email and/or an http(s) webhook, and nothing else', () => {
    expect(parseWith(SafetyContactSchema, { pvEmail: 'PV@Acme.example', pvWebhookUrl: 'https://pv.acme.example/hook' })).toEqual({
      ok: true, value: { pvEmail: 'pv@acme.example', pvWebhookUrl: 'https://pv.acme.example/hook', country: null, product: null },
    });
    expect(parseWith(SafetyContactSchema, { pvEmail: 'pv@acme.example', country: 'nl', product: ' Rememba ' })).toMatchObject({ ok: true, value: { country: 'NL', product: 'Rememba' } });
    for (const bad of [
      { pvWebhookUrl: 'ftp://pv.acme.example' }, { pvWebhookUrl: 'https://user:pw@pv.acme.example' }, { pvWebhookUrl: 'not a url' },
      { pvEmail: 'nope' }, { pvEmail: `${'a'.repeat(250)}@x.example` }, { pvWebhookUrl: `https://x.example/${'a'.repeat(500)}` }, { other: 1 },
      { pvEmail: 'pv@acme.example', country: 'NLD' }, { pvEmail: 'pv@acme.example', country: '*' }, { pvEmail: 'pv@acme.example', product: '' },
    ]) {
      expect(parseWith(SafetyContactSchema, bad).ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });

  it('limits site settings: real patterns, one scheme per country, a post placeholder', () => {
    expect(parseWith(SafetySettingsSchema, { extraTerms: [{ language: 'EN', concept: 'tinnitus', patterns: ['ringing in the ears', 'tinnit*'] }] }).ok).toBe(true);
    expect(parseWith(SafetySettingsSchema, { extraTerms: [{ language: 'en', concept: 'x', patterns: ['ab*'] }] }).ok).toBe(false);
    expect(parseWith(SafetySettingsSchema, { extraTerms: [{ language: 'en', concept: 'x', patterns: [] }] }).ok).toBe(false);
    expect(parseWith(SafetySettingsSchema, { extraTerms: Array.from({ length: 201 }, () => ({ language: 'en', concept: 'x', patterns: ['abc'] })) }).ok).toBe(false);
    const scheme = { country: 'NL', name: 'Lareb', url: 'https://www.lareb.nl' };
    expect(parseWith(SafetySettingsSchema, { schemes: [scheme, scheme] }).ok).toBe(false);
    expect(parseWith(SafetySettingsSchema, { schemes: [{ ...scheme, url: 'javascript:alert(1)' }] }).ok).toBe(false);
    expect(parseWith(SafetySettingsSchema, { postUrlTemplate: 'https://host.example/forum/{topic}' }).ok).toBe(false);
    expect(parseWith(SafetySettingsSchema, { postUrlTemplate: 'https://host.example/forum/{topic}#{post}', defaultCountry: 'gb' })).toMatchObject({
      ok: true, value: { defaultCountry: 'GB' },
    });
    expect(parseWith(SafetySeenSchema, { postIds: Array.from({ length: 101 }, (_, i) => `p${i}`) }).ok).toBe(false);
  });
});
