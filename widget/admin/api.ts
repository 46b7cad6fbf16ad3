/**
 * REST calls of the admin console (lazily loaded with `<parley-admin>`). Every call goes to the
 * same `/api/sites/{site}/...` routes as curl and the CLI would, with the signed-in admin's token:
 * the server checks the permission and writes the public log; the console has no private path.
 * Like the other widget clients it never throws: each call resolves to the answer or a `Failure`.
 */
import type { Outcome } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import { failure, isFailure } from '../client/outcome.js';
import type { RuleView, TransparencyView } from '../moderation/api.js';
// The shapes the server answers, from the domain (type-only: nothing added to the bundle).
import type { FundingType } from '../../moderation/funding.js';
import type { ImportFormatName as ImportFormat, ImportReport } from '../../moderation/import-export.js';
import type { SiteSettingsView } from '../../moderation/site-schemas.js';
export type { FundingType, ImportFormat, ImportReport, SiteSettingsView };

/** `GET /admin/site` (setup-permissions). */
/** A funding entry as `PUT /admin/companies/{id}` takes it (company-disclosure's contract; older servers ignore the new fields). */
export interface FundingInput {
  year: number;
  amount: number;
  currency?: string;
  type?: FundingType;
  purpose: string;
  agreementRef?: string;
  addedAt?: string;
}

