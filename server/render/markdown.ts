/**
 * Renders the safe Markdown subset Parley accepts: paragraphs, emphasis, links, lists,
 * block quotes and inline code. Raw HTML is never passed through (markdown-it escapes it,
 * so `<img onerror>` shows as text), and link targets are limited to http(s) and mailto.
 * The widget sanitises the result again with DOMPurify: two independent layers.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true });
md.enable(['paragraph', 'newline', 'emphasis', 'link', 'linkify', 'list', 'blockquote', 'backticks', 'escape', 'entity', 'autolink']);

const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

// Links open outside the widget and carry no endorsement or referrer.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'nofollow ugc noopener');
  token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Mentions (issue 13): `@[Display Name](user:USER_ID)` (moderation/notification-schemas.ts) renders as
// a link to the person's posts inside the discussion (a fragment the widget handles), never to a
// page outside it. Matched before `link`, whose validator would refuse the `user:` scheme.
const MENTION_AT = /^@\[([^\]\n]{1,80})\]\(user:([A-Za-z0-9_-]{1,64})\)/;
md.inline.ruler.before('link', 'mention', (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
  const match = MENTION_AT.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) {
    const token = state.push('mention', '', 0);
    token.meta = { name: match[1]!, userId: match[2]! };
  }
  state.pos += match[0].length;
  return true;
});
md.renderer.rules.mention = (tokens, idx, _options, env) => {
  const { name, userId } = tokens[idx]!.meta as { name: string; userId: string };
  const escape = md.utils.escapeHtml;
  // A mention of someone who blocked the writer (issue 13) is plain text: no link to them.
  if ((env as RenderOptions | undefined)?.unlinkedMentions?.has(userId)) return `@${escape(name)}`;
  return `<a class="parley-mention" data-user="${escape(userId)}" href="#parley-person-${escape(userId)}">@${escape(name)}</a>`;
};

export interface RenderOptions {
  /** People whose mentions render as plain text (they blocked the writer). */
  unlinkedMentions?: ReadonlySet<string>;
}

export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  return md.render(source, { ...options }).trim();
}
