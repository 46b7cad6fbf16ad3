/**
 * Funding disclosures (issue 15, requirement F-1): what a company gave the host organisation —
 * year, amount in an ISO 4217 currency, type (donation, grant, sponsorship, in kind), purpose,
 * the written agreement's reference and the date the entry was added — and the public summary
 * of who funds the site. Pure: the caller passes the clock.
 *
 * Amounts in different currencies are never added together: Parley has no exchange rates and a
 * converted figure would be a number the host never disclosed. The summary's shares and its
 * single/dominant-funder note are computed in one currency (the site's, when it has funding
 * that year); funding in other currencies is summed per currency beside it.
 */

/**
 * Active ISO 4217 codes (2026) of money a company can pay: the withdrawn ones (HRK, CUC, SLL,
 * ZWL, ANG) and IMF units (XDR, XSU) are refused, so a typo cannot pass as a currency.
 */
export const CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP ' +
    'CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD ' +
    'IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP ' +
    'SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF ' +
    'XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/** The currency of funding recorded before currencies existed, and of sites that set none. */
export const DEFAULT_CURRENCY = 'EUR';

/** F-1's kinds of support; in kind is e.g. paid hosting of the widget (amount: its value, or 0). */
export const FUNDING_TYPES = ['donation', 'grant', 'sponsorship', 'in-kind'] as const;
export type FundingType = (typeof FUNDING_TYPES)[number];

/** Money (or support in kind) a company gave the host organisation in one year, as the host discloses it. */
export interface FundingEntry {
  year: number;
  amount: number;
  /** ISO 4217, e.g. "EUR". */
  currency: string;
  type: FundingType;
  purpose: string;
  /** The written agreement's reference (ABPI 27.3), when there is one. */
  agreementRef: string | null;
  /** When the entry was added to the disclosure (ISO time), set by the server. */
  addedAt: string;
}

export type FundingEntryInput = Omit<FundingEntry, 'addedAt'>;

const sameEntry = (a: FundingEntryInput, b: FundingEntryInput) =>
  a.year === b.year && a.amount === b.amount && a.currency === b.currency && a.type === b.type
  && a.purpose === b.purpose && (a.agreementRef ?? null) === (b.agreementRef ?? null);

/**
 * The date added of each entry of a new disclosure: an entry unchanged since the previous
 * version keeps its date, any new or changed one gets `now`. The admin cannot set it, so the
 * public "date added" is when the host actually disclosed it (the public log has each version).
 */
export function stampFunding(entries: readonly FundingEntryInput[], previous: readonly FundingEntry[], now: string): FundingEntry[] {
  const unused = [...previous];
  return entries.map((e) => {
    const i = unused.findIndex((p) => sameEntry(p, e));
    const addedAt = i >= 0 ? unused.splice(i, 1)[0]!.addedAt : now;
    return { year: e.year, amount: e.amount, currency: e.currency, type: e.type, purpose: e.purpose, agreementRef: e.agreementRef ?? null, addedAt };
  });
}

export interface Funding {
  companyId: string;
  companyName: string;
  amount: number;
  currency: string;
  year: number;
}

export interface FundingShare { companyId: string; companyName: string; amount: number; share: number }

export interface FundingSummary {
  /** The most recent year with funding. */
  year: number | null;
  /** The currency of `total` and `shares`: the site's, unless that year has no funding in it. */
  currency: string;
  total: number;
  shares: FundingShare[];
  /** The same year's funding in each other currency, never converted or added to `total`. */
  otherCurrencies: Array<{ currency: string; total: number; shares: FundingShare[] }>;
  /**
   * A plain-language note: `single-funder` when one company gave everything that year (in any
   * currency); `dominant-funder` when one gave over half — only said when the year's funding is
   * all in one currency, since shares across currencies cannot be compared.
   */
  note: 'single-funder' | 'dominant-funder' | null;
  dominantCompany: string | null;
}

function sharesOf(funding: readonly Funding[]): { total: number; shares: FundingShare[] } {
  const byCompany = new Map<string, { companyId: string; companyName: string; amount: number }>();
  for (const f of funding) {
    const entry = byCompany.get(f.companyId) ?? { companyId: f.companyId, companyName: f.companyName, amount: 0 };
    entry.amount += f.amount;
    byCompany.set(f.companyId, entry);
  }
  const total = [...byCompany.values()].reduce((sum, e) => sum + e.amount, 0);
  const shares = [...byCompany.values()].map((e) => ({ ...e, share: total > 0 ? e.amount / total : 0 })).sort((a, b) => b.amount - a.amount);
  return { total, shares };
}

/** Each company's share of the host's company funding in the most recent year with data, per currency. */
export function summariseFunding(funding: readonly Funding[], siteCurrency: string): FundingSummary {
  const valid = funding.filter((f) => Number.isFinite(f.amount) && f.amount > 0);
  if (valid.length === 0) return { year: null, currency: siteCurrency, total: 0, shares: [], otherCurrencies: [], note: null, dominantCompany: null };
  const year = Math.max(...valid.map((f) => f.year));
  const ofYear = valid.filter((f) => f.year === year);
  const currencies = [...new Set(ofYear.map((f) => f.currency))].sort();
  const main = currencies.includes(siteCurrency) ? siteCurrency : currencies[0]!;
  const { total, shares } = sharesOf(ofYear.filter((f) => f.currency === main));
  const otherCurrencies = currencies.filter((c) => c !== main).map((currency) => ({ currency, ...sharesOf(ofYear.filter((f) => f.currency === currency)) }));
  // In-kind support of no stated value still makes a company a funder that year.
  const funders = new Set(funding.filter((f) => f.year === year).map((f) => f.companyId));
  const top = shares[0]!;
  const note = funders.size === 1 ? 'single-funder' : otherCurrencies.length === 0 && top.share > 0.5 ? 'dominant-funder' : null;
  const dominantCompany = note === 'single-funder' ? ofYear[0]!.companyName : note ? top.companyName : null;
  return { year, currency: main, total, shares, otherCurrencies, note, dominantCompany };
}
