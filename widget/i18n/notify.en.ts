/**
 * English strings of the lazily loaded notification parts (issue 13): the follow bell, the
 * "since your last visit" line, @mention suggestions and the preferences in the account panel.
 * Merged over the main strings with `translator(lang, notifyMessages)`.
 */
export const notifyEn = {
  // The bell: a toggle whose name stays the same; its state is aria-pressed and the words beside it.
  follow: 'Follow',
  followHint: 'Follow this conversation',
  followOff: 'You no longer follow this conversation.',
  followMailNote: 'You follow this conversation. You get email about it only if “New messages in conversations I follow” is on in Your account.',
  followFailed: 'That did not work: {message}',
  followRetry: 'That did not work. Please try again.',
  // Since the last visit.
  since: 'Since your last visit: {count, plural, one {# reply} other {# replies}} to you',
  sinceFirst: 'Go to the first',
  sinceAllSeen: 'You have seen every reply to you.',
  // @mentions in the composer.
  mentionListLabel: 'People in this conversation',
  mentionCount: '{count, plural, =0 {No one in this conversation matches.} one {# person matches. Up and down arrows to choose, Enter to insert, Escape to close.} other {# people match. Up and down arrows to choose, Enter to insert, Escape to close.}}',
  mentionInserted: 'Mentioned {name}.',
  // Preferences in the account panel.
  notifyHeading: 'Email notifications',
  notifyExplain: 'Parley emails you only about what you choose here, and every email has a link to stop it in one click.',
  notifyWhat: 'Email me about',
  notifyReplies: 'Replies to my messages',
  notifyMentions: 'Mentions of me',
  notifyFollows: 'New messages in conversations I follow',
  notifyCompanyAnswers: 'A company’s answer to a question I asked it',
  notifyDeskQuestions: 'Questions put to my company',
  notifyModerationDigest: 'A daily digest of reports and appeals waiting',
  notifyAddress: 'Mail goes to {email} (only you see this address).',
  notifyUnconfirmed: 'Mail would go to {email}. The first time you choose something, we email a link to confirm this address; nothing else is sent until you open it.',
  notifyBouncedAgain: 'Save your choices again to try the address once more.',
  notifyHow: 'How often',
  digestOff: 'As it happens',
  digestDaily: 'A daily digest',
  digestWeekly: 'A weekly digest',
  notifySave: 'Save my choices',
  notifySaving: 'Saving…',
  notifySaved: 'Your choices were saved.',
  notifyFailed: 'Not saved: {message}',
  notifyRetry: 'Not saved. Please try again.',
  notifyLoading: 'Loading your choices…',
  notifyLoadFailed: 'Your choices could not be loaded.',
  notifyPending: 'We emailed you a link to confirm your address. Nothing else is sent until you open it.',
  notifyBounced: 'Notifications to this address stopped because mail bounced.',
  notifyNoAddress: 'We have no email address for you, so we cannot send notifications.',
};

export type NotifyMessages = typeof notifyEn;
