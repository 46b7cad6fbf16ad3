/**
 * English strings: the reference language. Every user-facing word of the widget lives here or,
 * for what the first render does not show (the composer, a signed-in reader's words,
 * confirmations), in en-later.ts, loaded after it (issue 17); `Messages` has the keys of both.
 * Placeholders are `{name}`; other languages copy these keys (missing keys fall back to English).
 */
import type { enLater } from './en-later.js';

export const en = {
  discussionLabel: 'Discussion',
  discussionTitled: 'Discussion: {title}',
  loading: 'Loading the conversation…',
  loadError: 'The conversation could not be loaded.',
  retry: 'Try again',
  empty: 'No messages yet — start the conversation',
  reconnecting: 'Connection lost. Reconnecting…',
  originNotRegistered: 'This page’s address ({origin}) is not registered for site {site}. The site’s operator can add it to the site’s allowed origins.',
  offline: 'You are offline. New messages will appear once you are back online.',
  orderLabel: 'Sort messages',
  orderNewest: 'Newest first',
  orderOldest: 'Oldest first',
  loadMore: 'Load more messages',
  loadingMore: 'Loading…',
  loadMoreError: 'More messages could not be loaded.',
  signInNotice: 'Sign in to take part',
  signIn: 'Sign in',
  locked: 'This conversation is closed to new messages.',
  reply: 'Reply',
  inReplyTo: 'In reply to {name}',
  postBy: 'Message from {name}',
  moderator: 'Moderator',
  lookalike: '⚠ Not verified staff — name resembles a verified person',
  deletedMember: 'Deleted member',
  // Issue 15: comments brought in from Disqus, WordPress or another Parley; the author never signed in here.
  imported: 'Imported comment — author not verified',
  staffBadge: '{title} · {company}',
  // Automated scripted-reply label (issue 6); {count} and {company} come from Post.scripted.
  scripted: 'Similar text posted {count, plural, one {once} other {# times}} by {company} staff',
  // Products a staff post names (issue 6), from Post.productMentions.
  mentions: 'Mentions: {list}',
  mentionRx: '{name} (prescription-only medicine)',
  standardInfo: 'Includes the site’s standard safety information',
  removed: 'This message was removed by the moderators',
  edited: 'edited',
  editedAfterReply: 'edited after a reply',
  editedAfterReport: 'edited after a report',
  seeHistory: 'see history',
  edit: 'Edit',
  // Notifications (issue 13): markers on posts new to the reader (a reply to them: en-later.ts); the rest is in notify.en.ts.
  unreadMention: 'New: mentions you',
  newMessageFrom: 'New message from {name}',
  newMessages: '{count, plural, one {# new message} other {# new messages}}',
  // The button over the list when new conversations wait while the reader reads further down (issue 17).
  showNewMessages: '{count, plural, one {Show # new message} other {Show # new messages}}',
  houseRules: 'House rules',
  rulesChanged: 'The house rules changed since your last visit.',
  moderatedBy: 'Moderated by {site}',

  // Identity (issue 3): first-render strings only; the lazy panels' strings are in identity.en.ts.
  staffVerified: '✓ verified by {org} on {date}',
  professional: '{profession} · verified professional',
  whoTakesPart: 'Who takes part',
  oidcFailed: 'Signing in with your organisation’s account did not work ({code}). Please try again.',
  staffSignIn: 'I work for a company taking part',

  // Moderation (issue 4): first-render strings only; forms and views are in moderation/i18n.ts.
  removedBy: 'Removed by {mod} · Rule {rule}: {reason} · Appeal: {appeal}',
  appealStates: 'none|pending|decision upheld|reversed',
  modLog: 'log entry #{n}',
  // The moderators' callout under a post (issue 17): title, the note or closing reason, the rule.
  modNoteTitle: 'Note from the moderators of {org}',
  modNoteTitleNoOrg: 'Note from the moderators',
  modNoteRule: 'Rule {rule}',
  closedBy: 'Replies closed by {mod}: {reason}',
  report: 'Report',
  appeal: 'Appeal',

  // Questions put to a company (issue 14): the line on the post (the composer's choice: en-later.ts).
  questionTo: 'Question to {company}',
  questionAnswered: 'Answered by {name}, {role}, after {wait}',
  questionOutOfScope: 'Marked out of scope by {mod}: {reason}',

  // Readers' basics (issue 16): preview, helpful, the pinned post, search (what only members see: en-later.ts).
  preview: 'Preview',
  orderHelpful: 'Most helpful',
  helpful: 'Helpful',
  helpfulCount: 'Helpful · {count}',
  helpfulLabel: 'Mark as helpful ({count} so far)',
  helpfulStaffBadge: 'Staff',
  helpfulStaff: '(staff: {count}, not counted in the order)',
  pinned: 'Pinned by the moderators',
  linkedPostMissing: 'The message this link points to could not be found in this discussion: it may have been deleted.',
  deletedByAuthor: 'Deleted by its author',
  searchOpen: 'Search',
};

export type Messages = { [K in keyof typeof en | keyof typeof enLater]: string };
export type MessageKey = keyof Messages;
