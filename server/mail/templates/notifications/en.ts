/**
 * Notification mail in English (issue 13): templates kept as data, one file per language, beside
 * the widget's strings in spirit. `{name}` placeholders are filled by server/mail/notification-mail.ts,
 * which escapes every value for the HTML part. Another language is a copy of this file (see index.ts).
 */
export const en = {
  subject: {
    replies: '{author} replied to you in “{topic}”',
    mentions: '{author} mentioned you in “{topic}”',
    followed: 'New in “{topic}”',
    answers: '{company} answered your question in “{topic}”',
    deskQuestions: 'A question for {company} in “{topic}”',
    several: '{count} new messages for you on {site}',
    daily: 'Your daily digest from {site}',
    weekly: 'Your weekly digest from {site}',
    moderationDigest: 'Waiting on {site}: {reports} reports, {appeals} appeals',
  },
  greeting: 'Hello {name},',
  intro: {
    replies: '{author} replied to your post:',
    mentions: '{author} mentioned you:',
    followed: '{author} wrote in a discussion you follow:',
    answers: '{author} ({company}) answered your question:',
    deskQuestions: '{author} put a question to {company}:',
  },
  topicHeading: 'In “{topic}”',
  readOnPage: 'Read it on the page',
  moderationDigestBody: '{reports} reports and {appeals} appeals wait in the moderation queue.',
  openQueue: 'Open the moderation queue',
  why: 'You get this because you asked for {kinds} on {site}.',
  kinds: {
    replies: 'replies to your posts',
    mentions: 'mentions of you',
    followed: 'new posts in topics you follow',
    answers: 'answers to your questions',
    deskQuestions: 'questions to your company',
    digest: 'a digest',
    moderationDigest: 'a digest of waiting reports and appeals',
  },
  stopThese: 'Stop these messages',
  stopAll: 'Stop all messages from {site}',
  changeInPanel: 'You can change what you receive in the account panel of any discussion on {site}.',
  confirm: {
    subject: 'Confirm your address for messages from {site}',
    body: 'You asked {site} to send you messages about its discussions. Open this link to confirm that this address is yours; nothing is sent until you do:',
    ignore: 'Did not ask for this? Ignore this message and nothing will be sent.',
  },
  page: {
    unsubscribeTitle: 'Stop messages from {site}',
    unsubscribeQuestion: 'Stop sending {kind} to this address?',
    unsubscribeButton: 'Stop these messages',
    unsubscribed: 'Done: you will no longer receive {kind} from {site}. You can turn them on again in the account panel.',
    confirmTitle: 'Confirm your address',
    confirmQuestion: 'Confirm that messages from {site} may be sent to this address?',
    confirmButton: 'Confirm',
    confirmed: 'Thank you: your address is confirmed. Messages you asked for will now be sent.',
    invalid: 'This link is not valid (it may be incomplete or out of date).',
  },
};

export type NotificationStrings = typeof en;
