/**
 * The composer's Markdown preview (a lazy chunk: loaded the first time someone presses
 * "Preview"). It renders the same safe subset, with the same options, as the server's
 * server/render/markdown.ts — keep the two in step — and then sanitises the result like any
 * post body, so the preview shows what readers will see and can never run anything.
 */
import MarkdownIt from 'markdown-it';
import { sanitizePostHtml } from '../sanitize.js';

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true });
md.enable(['paragraph', 'newline', 'emphasis', 'link', 'linkify', 'list', 'blockquote', 'backticks', 'escape', 'entity', 'autolink']);
const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

/** Sanitised HTML of `source` as the server will render it. */
export function previewHtml(source: string): string {
  return sanitizePostHtml(md.render(source).trim());
}