export interface CompanyView {
  id: string;
  legalName: string;
  displayName: string;
  emailDomains: string[];
  products: Array<{ name: string; inn: string[]; prescriptionOnly: boolean }>;
  disclosure: { funding: FundingInput[]; projects: string[]; url: string | null; statement: string | null };
  sponsored?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface StaffView {
  userId: string;
  name: string;
  companyId: string;
  companyName: string;
  jobTitle: string;
  revokedAt: string | null;
}

export interface NameChangeView {
  id: string;
  userId: string;
  displayName: string | null;
  jobTitle: string | null;
  reason: string;
  requestedAt: string;
}

export interface AdminOverview {
  roles: Array<{ userId: string; name: string; role: string }>;
  staff: StaffView[];
  companies: CompanyView[];
  nameChanges: NameChangeView[];
}

export interface ModerationSettingsView {
  publicModeratorNames: 'name' | 'pseudonym';
  territorialScope: string[];
  externalRedress: string;
  reportLicence: 'CC-BY-4.0' | 'CC0-1.0';
}

/** A pharmacovigilance contact and its scope (company-disclosure: per country and product; null = any). */
export interface SafetyContactView {
  pvEmail: string | null;
  pvWebhookUrl: string | null;
  country?: string | null;
  product?: string | null;
  webhookSigned?: boolean;
  updatedAt?: string;
}


export class AdminApi {
  readonly base: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, readonly site: string) {
    this.base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  // Who is signed in, and the site's public face (sign-in methods for the sign-in dialog).
  me = (token: string) => this.#json<{ viewer: { id: string; name: string; roles: string[] } }>('GET', '/me', token);
  publicSite = () => this.#json<{ id: string; name: string; signIn: import('../../moderation/types.js').SignInOffer }>('GET', '', null);

  // Site (setup-permissions).
  siteSettings = (token: string) => this.#json<SiteSettingsView>('GET', '/admin/site', token);
  patchSite = (token: string, body: { name?: string; origins?: string[] }) => this.#json<SiteSettingsView>('PATCH', '/admin/site', token, body);
  rotateSecret = (token: string) => this.#json<{ secret: string }>('POST', '/admin/site/secret', token, {});
  putPublicKeys = (token: string, publicKeys: string[]) => this.#json<SiteSettingsView>('PUT', '/admin/site/public-keys', token, { publicKeys });

  // House rules.
  rules = () => this.#json<{ version: number; rules: RuleView[] }>('GET', '/rules', null);
  previewRule = (token: string, text: string) => this.#json<{ html: string }>('POST', '/admin/rules/preview', token, { text });
  changeRule = (token: string, id: string, body: Record<string, unknown>) =>
    this.#json<{ rule: RuleView }>('PUT', `/rules/${encodeURIComponent(id)}`, token, body);

  // Companies and people.
  overview = (token: string) => this.#json<AdminOverview>('GET', '/admin', token);
  findUsers = (token: string, name: string) =>
    this.#json<{ users: Array<{ id: string; name: string; kind: string; createdAt: string }> }>('GET', `/admin/users?name=${encodeURIComponent(name)}`, token);
  putCompany = (token: string, company: CompanyView) =>
    this.#json<{ ok: true; created: boolean }>('PUT', `/admin/companies/${encodeURIComponent(company.id)}`, token, company);
  safetyContacts = (token: string, company: string) =>
    this.#json<{ contacts: SafetyContactView[] }>('GET', `/admin/companies/${encodeURIComponent(company)}/safety-contacts`, token);
  putSafetyContact = (token: string, company: string, body: SafetyContactView) =>
    this.#json<{ contact: SafetyContactView | null; webhookSecret?: string }>('PUT', `/admin/companies/${encodeURIComponent(company)}/safety-contact`, token, body);
  grantRole = (token: string, userId: string, role: string) => this.#json<{ ok: true }>('POST', '/admin/roles', token, { userId, role });
  revokeRole = (token: string, userId: string, role: string) => this.#json<{ ok: true }>('DELETE', '/admin/roles', token, { userId, role });
  verifyStaff = (token: string, body: { userId: string; company: string; jobTitle: string }) => this.#json<unknown>('POST', '/admin/staff', token, body);
  revokeStaff = (token: string, body: { userId: string; reason: string }) => this.#json<unknown>('POST', '/admin/staff/revoke', token, body);
  verifyProfessional = (token: string, body: { userId: string; profession: string }) => this.#json<unknown>('POST', '/admin/professionals', token, body);
  decideNameChange = (token: string, id: string, approve: boolean) =>
    this.#json<unknown>('POST', `/admin/name-changes/${encodeURIComponent(id)}`, token, { approve });

  // Settings.
  moderationSettings = () => this.#json<{ settings: ModerationSettingsView }>('GET', '/moderation/settings', null);
  putModerationSettings = (token: string, body: Partial<ModerationSettingsView>) =>
    this.#json<{ settings: ModerationSettingsView }>('PUT', '/moderation/settings', token, body);
  boilerplate = (token: string) => this.#json<{ texts: string[] }>('GET', '/admin/boilerplate', token);
  putBoilerplate = (token: string, texts: string[]) => this.#json<{ texts: string[] }>('PUT', '/admin/boilerplate', token, { texts });
  authenticity = (token: string) => this.#json<{ scriptedThreshold: number; promotionRule: string }>('GET', '/admin/authenticity', token);
  putAuthenticity = (token: string, body: { scriptedThreshold?: number; promotionRule?: string }) =>
    this.#json<{ scriptedThreshold: number; promotionRule: string }>('PUT', '/admin/authenticity', token, body);

  // Reports (public numbers; the console only offers them as files).
  transparency = () => this.#json<TransparencyView>('GET', '/transparency', null);
  statements = () => this.#json<{ count: number; statements: Array<Record<string, unknown>> }>('GET', '/transparency/statements', null);

  // Data (import-export).
  exportSite = (token: string) => this.#json<Record<string, unknown>>('GET', '/admin/export', token, undefined, 120_000);

  /** The file goes as the raw body (≤ 20 MB on the server); the report comes back as JSON. */
  async importFile(token: string, format: ImportFormat, file: Blob, dryRun: boolean): Promise<Outcome<ImportReport>> {
    const type = format === 'parley' ? 'application/json' : 'application/xml';
    let res: Response;
    try {
      res = await fetch(`${this.base}/admin/import?format=${format}&dryRun=${dryRun}`, {
        method: 'POST',
        headers: { accept: 'application/json', authorization: `Bearer ${token}`, 'content-type': type },
        body: file,
        signal: AbortSignal.timeout(300_000),
      });
    } catch (err) {
      return failure((err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network', String(err));
    }
    const data: unknown = await res.json().catch(() => null);
    if (res.ok && data !== null) return data as ImportReport;
    if (isFailure(data)) return data;
    return failure(res.status === 413 ? 'payload_too_large' : 'internal', `HTTP ${res.status}`);
  }

  #json<T>(method: string, path: string, token: string | null, body?: unknown, timeoutMs?: number): Promise<Outcome<T>> {
    return requestJson(method, this.base + path, { token, body, timeoutMs });
  }
}
