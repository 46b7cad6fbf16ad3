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

export function renderMarkdown(source: string): string {
  return md.render(source).trim();
}
