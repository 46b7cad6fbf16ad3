/**
 * Edit history (issue 6), end to end on the server: an author changes the text of their own
 * post; the replaced version is kept and the whole history is public. Validated with the
 * shared schema, allowed by the domain (`edit-own-post`, the author only), rate-limited like
 * posting, stored in one transaction that bumps the topic's rev, then broadcast as
 * `post:updated` so open widgets and catch-ups see it. Edits are the author's own actions,
 * not moderation: nothing goes into the public audit log (the history itself is public).
 */
import { buildHistory, marksEdits } from '../../moderation/edits.js';
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { can } from '../../moderation/permissions.js';
import { EditPostSchema, parseWith, PostIdSchema } from '../../moderation/schemas.js';
import type { Post, PostHistory } from '../../moderation/types.js';
import { renderMarkdown } from '../render/markdown.js';
import { mentionBlockers } from './blocks.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { presentPosts } from './presenter.js';
import { checkPostingAllowed } from './restrictions.js';
import { flagIfPossibleAdverseEvent } from './safety.js';
import { recheckEditedPost } from './scripted-replies.js';
import { valid } from './validate.js';
import { requireWelcomed } from './welcome-state.js';

export interface EditPostResult {
  post: Post;
  /** false when the text was already this: nothing changed (a retried save answers the same). */
  edited: boolean;
}

const NOT_FOUND = 'No such message on this site.';

export async function editPost(ctx: AppContext, principal: Principal, postId: unknown, input: unknown, ip: string): Promise<EditPostResult> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to edit your messages.');
  await requireWelcomed(ctx, principal);
  const id = valid(parseWith(PostIdSchema, postId));
  const intent = valid(parseWith(EditPostSchema, input));
  if (!can(principal.roles, 'edit-own-post')) throw new ParleyError('forbidden', 'You may not edit messages on this site.');
  const site = principal.site.id;
  const before = await ctx.store.getPost(site, id);
  if (!before) throw new ParleyError('not_found', NOT_FOUND);
  if (before.authorId !== principal.user.id) throw new ParleyError('forbidden', 'You can only edit your own messages.');
  // A retried save of the same text costs nothing and answers the same.
  if (before.body === intent.body && before.status === 'visible') return { post: await present(ctx, site, id), edited: false };
  // A suspension or ban stops editing as it stops posting (old posts must not become new abuse).
  await checkPostingAllowed(ctx, principal, { parent: null });
  await ctx.limits.consume('edit', site, principal.user.id, ip);

  const outcome = await ctx.store.editPost({
    site,
    postId: id,
    editorId: principal.user.id,
    body: intent.body,
    // Mentions of people who blocked the writer stay plain text (issue 13).
    html: renderMarkdown(intent.body, { unlinkedMentions: await mentionBlockers(ctx, site, principal.user.id, intent.body) }),
    at: ctx.now().toISOString(),
    expectedRev: intent.expectedRev ?? null,
    marked: marksEdits(before.authorSnapshot),
    maxVersions: LIMITS.postVersionsMax,
  });
  switch (outcome.kind) {
    case 'edited':
      break;
    case 'unchanged':
      return { post: await present(ctx, site, id), edited: false };
    case 'not-found':
      throw new ParleyError('not_found', NOT_FOUND);
    case 'not-author':
    case 'author-erased':
      throw new ParleyError('forbidden', 'You can only edit your own messages.');
    case 'removed':
      throw new ParleyError('forbidden', 'This message was removed by the moderators; it cannot be edited.');
    case 'topic-locked':
      throw new ParleyError('topic_locked', 'This discussion is locked by the moderators; messages cannot be edited.');
    case 'too-many-versions':
      throw new ParleyError('forbidden', `A message can have at most ${LIMITS.postVersionsMax} versions; write a new message instead.`);
    case 'conflict':
      throw new ParleyError('edit_conflict', 'This message changed since you started editing. Reload it and edit again.');
  }

  const record = (await ctx.store.getPost(site, id))!;
  // Scripted-reply labels (issue 6): staff posts only; a failure never undoes the edit.
  if (record.authorSnapshot.affiliation) {
    try {
      await recheckEditedPost(ctx, record);
    } catch (err) {
      ctx.log.error({ err, site, post: id }, 'scripted-reply check after an edit failed; the edit stands');
    }
  }
  const post = (await presentPosts(ctx, site, [record]))[0]!;
  ctx.broadcast.postUpdated(post);
  // Safety routing (issue 6), as for a new post: an edit may add a possible side effect. After the
  // broadcast, so a flag never delays the edit; a flag per post and company is made only once.
  if (!record.authorSnapshot.affiliation) {
    try {
      await flagIfPossibleAdverseEvent(ctx, record);
    } catch (err) {
      ctx.log.error({ err, site, post: id }, 'adverse-event detection after an edit failed; the edit stands unflagged');
    }
  }
  return { post, edited: true };
}

/** Every version of a post, oldest first, for everyone; a removed post's versions carry no text. */
export async function readHistory(ctx: AppContext, site: string, postId: unknown): Promise<PostHistory> {
  const id = valid(parseWith(PostIdSchema, postId));
  const record = await ctx.store.getPost(site, id);
  if (!record) throw new ParleyError('not_found', NOT_FOUND);
  // buildHistory blanks every version's text of a removed post; when and how it was edited stays public.
  return buildHistory(record, await ctx.store.replacedVersions(site, id));
}

async function present(ctx: AppContext, site: string, id: string): Promise<Post> {
  return (await presentPosts(ctx, site, [(await ctx.store.getPost(site, id))!]))[0]!;
}
