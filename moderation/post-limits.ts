/**
 * The two limits the widget's first render reads — a post's length (the composer's counter) and
 * how deep replies nest (whether a post offers "Reply") — in a module of their own: a bundler
 * keeps an object whole when any of its properties is read, and all of LIMITS would otherwise
 * ride in the first-render bundle (issue 17). LIMITS (limits.ts) includes both; read them there
 * everywhere else.
 */

/** Characters in a post's Markdown source. */
export const POST_BODY_MAX_CHARS = 10_000;
/** Replies may nest this deep below a top-level post (a top-level post has depth 0). */
export const MAX_REPLY_DEPTH = 5;
