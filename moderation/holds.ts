/**
 * Holds (issue 16), pure: whether a new post waits for a moderator before readers see it, and
 * why. The server gathers the facts (the author's account age and earlier posts, the honeypot
 * field, a spam-wave match) and stores what this decides; nothing here reads a clock or a database.
 *
 * A hold never hides anything silently: its author sees the post "waiting for a moderator", the
 * queue shows each reason, and only a person decides (release or remove, each an ordinary
 * action with a statement of reasons). Company staff are verified by the site: the new-account
 * and link rules never apply to them, and no rule ever lets a company decide about a post.
 */
import type { HoldReasonView, HoldSettings, WordList } from './spam-schemas.js';

export const DEFAULT_HOLD_SETTINGS: HoldSettings = {
  holdFirstPosts: 0,
  newAccountDays: 7,
  holdLinks: 'off',
  maxLinks: 0,
  wordLists: [],
  honeypot: true,
  waveAccounts: 0,
  waveWindowMinutes: 60,
  usualWaitHours: null,
};

/** Merges stored or submitted settings over the defaults (unknown or missing fields fall back). */
export function holdSettingsOf(stored: Partial<HoldSettings> | null | undefined): HoldSettings {
  return { ...DEFAULT_HOLD_SETTINGS, ...(stored ?? {}) };
}

/** What the server knows about a post when it is written. */
export interface HoldFacts {
  body: string;
  /** The author's account was created less than `newAccountDays` ago. */
  newAccount: boolean;
  /** Posts the author wrote on this site before this one. */
  earlierPosts: number;
  /** Moderators and admins are never held; company staff skip the new-account and link rules. */
  role: 'member' | 'staff' | 'moderator';
  /** Something was typed into the hidden honeypot field. */
  honeypotFilled: boolean;
  /** Other new accounts posted nearly the same text within the site's window (spam wave). */
  waveAccounts: number;
}

/** Links in a post's Markdown source: URLs with a scheme, `www.` hosts, and Markdown link targets. */
export function countLinks(body: string): number {
  const urls = body.match(/\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>()\[\]]+/gi) ?? [];
  return urls.length;
}

/** Words are matched whole and case-insensitively, after folding accents ("Café" matches "cafe"). */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a list the text contains (whole words or phrases), in list order. */
export function matchWordList(body: string, list: Pick<WordList, 'words'>): string[] {
  const text = ` ${fold(body).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return list.words.filter((word) => {
    const needle = fold(word).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return needle.length > 0 && text.includes(` ${needle} `);
  });
}

/** Why this post is held (empty: it is published at once). */
export function holdReasons(settings: HoldSettings, facts: HoldFacts): HoldReasonView[] {
  if (facts.role === 'moderator') return [];
  const reasons: HoldReasonView[] = [];
  const member = facts.role === 'member';
  if (member && facts.newAccount && settings.holdFirstPosts > 0 && facts.earlierPosts < settings.holdFirstPosts) {
    reasons.push({
      kind: 'new-account', ruleId: null,
      detail: settings.holdFirstPosts === 1
        ? 'A new account\'s first post is reviewed before it appears.'
        : `A new account's first ${settings.holdFirstPosts} posts are reviewed before they appear (this is post ${facts.earlierPosts + 1}).`,
    });
  }
  if (member && facts.newAccount && settings.holdLinks !== 'off') {
    const links = countLinks(facts.body);
    const limit = settings.holdLinks === 'any' ? 0 : settings.maxLinks;
    if (links > limit) {
      reasons.push({
        kind: 'links', ruleId: null,
        detail: limit === 0
          ? `Posts with links from new accounts are reviewed before they appear (${links} link${links === 1 ? '' : 's'}).`
          : `Posts with more than ${limit} links from new accounts are reviewed before they appear (${links} links).`,
      });
    }
  }
  for (const list of settings.wordLists) {
    if (list.action !== 'hold') continue;
    const found = matchWordList(facts.body, list);
    if (found.length) reasons.push({ kind: 'word-list', ruleId: list.ruleId, detail: `Matches the word list of house rule ${list.ruleId}.` });
  }
  if (settings.honeypot && facts.honeypotFilled) {
    reasons.push({ kind: 'honeypot', ruleId: null, detail: 'A field that people never see was filled in, as automated posting does.' });
  }
  if (member && settings.waveAccounts > 0 && facts.waveAccounts + 1 >= settings.waveAccounts) {
    reasons.push({
      kind: 'spam-wave', ruleId: null,
      detail: `Nearly the same text came from ${facts.waveAccounts + 1} new accounts within ${settings.waveWindowMinutes} minutes.`,
    });
  }
  return reasons;
}

/** The house rules whose word lists label (rather than hold) this post: each becomes a public label. */
export function wordListLabels(settings: HoldSettings, body: string, role: HoldFacts['role']): Array<{ ruleId: string; words: string[] }> {
  if (role === 'moderator') return [];
  return settings.wordLists
    .filter((list) => list.action === 'label')
    .map((list) => ({ ruleId: list.ruleId, words: matchWordList(body, list) }))
    .filter((hit) => hit.words.length > 0);
}

/** The options in plain words, for the "how moderation works" page and the transparency report. */
export function describeHoldSettings(settings: HoldSettings): string[] {
  const lines: string[] = [];
  if (settings.holdFirstPosts > 0) {
    lines.push(`The first ${settings.holdFirstPosts} post${settings.holdFirstPosts === 1 ? '' : 's'} of an account younger than ${settings.newAccountDays} days wait for a moderator.`);
  }
  if (settings.holdLinks === 'any') lines.push(`Posts with links from accounts younger than ${settings.newAccountDays} days wait for a moderator.`);
  if (settings.holdLinks === 'more-than') lines.push(`Posts with more than ${settings.maxLinks} links from accounts younger than ${settings.newAccountDays} days wait for a moderator.`);
  for (const list of settings.wordLists) {
    lines.push(`Posts with words listed under house rule ${list.ruleId} ${list.action === 'hold' ? 'wait for a moderator' : 'are labelled with the rule'}.`);
  }
  if (settings.honeypot) lines.push('Posts sent by automated tools (which fill in a field people never see) wait for a moderator.');
  if (settings.waveAccounts > 0) {
    lines.push(`Nearly the same text from ${settings.waveAccounts} or more new accounts within ${settings.waveWindowMinutes} minutes waits for a moderator.`);
  }
  lines.push('A moderator decides every held post: it is released or removed, with a statement of reasons in the public log. Company staff never see or decide held posts.');
  return lines;
}
