/**
 * Who may do what on a site. Pure data and one function: the server asks `can()` before
 * every action, on every REST route and socket event; the widget only shows what the
 * server allows. The matrix is documented in docs/permissions.md.
 */
import type { Role } from './types.js';

export type Action =
  | 'read'
  | 'post'
  | 'reply'
  | 'edit-own-post'
  | 'mark-helpful'
  | 'search'
  | 'report'
  | 'appeal'
  | 'moderate'
  | 'decide-appeal'
  | 'view-reporters'
  | 'manage-roles'
  | 'manage-rules'
  | 'manage-companies'
  | 'verify-staff'
  | 'forward-safety'
  | 'import-site'
  | 'export-site'
  | 'manage-site'
  | 'import-site'
  | 'export-site'
  | 'ask-company'
  | 'read-company-desk'
  | 'work-company-desk'
  | 'manage-company-desk';

/** The matrix: each action lists the roles that may take it. */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  read: ['reader', 'member', 'staff', 'moderator', 'admin'],
  post: ['member', 'staff', 'moderator', 'admin'],
  reply: ['member', 'staff', 'moderator', 'admin'],
  // Only ever one's own posts: the server also checks that the editor is the author.
  'edit-own-post': ['member', 'staff', 'moderator', 'admin'],
  // "Helpful" (issue 16): staff may mark, shown with their badge and never counted for ranking (S-3).
  'mark-helpful': ['member', 'staff', 'moderator', 'admin'],
  // Search within a site's discussions: reading, as the discussions are public.
  search: ['reader', 'member', 'staff', 'moderator', 'admin'],
  report: ['member', 'staff', 'moderator', 'admin'],
  appeal: ['member', 'staff', 'moderator', 'admin'],
  // Company staff never moderate: staff is deliberately absent from every row below.
  moderate: ['moderator', 'admin'],
  'decide-appeal': ['moderator', 'admin'],
  'view-reporters': ['moderator', 'admin'],
  'manage-roles': ['admin'],
  'manage-rules': ['admin'],
  'manage-companies': ['admin'],
  'verify-staff': ['admin'],
  // Possible adverse events (issue 6): a company's own staff may send a flag about their company's
  // products to its safety team (the server also checks the company); this is not moderation.
  'forward-safety': ['staff', 'moderator', 'admin'],
  // Issue 15: importing writes posts under other people's names; exporting hands over the whole site.
  'import-site': ['admin'],
  'export-site': ['admin'],
  // The site itself (issue 15): name, allowed origins, host-token secret and public keys.
  'manage-site': ['admin'],
  // Questions put to a company and its desk (issue 14). Anyone signed in may address a post to a
  // company, except company staff: `can()` refuses anyone who is staff (ACTIONS_FORBIDDEN_TO_STAFF).
  'ask-company': ['member', 'moderator', 'admin'],
  // The desk: a company's verified staff (the server checks it is their company); moderators and
  // admins read every desk, so nothing on it is hidden from the host.
  'read-company-desk': ['staff', 'moderator', 'admin'],
  // Claims, linking an answer, proposing the pledge: only the company's own staff act on its desk.
  'work-company-desk': ['staff'],
  // Claim hours and approving a company's pledge.
  'manage-company-desk': ['admin'],
};

/** Roles that company staff may never hold on a site where their company takes part. */
export const ROLES_FORBIDDEN_TO_STAFF: readonly Role[] = ['moderator', 'admin'];

/** Actions refused to anyone who is company staff, whatever other role they hold (they speak for a company). */
export const ACTIONS_FORBIDDEN_TO_STAFF: readonly Action[] = ['ask-company'];

/**
 * May someone holding `roles` take `action`? A person who is company staff is refused
 * moderation rights even if a moderator role was somehow granted (defence in depth).
 */
export function can(roles: readonly Role[], action: Action): boolean {
  const allowed = PERMISSIONS[action];
  const isStaff = roles.includes('staff');
  if (isStaff && ACTIONS_FORBIDDEN_TO_STAFF.includes(action)) return false;
  return roles.some((role) => {
    if (!allowed.includes(role)) return false;
    if (isStaff && ROLES_FORBIDDEN_TO_STAFF.includes(role)) return false;
    return true;
  });
}

