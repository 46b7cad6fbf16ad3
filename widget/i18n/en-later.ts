/**
 * English strings the first render does not show: the composer and its errors, what a signed-in
 * reader sees, confirmations of actions. Kept out of parley.js (issue 17: its gzip budget) and
 * loaded by `loadRest` (i18n/index.ts) — at once when someone is signed in, otherwise when the
 * browser is idle after the first page is on screen, or by a lazy part that asks for its language.
 * The other languages keep these keys in their one catalogue (nl.ts, …), loaded on first use.
 */
export const enLater = {
  // Writing: the composer and what it says while a message is on its way.
  composerLabel: 'Write a message',
  replyLabel: 'Reply to {name}',
  send: 'Post message',
  sendReply: 'Post reply',
  sending: 'Sending…',
  cancel: 'Cancel',
  shortcutHint: 'Ctrl+Enter to post',
  charCount: '{count} of {max} characters',
  waitingToSend: 'Waiting for the connection to send your message…',
  askCompany: 'Ask a company',
  askNobody: 'No one in particular',
  previewTitle: 'Preview of your message',
  previewEmpty: 'Nothing to preview yet.',
  posted: 'Your message was posted',

  // Why a message was not posted (the composer's own checks, then the server's refusals).
  errorEmpty: 'Write a message first.',
  errorTooLong: 'Your message is {count} characters long; the limit is {max}.',
  errorTooLarge: 'Your message is too long to post.',
  errorRateLimited: 'You’re posting too fast. Try again in {seconds} seconds.',
  errorSignIn: 'Your sign-in is no longer valid. Sign in again to post.',
  errorForbidden: 'You can’t post in this conversation.',
  errorLocked: 'This conversation is closed to new messages.',
  errorTooDeep: 'Replies can’t nest deeper. Reply higher up in the thread.',
  errorInvalid: 'Not posted: {message}',
  errorGeneric: 'Your message was not posted. Please try again.',

  // Signed in: who is posting, signing out, the first welcome, and why a sign-in ended.
  postingAs: 'Posting as',
  signOut: 'Sign out',
  signedOut: 'You signed out.',
  welcomeFirst: 'Choose your name and accept the house rules above before replying.',
  welcomeDone: 'Welcome, {name}. You can post now.',
  signInExpired: 'Your sign-in has expired. Sign in again to take part.',
  signInEndedSignedOut: 'You signed out everywhere. Sign in again to take part.',
  signInEndedDeleted: 'Your account was deleted.',
  signInEndedSuspended: 'Your account is suspended: you can read, but not take part for now. Your notices say why and how to appeal.',
  signInEndedBanned: 'Your account is banned from taking part. Your notices say why and how to appeal.',

  // Readers' actions (issue 16): pinning, deleting one's own post.
  pinDone: 'The message is pinned.',
  unpinDone: 'The message is no longer pinned.',
  deleteTitle: 'Delete this message?',
  deleteText: 'Its text is erased for everyone, also where the moderation log recorded it. Replies stay, under the note “deleted by its author”. This cannot be undone.',
  deleteConfirm: 'Delete',
  deleted: 'Your message was deleted.',
  actionFailed: 'That did not work: {message}',

  // Only a signed-in reader sees these: the toolbar's own buttons, their held, removed or unread
  // posts, a moderator's buttons on a post.
  yourAccount: 'Your account',
  modMine: 'Reports & appeals',
  modMode: 'Moderator mode',
  companyDesk: '{company} desk',
  markOutOfScope: 'Mark out of scope',
  pin: 'Pin',
  unpin: 'Unpin',
  held: 'Waiting for a moderator (usually within {wait}). Until then only you can see this message.',
  heldNoEstimate: 'Waiting for a moderator. Until then only you can see this message.',
  heldWhy: 'Why: {reason}',
  deleteOwn: 'Delete my post',
  ownText: 'Only you can see this text',
  unreadReply: 'New reply to you',
  // Blocking (issue 13): a post of someone the reader blocked, folded; the buttons; confirmations.
  blockedPost: 'Post by someone you blocked',
  showBlocked: 'Show',
  block: 'Block',
  unblock: 'Unblock',
  blockDone: 'You blocked {name}.',
  unblocked: 'You unblocked {name}.',
};
