/** The public register: companies taking part, their disclosures and people, and who takes part in a topic. */
import { ParleyError } from '../../moderation/errors.js';
import { DEFAULT_CURRENCY, summariseFunding } from '../../moderation/funding.js';
import { CompanyIdSchema, parseWith, TopicIdSchema } from '../../moderation/schemas.js';
import type { CompanyInfo, CompanyRegister, FundingOverview, TopicParticipants } from '../../moderation/types.js';
import type { CompanyRecord } from '../store/identity-store.js';
import type { SiteRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { approvedPledge, companyQuestionFigures } from './question-notes.js';
import { valid } from './validate.js';

function companyInfo(ctx: AppContext, company: CompanyRecord): CompanyInfo {
  return {
    id: company.id,
    legalName: company.legalName,
    displayName: company.displayName,
    products: company.products,
    disclosure: company.disclosure,
    sponsored: company.sponsored,
    people: ctx.store.listStaff(company.site, company.id).map((s) => ({
      userId: s.userId, name: s.name, jobTitle: s.jobTitle, verifiedBy: s.verifiedBy, verifiedAt: s.verifiedAt, revokedAt: s.revokedAt,
    })),
    // Only whether safety forwards can reach the company (issue 6); the contact itself stays private.
    safetyContact: ctx.store.listSafetyContacts(company.site, company.id).length > 0,
    ...questionsOf(ctx, company),
  };
}

/** Questions put to the company (issue 14): public figures over 12 weeks and its approved pledge. */
function questionsOf(ctx: AppContext, company: CompanyRecord): Pick<CompanyInfo, 'questions' | 'pledge'> {
  const pledge = approvedPledge(ctx, company.site, company.id);
  return { questions: companyQuestionFigures(ctx, company.site, company.id, pledge), pledge };
}

/** The site's funding summary: shares within one currency, other currencies beside it (moderation/funding.ts). */
function funding(ctx: AppContext, site: string, companies: CompanyRecord[]): FundingOverview {
  const currency = (ctx.store.getSetting(site, 'currency') ?? DEFAULT_CURRENCY).toUpperCase();
  return summariseFunding(
    companies.flatMap((c) => c.disclosure.funding.map((f) => ({
      companyId: c.id, companyName: c.displayName, amount: f.amount, currency: f.currency, year: f.year,
    }))),
    currency,
  );
}

export function companyRegister(ctx: AppContext, site: SiteRecord): CompanyRegister {
  const companies = ctx.store.listCompanies(site.id);
  return { site: site.id, siteName: site.name, companies: companies.map((c) => companyInfo(ctx, c)), funding: funding(ctx, site.id, companies) };
}

export function company(ctx: AppContext, site: SiteRecord, id: unknown): CompanyInfo {
  const companyId = valid(parseWith(CompanyIdSchema, id));
  const record = ctx.store.getCompany(site.id, companyId);
  if (!record) throw new ParleyError('not_found', 'No such company on this site.');
  return companyInfo(ctx, record);
}

export function topicParticipants(ctx: AppContext, site: SiteRecord, topicId: unknown): TopicParticipants {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const participation = ctx.store.topicParticipation(site.id, topic);
  const all = ctx.store.listCompanies(site.id);
  const companies = participation.companies.flatMap(({ companyId, posts }) => {
    const record = all.find((c) => c.id === companyId);
    return record ? [{ ...companyInfo(ctx, record), postsInTopic: posts }] : [];
  });
  return { topic, companies, professionals: participation.professionals, funding: funding(ctx, site.id, all) };
}
