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