/**
 * How one HTTP route is guarded. Every route the server mounts has exactly one rule here (a test
 * walks the real app's router stack and fails on a route without one, or a rule without a route):
 * - `action`: the route refuses anyone for whom `can(roles, action)` is false (401 without a
 *   sign-in, 403 with one); its service may narrow further (a company's own staff, the author).
 * - `self`: any signed-in person, about their own account or contributions only (401 without).
 * - `secret`: proven by a secret the request carries (a link's token, a refresh token, a feed
 *   token, the setup token), not by a role.
 * - `public`: anyone, signed in or not; `why` says why that is safe.
 */
export type RouteRule =
  | { action: Action }
  | { self: string }
  | { secret: string }
  | { public: string };

const SITE = '/api/sites/{site}';
const site = (method: string, path: string) => `${method} ${SITE}${path}`;

/** Every route, as `METHOD /path` with OpenAPI's `{param}` (as server/http/api-routes.ts), and its rule. docs/permissions.md lists the same. */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  // Server-level.
  'GET /healthz': { public: 'liveness for load balancers; says nothing' },
  'GET /readyz': { public: 'readiness for load balancers; says nothing' },
  'GET /metrics': { public: 'counters only; docs/operations.md: keep it off the internet at the proxy' },
  'GET /parley.js': { public: 'the widget script' },
  'GET /parley-count.js': { public: 'the <parley-count> element alone' },
  'GET /api/openapi.json': { public: 'the API description, public on purpose' },
  'GET /api/asyncapi.json': { public: 'the socket events\' description, public on purpose' },
  'GET /assets/{name}': { public: 'the widget\'s lazy chunks' },
  'GET /admin/{site}': { public: 'the console page carries no data; the API it calls decides what an admin sees' },
  'GET /admin/console.css': { public: 'the console page\'s stylesheet' },
  'GET /setup': { secret: 'the one-time setup token printed by parley serve' },
  'GET /setup/setup.js': { public: 'the setup pages\' script' },
  'GET /setup/setup.css': { public: 'the setup pages\' stylesheet' },
  'GET /setup/accept': { public: 'a page; the invitation\'s token stays in the address\'s fragment' },
  'POST /api/setup': { secret: 'the one-time setup token printed by parley serve' },
  'POST /api/setup/accept': { secret: 'the first admin\'s invitation link' },
  // Links in notification mail (issue 13): they work without signing in, by design.
  'GET /notifications/unsubscribe': { secret: 'the signed link in a notification mail; the page changes nothing' },
  'POST /notifications/unsubscribe': { secret: 'the signed link in a notification mail (RFC 8058 one-click)' },
  'GET /notifications/confirm': { secret: 'the signed confirmation link mailed to the address' },
  'POST /notifications/confirm': { secret: 'the signed confirmation link mailed to the address' },

  // Reading: public, as the discussions are.
  [site('GET', '')]: { public: 'the site\'s name, rules link and sign-in methods' },
  [site('GET', '/topics')]: { public: 'reading: topics and their post counts' },
  [site('GET', '/topics/{topic}/posts')]: { public: 'reading' },
  [site('GET', '/topics/{topic}/html')]: { public: 'reading, as HTML for readers without JavaScript (always the signed-out view)' },
  [site('GET', '/topics/{topic}/changes')]: { public: 'reading' },
  [site('GET', '/posts/{id}')]: { public: 'reading' },
  [site('GET', '/posts/{id}/history')]: { public: 'every version of a post is public' },
  [site('GET', '/companies')]: { public: 'the register of companies and their disclosures' },
  [site('GET', '/companies/{company}')]: { public: 'the register of companies and their disclosures' },
  [site('GET', '/companies/{id}/presence')]: { public: 'whether a company\'s staff take part, by design public' },
  [site('GET', '/topics/{topic}/participants')]: { public: 'who takes part, as shown beside their posts' },
  [site('GET', '/rules')]: { public: 'the house rules' },
  [site('GET', '/rules/history')]: { public: 'every version of the house rules' },
  [site('GET', '/moderation/how-it-works')]: { public: 'transparency' },
  [site('GET', '/moderation/actions/{id}')]: { public: 'moderation actions are public, reporters never' },
  [site('GET', '/moderation/settings')]: { public: 'transparency: the settings in force' },
  [site('GET', '/notices/{id}')]: { secret: 'an unguessable notice id, mailed to the person concerned' },
  [site('GET', '/transparency')]: { public: 'the transparency report' },
  [site('GET', '/transparency/statements')]: { public: 'statements of reasons, without personal data' },
  // Issue 16.
  [site('GET', '/moderation/holds/settings')]: { public: 'transparency: which posts wait for a moderator (word lists by rule, never their words)' },
  [site('GET', '/search')]: { public: 'reading: only visible, released posts are ever found' },

  // The public audit log.
  [site('GET', '/log/checkpoint')]: { public: 'the audit log is public' },
  [site('GET', '/log/checkpoint.json')]: { public: 'the audit log is public' },
  [site('GET', '/log/entries')]: { public: 'the audit log is public' },
  [site('GET', '/log/entries/{index}')]: { public: 'the audit log is public (redacted fields hidden)' },
  [site('GET', '/log/entries/{index}/sensitive')]: { action: 'moderate' },
  [site('GET', '/log/proof/inclusion')]: { public: 'the audit log is public' },
  [site('GET', '/log/proof/consistency')]: { public: 'the audit log is public' },
  [site('GET', '/log/download')]: { public: 'the audit log is public' },
  [site('GET', '/log/feed.atom')]: { public: 'the audit log is public' },
  [site('GET', '/log/view')]: { public: 'the audit log is public' },
  [site('GET', '/log/keys')]: { public: 'the log\'s verifier keys' },
  [site('GET', '/log/witnesses')]: { public: 'the log\'s witnesses' },
  [site('POST', '/log/cosignatures')]: { secret: 'a witness\'s signature over the checkpoint, verified against its registered key' },
  [site('POST', '/log/witnesses')]: { action: 'manage-roles' },
  [site('POST', '/log/redactions')]: { action: 'manage-roles' },

  // Signing in.
  [site('POST', '/session')]: { secret: 'a host token signed with the site\'s secret or key' },
  [site('POST', '/session/refresh')]: { secret: 'a refresh token' },
  [site('POST', '/session/sign-out-everywhere')]: { self: 'ends one\'s own sessions' },
  [site('POST', '/staff/email-link')]: { public: 'sends a link to a work address; rate-limited' },
  [site('POST', '/staff/verify')]: { secret: 'the emailed link\'s token' },
  [site('POST', '/sign-in/email')]: { public: 'sends a link to an address; the same answer for every address; rate-limited' },
  [site('POST', '/sign-in/email/verify')]: { secret: 'the emailed link\'s token' },
  [site('POST', '/sign-in/email/code')]: { secret: 'the emailed one-time code' },
  [site('GET', '/sign-in/oidc/start')]: { public: 'redirects to the site\'s provider' },
  [site('GET', '/sign-in/oidc/callback')]: { secret: 'the provider\'s code and the flow\'s state' },
  [site('POST', '/sign-in/oidc/complete')]: { secret: 'a single-use ticket' },

  // Taking part (the member's own account and contributions).
  [site('GET', '/me')]: { self: 'one\'s own account' },
  [site('PATCH', '/me')]: { self: 'one\'s own name' },
  [site('DELETE', '/me')]: { self: 'erases one\'s own account' },
  [site('GET', '/me/export')]: { self: 'one\'s own data' },
  [site('POST', '/me/name-change')]: { self: 'asks an admin to change one\'s own verified name' },
  [site('POST', '/me/welcome')]: { self: 'one\'s own name and consent' },
  [site('GET', '/me/blocks')]: { self: 'one\'s own block list' },
  [site('PUT', '/me/blocks/{userId}')]: { self: 'one\'s own block list (members; not company staff)' },
  [site('DELETE', '/me/blocks/{userId}')]: { self: 'one\'s own block list' },
  [site('GET', '/me/reports')]: { self: 'one\'s own reports' },
  [site('GET', '/me/appeals')]: { self: 'one\'s own appeals' },
  [site('GET', '/me/notices')]: { self: 'one\'s own notices' },
  [site('POST', '/posts')]: { action: 'post' },
  [site('PATCH', '/posts/{id}')]: { action: 'edit-own-post' },
  [site('DELETE', '/posts/{id}')]: { action: 'edit-own-post' },
  [site('PUT', '/posts/{id}/helpful')]: { action: 'mark-helpful' },
  [site('DELETE', '/posts/{id}/helpful')]: { action: 'mark-helpful' },
  [site('POST', '/reports')]: { action: 'report' },
  [site('POST', '/appeals')]: { action: 'appeal' },
  [site('GET', '/safety/my-flags')]: { self: 'flags on one\'s own posts' },
  [site('POST', '/safety/flags/{id}/consent')]: { self: 'consent about one\'s own post' },

  // Company staff.
  [site('POST', '/staff/check-text')]: { action: 'forward-safety' },
  [site('GET', '/safety/flags')]: { action: 'forward-safety' },
  [site('GET', '/safety/flags/{id}')]: { action: 'forward-safety' },
  [site('POST', '/safety/flags/{id}/forward')]: { action: 'forward-safety' },
  [site('POST', '/safety/seen')]: { action: 'forward-safety' },
  [site('GET', '/safety/feed')]: { secret: 'a company\'s feed token, or the sign-in of its verified staff' },

  // Moderators.
  [site('GET', '/moderation/queue')]: { action: 'moderate' },
  [site('GET', '/moderation/log')]: { action: 'moderate' },
  [site('POST', '/moderation/actions')]: { action: 'moderate' },
  [site('POST', '/moderation/actions/{id}/reverse')]: { action: 'moderate' },
  [site('POST', '/moderation/bulk')]: { action: 'moderate' },
  [site('GET', '/moderation/accounts/{userId}/notes')]: { action: 'moderate' },
  [site('POST', '/moderation/accounts/{userId}/notes')]: { action: 'moderate' },
  [site('PUT', '/topics/{topic}/pin')]: { action: 'moderate' },
  [site('DELETE', '/topics/{topic}/pin')]: { action: 'moderate' },
  [site('GET', '/moderation/appeals')]: { action: 'decide-appeal' },
  [site('POST', '/moderation/appeals/{id}/decision')]: { action: 'decide-appeal' },
  [site('GET', '/safety/deliveries')]: { action: 'moderate' },
  [site('POST', '/safety/deliveries/{id}/retry')]: { action: 'moderate' },

  // Site admins.
  [site('GET', '/admin')]: { action: 'manage-roles' },
  [site('GET', '/admin/users')]: { action: 'manage-roles' },
  [site('POST', '/admin/roles')]: { action: 'manage-roles' },
  [site('DELETE', '/admin/roles')]: { action: 'manage-roles' },
  [site('GET', '/admin/identity-events')]: { action: 'manage-roles' },
  [site('PUT', '/admin/sign-in')]: { action: 'manage-roles' },
  // The company desk (issue 14): the service also checks that staff act on their own company's desk.
  [site('GET', '/companies/{company}/desk')]: { action: 'read-company-desk' },
  [site('POST', '/companies/{company}/questions/{postId}/claim')]: { action: 'work-company-desk' },
  [site('DELETE', '/companies/{company}/questions/{postId}/claim')]: { action: 'work-company-desk' },
  [site('POST', '/companies/{company}/questions/{postId}/answer')]: { action: 'work-company-desk' },
  [site('PUT', '/companies/{company}/pledge')]: { action: 'work-company-desk' },
  [site('POST', '/moderation/questions/{postId}/out-of-scope')]: { action: 'moderate' },
  [site('POST', '/admin/companies/{company}/pledge')]: { action: 'manage-company-desk' },
  [site('GET', '/admin/desk')]: { action: 'manage-company-desk' },
  [site('PUT', '/admin/desk')]: { action: 'manage-company-desk' },
  // Notifications (issue 13).
  [site('GET', '/me/notifications')]: { self: 'one\'s own notification choices' },
  [site('PUT', '/me/notifications')]: { self: 'one\'s own notification choices' },
  [site('GET', '/topics/{topic}/follow')]: { self: 'whether one follows a topic' },
  [site('PUT', '/topics/{topic}/follow')]: { self: 'one\'s own follow' },
  [site('GET', '/topics/{topic}/mention-suggestions')]: { action: 'post' },
  [site('GET', '/topics/{topic}/since-last-visit')]: { self: 'replies to one\'s own posts since one\'s own last visit' },
  [site('PUT', '/topics/{topic}/seen')]: { self: 'one\'s own seen marker' },
  [site('GET', '/admin/notifications')]: { action: 'manage-site' },
  [site('PUT', '/admin/notifications')]: { action: 'manage-site' },
  [site('GET', '/admin/oidc')]: { action: 'manage-site' },
  [site('PUT', '/admin/oidc')]: { action: 'manage-site' },
  [site('DELETE', '/admin/oidc')]: { action: 'manage-site' },
  [site('GET', '/safety/relay/{reference}')]: { action: 'manage-roles' },
  [site('PUT', '/rules/{rule}')]: { action: 'manage-rules' },
  [site('POST', '/admin/rules/preview')]: { action: 'manage-rules' },
  [site('POST', '/admin/import')]: { action: 'import-site' },
  [site('GET', '/admin/export')]: { action: 'export-site' },
  [site('PUT', '/moderation/settings')]: { action: 'manage-rules' },
  [site('PUT', '/moderation/holds/settings')]: { action: 'manage-rules' },
  [site('PUT', '/admin/companies/{company}')]: { action: 'manage-companies' },
  [site('GET', '/admin/boilerplate')]: { action: 'manage-companies' },
  [site('PUT', '/admin/boilerplate')]: { action: 'manage-companies' },
  [site('GET', '/admin/authenticity')]: { action: 'manage-companies' },
  [site('PUT', '/admin/authenticity')]: { action: 'manage-companies' },
  [site('GET', '/admin/safety/settings')]: { action: 'manage-companies' },
  [site('PUT', '/admin/safety/settings')]: { action: 'manage-companies' },
  [site('GET', '/admin/companies/{company}/safety-contact')]: { action: 'manage-companies' },
  [site('GET', '/admin/companies/{company}/safety-contacts')]: { action: 'manage-companies' },
  [site('PUT', '/admin/companies/{company}/safety-contact')]: { action: 'manage-companies' },
  [site('POST', '/admin/companies/{company}/safety-feed-token')]: { action: 'manage-companies' },
  [site('DELETE', '/admin/companies/{company}/safety-feed-token')]: { action: 'manage-companies' },
  [site('POST', '/admin/staff')]: { action: 'verify-staff' },
  [site('POST', '/admin/staff/revoke')]: { action: 'verify-staff' },
  [site('POST', '/admin/professionals')]: { action: 'verify-staff' },
  [site('POST', '/admin/name-changes/{id}')]: { action: 'verify-staff' },
  [site('GET', '/admin/site')]: { action: 'manage-site' },
  [site('PATCH', '/admin/site')]: { action: 'manage-site' },
  [site('POST', '/admin/site/secret')]: { action: 'manage-site' },
  [site('PUT', '/admin/site/public-keys')]: { action: 'manage-site' },
  // Issue 15, import and export (the import's body is read only after this check).
  [site('POST', '/admin/import')]: { action: 'import-site' },
  [site('GET', '/admin/export')]: { action: 'export-site' },
};

/** A route's rule, by method and OpenAPI-style path; undefined when it has none (which a test forbids). */
export function routeRule(method: string, path: string): RouteRule | undefined {
  return ROUTE_RULES[`${method.toUpperCase()} ${path}`];
}
