/** Site administration: roles, the company register, name-change decisions. Every change is recorded. */
import { ParleyError } from '../../moderation/errors.js';
import { stampFunding } from '../../moderation/funding.js';
import { checkRoleGrant } from '../../moderation/identity.js';
import { CompanySchema, DecideNameChangeSchema, parseWith, RoleChangeSchema } from '../../moderation/schemas.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { recordIdentity } from '../audit/identity-events.js';
import { valid } from './validate.js';

export async function grantRole(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true }> {
  requirePermission(actor, 'manage-roles');
  const { userId, role } = valid(parseWith(RoleChangeSchema, input));
  const site = actor.site.id;
  // The staff check and the grant in one transaction: an affiliation added in between must not slip past it.
  await ctx.store.transaction(async () => {
    const user = await ctx.store.getUser(site, userId);
    if (!user || user.kind === 'deleted') throw new ParleyError('not_found', 'No such member on this site.');
    const refusal = checkRoleGrant(role, { isStaff: (await ctx.store.getActiveAffiliation(site, userId)) !== null });
    if (refusal === 'staff-cannot-moderate') {
      throw new ParleyError('forbidden', `${user.displayName} is verified company staff; company staff never moderate or administer a site their company takes part in.`);
    }
    if (refusal) throw new ParleyError('validation_failed', `The ${role} role cannot be granted.`);
    await ctx.store.grantRole(site, userId, role);
    await recordIdentity(ctx, { site, at: ctx.now().toISOString(), actor: actor.id, subjectId: userId, kind: 'role-granted', details: { role } });
  });
  return { ok: true };
}

export async function revokeRole(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true }> {
  requirePermission(actor, 'manage-roles');
  const { userId, role } = valid(parseWith(RoleChangeSchema, input));
  if (userId === actor.id && role === 'admin') throw new ParleyError('forbidden', 'You cannot remove your own admin role; ask another admin.');
  // The change and its log entry commit together.
  await ctx.store.transaction(async () => {
    if (!(await ctx.store.revokeRole(actor.site.id, userId, role))) throw new ParleyError('not_found', `This person does not hold the ${role} role.`);
    await recordIdentity(ctx, { site: actor.site.id, at: ctx.now().toISOString(), actor: actor.id, subjectId: userId, kind: 'role-revoked', details: { role } });
  });
  return { ok: true };
}

export async function upsertCompany(ctx: AppContext, actor: Actor, input: unknown): Promise<{ ok: true; created: boolean }> {
  requirePermission(actor, 'manage-companies');
  const company = valid(parseWith(CompanySchema, input));
  const site = actor.site.id;
  // Read, stamp and write in one transaction: a concurrent save must not stamp against a stale entry.
  const existing = await ctx.store.transaction(async () => {
    const existing = await ctx.store.getCompany(site, company.id);
    const at = ctx.now().toISOString();
    // Unchanged entries keep their date added; new or changed ones are dated now (F-1).
    const funding = stampFunding(company.disclosure.funding, existing?.disclosure.funding ?? [], at);
    await ctx.store.upsertCompany({
      site, id: company.id, legalName: company.legalName, displayName: company.displayName,
      emailDomains: [...new Set(company.emailDomains)],
      products: company.products.map((p) => ({ name: p.name, inn: p.inn, prescriptionOnly: p.prescriptionOnly })),
      disclosure: {
        funding,
        projects: company.disclosure.projects, url: company.disclosure.url, statement: company.disclosure.statement,
      },
      sponsored: company.sponsored,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    });
    await recordIdentity(ctx, {
      site, at, actor: actor.id, subjectId: null, kind: existing ? 'company-updated' : 'company-registered',
      // F-2: each change of the funding panel is public, with what it then said (purposes are on the card).
      details: {
        company: company.id, displayName: company.displayName, sponsored: company.sponsored,
        funding: funding.map((f) => ({ year: f.year, amount: f.amount, currency: f.currency, type: f.type, agreementRef: f.agreementRef })),
      },
    });
    return existing;
  });
  return { ok: true, created: !existing };
}

export async function decideNameChange(ctx: AppContext, actor: Actor, requestId: string, input: unknown) {
  requirePermission(actor, 'verify-staff');
  const { approve } = valid(parseWith(DecideNameChangeSchema, input));
  const at = ctx.now().toISOString();
  // The decision and its log entry commit together.
  const decided = await ctx.store.transaction(async () => {
    const decided = await ctx.store.decideNameChange(actor.site.id, requestId, approve, actor.id, at);
    if (!decided) throw new ParleyError('not_found', 'No pending name-change request with that id.');
    await recordIdentity(ctx, {
      site: actor.site.id, at, actor: actor.id, subjectId: decided.userId,
      kind: approve ? 'name-change-approved' : 'name-change-rejected',
      details: { request: decided.id, displayName: approve ? decided.displayName : null, jobTitle: approve ? decided.jobTitle : null },
    });
    return decided;
  });
  return { request: decided };
}

export async function siteAdminOverview(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'manage-roles');
  const site = actor.site.id;
  const [roles, staff, companies, nameChanges] = await Promise.all([
    ctx.store.listRoleHolders(site),
    ctx.store.listStaff(site),
    ctx.store.listCompanies(site),
    ctx.store.listNameChanges(site, 'pending'),
  ]);
  return { roles, staff, companies, nameChanges };
}

export async function findUsers(ctx: AppContext, actor: Actor, name: unknown) {
  requirePermission(actor, 'manage-roles');
  const query = typeof name === 'string' ? name.slice(0, 80) : '';
  return { users: await ctx.store.findUsers(actor.site.id, query, 50) };
}
