/**
 * English strings of the lazily loaded safety-routing parts (issue 6, widget/safety/): the line
 * on a flagged post for moderators and company staff, the delivery states, the moderators'
 * "Possible side effects" section and the author's private signpost. Merged over the main
 * strings with `translator(lang, safetyMessages)`; not in the first-render bundle.
 *
 * Wording: calm and factual. A flag is a hint for a safety team, not an accusation, and the
 * member did nothing wrong by writing about their experience.
 */
export const safetyEn = {
  // The line on a flagged post (moderators and the company's staff)
  flagLine: 'Possible side effect of {products}',
  flagTerms: '(matched: {terms})',
  flagForward: 'Forward to {company}’s safety team',
  flagForwarding: 'Forwarding…',
  flagNoContact: '{company} has not named a safety contact; tell the site’s admins.',
  flagForwarded: 'Forwarded to {company} for safety review',
  flagBy: 'by {who}',
  flagByModerator: 'a moderator',
  flagByStaff: '{company} staff',
  flagRefused: 'Not forwarded: {message}',
  flagNotAllowed: 'You cannot forward this one (only moderators and {company}’s own staff can).',
  flagNetwork: 'Not forwarded: the server could not be reached. Try again.',
  // Deliveries (moderators)
  deliveriesLabel: 'Delivery to {company}’s safety team',
  channel_email: 'Email',
  channel_webhook: 'Webhook',
  kind_consent: 'answer update',
  deliverySending: 'sending…',
  deliveryDelivered: 'delivered',
  deliveryRetrying: 'retrying (attempt {n} failed, next try {at})',
  deliveryFailed: '{n, plural, one {failed after # attempt} other {failed after # attempts}}',
  deliveryHeld: 'waiting in the outbox: this server has no mail server configured (tell its operators)',
  deliveryRetry: 'Retry now',
  deliveryRetryName: 'Retry now ({channel})',
  deliveryRetried: 'Trying again now…',
  deliveryRetryFailed: 'Could not retry: {message}',
  // The moderators' section
  panelTitle: 'Possible side effects',
  panelIntro: 'Posts naming a product with a possible side effect, newest first. A flag never hides or changes a post and is not a report: forward it to the company’s safety team, who decide what to do.',
  panelShowAll: 'All flags',
  panelShowOpen: 'Not yet forwarded',
  panelFilter: 'Show',
  panelRefresh: 'Refresh',
  panelEmpty: 'No flags.',
  panelMore: 'Load more flags',
  panelAttention: 'Deliveries that need attention',
  panelAttentionNone: 'No delivery is failing.',
  panelFlagHeading: '{products} · {company}',
  panelMeta: 'Flagged {date} · topic {topic} · reference {reference}',
  panelFirstSeen: '{company} staff first saw it {date}',
  panelNotSeen: 'No {company} staff have seen it yet',
  panelRemoved: 'The post was removed by the moderators.',
  panelConsent_true: 'The member agreed to be contacted through the host.',
  panelConsent_false: 'The member does not want to be contacted.',
  panelConsent_null: 'The member has not said whether they may be contacted.',
  panelDeliveryFor: '{channel} to {company} · flag {reference}',
  panelLoadFailed: 'The flags could not be loaded: {message}',
  // The author's private signpost
  signpostLabel: 'A private note about your message',
  signpostPrivate: 'Only you can see this note.',
  signpostIntro: 'Your message mentions {products} and a possible side effect. It stays up exactly as you wrote it.',
  signpostReport: 'You can report side effects yourself to',
  signpostNewTab: '(opens in a new tab)',
  signpostReportWhy: 'Anyone can, and it helps make medicines safer.',
  signpostOthers: 'Reporting schemes in other countries',
  signpostQuestion: 'Would you like {company}’s safety team to be able to contact you through {site}? They would write through {site}, never to you directly, and never receive your email address.',
  signpostYes: 'Yes, they may contact me',
  signpostNo: 'No',
  signpostSavedYes: 'Saved: {company}’s safety team may contact you through {site}.',
  signpostSavedNo: 'Saved: {company}’s safety team will not contact you.',
  signpostChangeToNo: 'I’d rather not be contacted',
  signpostChangeToYes: 'They may contact me after all',
  signpostSaving: 'Saving…',
  signpostFailed: 'Your answer was not saved: {message}',
  signpostHost: 'the organisation that runs this forum',
  signpostHide: 'Hide this note',
};

export type SafetyMessages = typeof safetyEn;
