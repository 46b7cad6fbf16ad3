/**
 * Links to one post (lazy chunk of `<parley-discussion>`, loaded only when the page's address
 * carries one): notification mail links to `…#parley-post-{id}`, the company desk and search to
 * the host's `thread-url` (`…#post-{post}` in the examples, `#parley-post-{post}` works too).
 *
 * `showLinkedPost()` makes sure the post is on screen, has the element mark it, then scrolls to
 * it (smoothly unless `prefers-reduced-motion`) and focuses it. A post on a later page is not on the first one: it asks the server for the post
 * (`GET /posts/{id}`), pages on until its thread's first post is held (at most `MAX_PAGES` pages,
 * so the conversation above it reads in order), and fetches whatever of its thread is still
 * missing (a reply past a page's replies, a thread further back), parent by parent. A post of
 * another topic is left alone: another discussion on the same page may own it.
 */
import type { Post } from '../../moderation/types.js';
import { LIMITS } from '../../moderation/limits.js';
import { isFailure } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import { mergePosts } from '../client/state.js';
import type { ReaderHost } from './actions.js';

/** Pages read to reach a linked thread before its posts are fetched on their own. */
const MAX_PAGES = 10;

/**
 * What the element shows: the linked post marked (`linked`), or the note that it cannot be found
 * (`missing`: deleted for good, never existed, or unreadable now). It re-renders; this chunk then
 * scrolls and focuses, so that the first render does not carry that code.
 */
export type LinkedPostMark = (linked: string | null, missing: boolean) => void;

const base = (d: ReaderHost) => `${(d.server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(d.site)}`;

async function readPost(d: ReaderHost, id: string, token: string | null): Promise<Post | null> {
  const res = await requestJson<{ post: Post }>('GET', `${base(d)}/posts/${encodeURIComponent(id)}`, { token });
  return isFailure(res) ? null : res.post;
}

export async function showLinkedPost(d: ReaderHost & LitLike, id: string, token: string | null, mark: LinkedPostMark): Promise<void> {
  const s = d.client;
  if (!s) return;
  if (!s.state.posts.has(id)) {
    const post = await readPost(d, id, token);
    if (d.client !== s) return;
    if (!post) {
      mark(null, true);
      return bringIntoView(d, '[data-link-missing]', false);
    }
    if (post.topic !== d.topic) return;
    for (let n = 0; n < MAX_PAGES && !s.state.posts.has(post.root) && s.nextCursor && d.client === s; n++) {
      await s.loadMore();
      if (s.more === 'error') break;
    }
    // What paging did not bring: the post and the posts above it in its thread.
    const chain: Post[] = [post];
    for (let cur = post; cur.parent && !s.state.posts.has(cur.parent) && chain.length <= LIMITS.maxReplyDepth; ) {
      const parent = await readPost(d, cur.parent, token);
      if (!parent) break;
      chain.push(parent);
      cur = parent;
    }
    if (d.client !== s) return;
    s.state = mergePosts(s.state, chain.reverse()).state;
  }
  mark(id, false);
  await bringIntoView(d, `article[data-post-id="${CSS.escape(id)}"]`, true);
}

/** The parts of a Lit element this chunk waits on and looks into. */
interface LitLike {
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Once the element has rendered what `mark` asked for: scroll there (smoothly unless the reader asked for less motion), focus it if asked. */
async function bringIntoView(d: LitLike, selector: string, focus: boolean): Promise<void> {
  await d.updateComplete;
  const target = d.renderRoot.querySelector<HTMLElement>(selector);
  if (!target) return;
  const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
  target.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
  if (!focus) return;
  target.tabIndex = -1;
  target.focus({ preventScroll: true });
}
