/**
 * The only way server-rendered post HTML reaches the DOM. The server renders a small
 * Markdown subset, but the widget trusts no one: everything outside this allow-list is
 * dropped, links may only point to http(s) or mailto, and every link opens in a new tab
 * with `rel="nofollow ugc noopener"`.
 *
 * Mentions (issue 13) keep `class="parley-mention"` and their `data-user` id, so they show as
 * mentions; their in-page `#parley-person-…` address is dropped like any other non-http(s) one.
 */
import createDOMPurify from 'dompurify';

const ALLOWED_TAGS = ['p', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'br'];
const SAFE_HREF = /^(?:https?:|mailto:)/i;

type Purifier = ReturnType<typeof createDOMPurify>;
let purify: Purifier | undefined;

/** Made on first use (or ahead, in a task of its own: `preparePurifier`), not while parley.js loads. */
function purifier(): Purifier {
  if (purify) return purify;
  // A private instance, so our hooks never touch a DOMPurify the host page may use.
  purify = createDOMPurify(window);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (node.nodeName !== 'A') return;
    const mention = node.getAttribute('class') === 'parley-mention';
    if (mention && (data.attrName === 'class' || (data.attrName === 'data-user' && /^[A-Za-z0-9_-]{1,64}$/.test(data.attrValue)))) {
      data.forceKeepAttr = true;
    }
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href === null || !SAFE_HREF.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('rel', 'nofollow ugc noopener');
    node.setAttribute('target', '_blank');
  });
  // Set once: DOMPurify re-parses a configuration passed to every sanitize() call (hundreds of
  // set insertions each time), which was a third of the cost of rendering a 600-post page.
  purify.setConfig({
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: SAFE_HREF,
  });
  return purify;
}

/** Makes the sanitiser ahead of the first post, e.g. in a task of its own while the page loads. */
export function preparePurifier(): void {
  purifier();
}

const CACHE_MAX = 5_000;
const cache = new Map<string, string>();

/** Sanitised HTML for `dirty`, safe to pass to `unsafeHTML`. Results are memoised. */
export function sanitizePostHtml(dirty: string): string {
  let clean = cache.get(dirty);
  if (clean === undefined) {
    clean = purifier().sanitize(dirty);
    // Above the most posts one reader has on screen (pages of up to 600 posts, and more pages):
    // a smaller cache would be cleared on every render of a long thread and sanitise it all again.
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(dirty, clean);
  }
  return clean;
}
