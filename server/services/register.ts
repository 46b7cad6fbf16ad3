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

async function companyInfo(ctx: AppContext, company: CompanyRecord): Promise<CompanyInfo> {
  const [staff, contacts, questions] = await Promise.all([
    ctx.store.listStaff(company.site, company.id),
    ctx.store.listSafetyContacts(company.site, company.id),
    questionsOf(ctx, company),
  ]);
  return {
    id: company.id,
    legalName: company.legalName,
    displayName: company.displayName,
    products: company.products,
    disclosure: company.disclosure,
    sponsored: company.sponsored,
    people: staff.map((s) => ({
      userId: s.userId, name: s.name, jobTitle: s.jobTitle, verifiedBy: s.verifiedBy, verifiedAt: s.verifiedAt, revokedAt: s.revokedAt,
    })),
    // Only whether safety forwards can reach the company (issue 6); the contact itself stays private.
    safetyContact: contacts.length > 0,
    ...questions,
  };
}

/** Questions put to the company (issue 14): public figures over 12 weeks and its approved pledge. */
async function questionsOf(ctx: AppContext, company: CompanyRecord): Promise<Pick<CompanyInfo, 'questions' | 'pledge'>> {
  const pledge = await approvedPledge(ctx, company.site, company.id);
  return { questions: await companyQuestionFigures(ctx, company.site, company.id, pledge), pledge };
}

/** The site's funding summary: shares within one currency, other currencies beside it (moderation/funding.ts). */
async function funding(ctx: AppContext, site: string, companies: CompanyRecord[]): Promise<FundingOverview> {
  const currency = ((await ctx.store.getSetting(site, 'currency')) ?? DEFAULT_CURRENCY).toUpperCase();
  return summariseFunding(
    companies.flatMap((c) => c.disclosure.funding.map((f) => ({
      companyId: c.id, companyName: c.displayName, amount: f.amount, currency: f.currency, year: f.year,
    }))),
    currency,
  );
}

export async function companyRegister(ctx: AppContext, site: SiteRecord): Promise<CompanyRegister> {
  const companies = await ctx.store.listCompanies(site.id);
  const [infos, overview] = await Promise.all([Promise.all(companies.map((c) => companyInfo(ctx, c))), funding(ctx, site.id, companies)]);
  return { site: site.id, siteName: site.name, companies: infos, funding: overview };
}

export async function company(ctx: AppContext, site: SiteRecord, id: unknown): Promise<CompanyInfo> {
  const companyId = valid(parseWith(CompanyIdSchema, id));
  const record = await ctx.store.getCompany(site.id, companyId);
  if (!record) throw new ParleyError('not_found', 'No such company on this site.');
  return companyInfo(ctx, record);
}

export async function topicParticipants(ctx: AppContext, site: SiteRecord, topicId: unknown): Promise<TopicParticipants> {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const [participation, all] = await Promise.all([ctx.store.topicParticipation(site.id, topic), ctx.store.listCompanies(site.id)]);
  const [companies, overview] = await Promise.all([
    Promise.all(participation.companies.flatMap(({ companyId, posts }) => {
      const record = all.find((c) => c.id === companyId);
      return record ? [companyInfo(ctx, record).then((info) => ({ ...info, postsInTopic: posts }))] : [];
    })),
    funding(ctx, site.id, all),
  ]);
  return { topic, companies, professionals: participation.professionals, funding: overview };
}
