/**
 * English strings of the lazily loaded authenticity parts (issue 6): the staff composer's
 * pre-check (`<parley-staff-check>`) and a company's presence over time (`<parley-presence>`).
 * Merged over the main strings with `translator(lang, authenticityMessages)`; not in the
 * first-render bundle.
 */
export const authenticityEn = {
  checkRegion: 'Before you post',
  // {count}: how often staff posted similar text before; the label will then say {count} + 1.
  checkSimilar: '{count, plural, one {This is very similar to text {company} staff (you or your colleagues) posted once before. If you post it, it will carry a public label: “Similar text posted 2 times by {company} staff”.} other {This is very similar to text {company} staff (you or your colleagues) posted # times. If you post it, it will carry a public label: “Similar text posted {label} times by {company} staff”.}} Writing in your own words avoids it.',
  // {count}: how many prescription-only medicines {names} lists.
  checkRx: '{count, plural, one {You named {names}, a prescription-only medicine.} other {You named {names}, prescription-only medicines.}}',
  checkRule: 'The site’s rule {id} on promotion, “{title}”: {text}',
  checkRuleLink: 'Read rule {id}',
  checkNoRule: 'Prescription-only medicines may be discussed factually, but not promoted to the public.',
  checkNotBlock: 'This is a reminder, not a block.',
  checkShows: 'Your message will show the line “{line}”.',
  checkHeld: 'Not posted yet, so that you can read this first. Press “{button}” again to post it as it is.',

  presenceHeading: 'Presence over time',
  presenceLoading: 'Loading its activity…',
  presenceFailed: 'Its activity could not be loaded.',
  presenceChart: 'Weekly activity of {company} over {weeks} weeks: {total} posts and replies, busiest week {best} with {max}.',
  presenceChartEmpty: 'Weekly activity of {company} over {weeks} weeks: no posts yet.',
  presenceSummary: 'In the last {weeks} weeks, {company} staff posted {total} times: {replies} replies to patients and carers and {posts} other posts, in {active} of the {weeks} weeks.',
  presenceLegendReplies: 'Replies to patients and carers (solid)',
  presenceLegendPosts: 'Other posts (hatched)',
  presenceLegendBusiest: '▼ the busiest weeks',
  steady: 'Steady participation',
  mixed: 'Mixed participation',
  campaign: 'Campaign bursts',
  'insufficient-data': 'Too little activity to tell',
  presenceIndex: '{label}: the busiest {percent} of weeks ({k} of {n}) hold {share} of its activity.',
  presenceIndexNone: '{label}: no activity in this period.',
  presenceMedian: 'Median time to answer a question put to {company}: {time} ({answered} answered, {unanswered} not answered).',
  presenceMedianNone: 'No answered questions put to {company} in this period ({unanswered} not answered).',
  hours: '{n} hours',
  days: '{n} days',
  presenceTable: 'Weekly figures',
  presenceCaption: 'Activity of {company} per week',
  week: 'Week starting',
  posts: 'Other posts',
  replies: 'Replies to patients and carers',
  answers: 'Of which answers to questions',
  presenceJson: 'These figures as JSON',
  presenceHow: 'A question put to the company is a member’s message with a question mark that replies to its staff, or starts a thread in a conversation it takes part in; the answer is its staff’s first reply beneath it.',
};

export type AuthenticityMessages = typeof authenticityEn;
