import { describe, expect, it } from 'vitest';
import { stampFunding } from '../../../moderation/funding.js';
import { checkRoleGrant, domainMatches, emailDomain, imitatedName, nameSkeleton, summariseFunding } from '../../../moderation/identity.js';

describe('names', () => {
  it('folds case, accents, titles, spacing and look-alike characters', () => {
    const same = ['Dr. Sarah Lindqvist', 'sarah lindqvist', 'Sárah  Lindqvist', 'S4rah Lindqv1st', 'Sаrah Lindqvist' /* Cyrillic а */];
    for (const name of same) expect(nameSkeleton(name), name).toBe(nameSkeleton('Sarah Lindqvist'));
    expect(nameSkeleton('Sarah Lindgren')).not.toBe(nameSkeleton('Sarah Lindqvist'));
  });

  it('finds imitation of staff and companies without blocking ordinary names', () => {
    const names = [{ name: 'Sarah Lindqvist', kind: 'staff' as const }, { name: 'Novacura Pharma', kind: 'company' as const }, { name: 'Al', kind: 'staff' as const }];
    expect(imitatedName('Sarah Lindqvist (real)', names)?.name).toBe('Sarah Lindqvist');
    expect(imitatedName('N0vacura', names)?.name).toBe('Novacura Pharma');
    expect(imitatedName('Sarah', names)).toBeNull();
    expect(imitatedName('Alan', names)).toBeNull();
    expect(imitatedName('Pieter V.', names)).toBeNull();
  });
});

describe('email domains', () => {
  it('matches registered domains and their subdomains only', () => {
    expect(emailDomain('A@Acme.Example')).toBe('acme.example');
    expect(emailDomain('not an email')).toBeNull();
    expect(domainMatches('x@acme.example', ['acme.example'])).toBe(true);
    expect(domainMatches('x@uk.acme.example', ['acme.example'])).toBe(true);
    expect(domainMatches('x@acme.example.evil.io', ['acme.example'])).toBe(false);
    expect(domainMatches('x@evilacme.example', ['acme.example'])).toBe(false);
    expect(domainMatches('x@acme.example@evil.io', ['acme.example'])).toBe(false);
  });
});

describe('role grants', () => {
  it('refuses moderator and admin for staff, and ungrantable roles for anyone', () => {
    expect(checkRoleGrant('moderator', { isStaff: true })).toBe('staff-cannot-moderate');
    expect(checkRoleGrant('admin', { isStaff: true })).toBe('staff-cannot-moderate');
    expect(checkRoleGrant('moderator', { isStaff: false })).toBeNull();
    expect(checkRoleGrant('staff', { isStaff: false })).toBe('not-grantable');
  });
});

describe('funding', () => {
  it('summarises the latest year with shares and flags a single or dominant funder', () => {
    expect(summariseFunding([], 'EUR').note).toBeNull();
    const single = summariseFunding([{ companyId: 'a', companyName: 'A', amount: 10, year: 2025, currency: 'EUR' }], 'EUR');
    expect(single.note).toBe('single-funder');
    const dominant = summariseFunding([
      { companyId: 'a', companyName: 'A', amount: 60, year: 2025, currency: 'EUR' },
      { companyId: 'b', companyName: 'B', amount: 40, year: 2025, currency: 'EUR' },
      { companyId: 'b', companyName: 'B', amount: 1000, year: 2020, currency: 'EUR' },
    ], 'EUR');
    expect(dominant).toMatchObject({ year: 2025, total: 100, note: 'dominant-funder', dominantCompany: 'A' });
    const balanced = summariseFunding([
      { companyId: 'a', companyName: 'A', amount: 50, year: 2025, currency: 'EUR' },
      { companyId: 'b', companyName: 'B', amount: 50, year: 2025, currency: 'EUR' },
    ], 'EUR');
    expect(balanced.note).toBeNull();
  });

  it('never adds different currencies together, and only calls a funder dominant within one currency', () => {
    const mixed = summariseFunding([
      { companyId: 'a', companyName: 'A', amount: 900, year: 2025, currency: 'USD' },
      { companyId: 'b', companyName: 'B', amount: 100, year: 2025, currency: 'EUR' },
      { companyId: 'c', companyName: 'C', amount: 50, year: 2025, currency: 'EUR' },
    ], 'EUR');
    expect(mixed).toMatchObject({ year: 2025, currency: 'EUR', total: 150, note: null, dominantCompany: null });
    expect(mixed.shares.map((s) => s.companyId)).toEqual(['b', 'c']);
    expect(mixed.otherCurrencies).toEqual([{ currency: 'USD', total: 900, shares: [{ companyId: 'a', companyName: 'A', amount: 900, share: 1 }] }]);
    // No funding in the site's currency that year: the summary is in the year's first currency.
    const foreign = summariseFunding([
      { companyId: 'a', companyName: 'A', amount: 10, year: 2025, currency: 'GBP' },
      { companyId: 'a', companyName: 'A', amount: 20, year: 2025, currency: 'CHF' },
    ], 'EUR');
    expect(foreign).toMatchObject({ currency: 'CHF', total: 20, note: 'single-funder', dominantCompany: 'A' });
    expect(foreign.otherCurrencies).toMatchObject([{ currency: 'GBP', total: 10 }]);
  });

  it('counts support in kind of no stated value as funding when saying whether one company is the only funder', () => {
    const summary = summariseFunding([
      { companyId: 'a', companyName: 'A', amount: 100, year: 2025, currency: 'EUR' },
      { companyId: 'b', companyName: 'B', amount: 0, year: 2025, currency: 'EUR' },
    ], 'EUR');
    expect(summary).toMatchObject({ total: 100, note: 'dominant-funder', dominantCompany: 'A' });
    expect(summary.shares.map((s) => s.companyId)).toEqual(['a']);
  });

  it('gives an unchanged entry its original date added and a new or changed one today', () => {
    const base = { year: 2025, amount: 100, currency: 'EUR', type: 'grant' as const, purpose: 'Helpline', agreementRef: 'AG-1' };
    const before = stampFunding([base], [], '2025-01-01T00:00:00.000Z');
    expect(before[0]!.addedAt).toBe('2025-01-01T00:00:00.000Z');
    const after = stampFunding([base, { ...base, amount: 200 }], before, '2026-03-01T00:00:00.000Z');
    expect(after.map((e) => e.addedAt)).toEqual(['2025-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
  });
});
