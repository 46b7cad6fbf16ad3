/**
 * What a viewer sees of a post (pure). The no-shadow-ban invariant lives here: the view is
 * the same for every viewer — reader, member, moderator, company staff — with exactly one
 * exception: the author of a removed post also sees their own removed words (`ownText`).
 * Nothing about a viewer other than "is this the author" is an input.
 */
import type { Post, PostModeration } from './types.js';

export interface PostView {
  /** The post as stored and presented, before moderation is applied. */
  post: Post;
  /** The author's internal id (the public `author.id` may be 'deleted'). */
  authorId: string;
  /** Moderation state of the post, or null when there is none. */
  moderation: PostModeration | null;
}

/** The post as `viewerId` sees it (null for a reader without sign-in). */
export function viewPost(view: PostView, viewerId: string | null): Post {
  const { post, moderation } = view;
  // Deleted by its author (issue 16): the text is erased in the store already; nothing to show anyone.
  const removed = post.status === 'removed' || post.status === 'deleted';
  const result: Post = { ...post, body: removed ? '' : post.body, html: removed ? '' : post.html };
  if (moderation && (moderation.removal || moderation.labels.length > 0 || moderation.repliesClosed)) {
    result.moderation = { removal: moderation.removal, labels: moderation.labels, repliesClosed: moderation.repliesClosed };
  }
  const isAuthor = viewerId !== null && viewerId === view.authorId && post.author.kind !== 'deleted';
  if (removed && isAuthor && post.body) {
    result.moderation = { ...(result.moderation ?? { removal: null, labels: [], repliesClosed: null }), ownText: { body: post.body, html: post.html } };
  }
  return result;
}

/** The view with the author's own text taken out: must be identical for every viewer. */
export function publicPart(post: Post): Post {
  // Whether the viewer marked it "Helpful" (issue 16) is theirs alone, like their removed words.
  if (post.helpful && post.helpful.mine !== undefined) {
    const { mine: _mine, ...helpful } = post.helpful;
    post = { ...post, helpful };
  }
  if (!post.moderation?.ownText) return post;
  const { ownText: _own, ...rest } = post.moderation;
  return { ...post, moderation: rest };
}
