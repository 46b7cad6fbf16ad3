/**
 * The only way server-rendered post HTML reaches the DOM. The server renders a small
 * Markdown subset, but the widget trusts no one: everything outside this allow-list is
 * dropped, links may only point to http(s) or mailto, and every link opens in a new tab
 * with `rel="nofollow ugc noopener"`.
 */
import createDOMPurify from 'dompurify';

const ALLOWED_TAGS = ['p', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'br'];
const SAFE_HREF = /^(?:https?:|mailto:)/i;

// A private instance, so our hooks never touch a DOMPurify the host page may use.
const purify = createDOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href');
  if (href === null || !SAFE_HREF.test(href.trim())) node.removeAttribute('href');
  node.setAttribute('rel', 'nofollow ugc noopener');
  node.setAttribute('target', '_blank');
});

const cache = new Map<string, string>();

/** Sanitised HTML for `dirty`, safe to pass to `unsafeHTML`. Results are memoised. */
export function sanitizePostHtml(dirty: string): string {
  let clean = cache.get(dirty);
  if (clean === undefined) {
    clean = purify.sanitize(dirty, {
      ALLOWED_TAGS,
      ALLOWED_ATTR: ['href'],
      ALLOWED_URI_REGEXP: SAFE_HREF,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
    });
    if (cache.size > 500) cache.clear();
    cache.set(dirty, clean);
  }
  return clean;
}
