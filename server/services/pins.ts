/**
 * Pinning (issue 16): a moderator pins one post per topic; it comes first on the topic's first
 * page and is labelled. Company staff never pin (S-4: `moderate` refuses them) and their posts are
 * never pinned (no elevated visibility). A pin and an unpin are ordinary moderation actions
 * ('pin', 'unpin'), so each is logged with who did it and why.
 */
import { ParleyError } from '../../moderation/errors.js';
import { parseWith, TopicIdSchema } from '../../moderation/schemas.js';
import { PinSchema, UnpinSchema } from '../../moderation/spam-schemas.js';
import type { TopicInfo } from '../../moderation/types.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { takeAction } from './moderation.js';
import { presentTopic, topicLockNote, topicPinNote } from './presenter.js';
import { valid } from './validate.js';

async function topicView(ctx: AppContext, site: string, topic: string): Promise<TopicInfo> {
  const [record, lock, pinned] = await Promise.all([ctx.store.getTopic(site, topic), topicLockNote(ctx, site, topic), topicPinNote(ctx, site, topic)]);
  return presentTopic(site, topic, record, lock, pinned);
}

export async function pinPost(ctx: AppContext, actor: Actor, topicId: unknown, input: unknown): Promise<{ topic: TopicInfo }> {
  requirePermission(actor, 'moderate');
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const { postId, reason } = valid(parseWith(PinSchema, input));
  const site = actor.site.id;
  const post = await ctx.store.getPost(site, postId);
  if (!post || post.topic !== topic) throw new ParleyError('not_found', 'No such message in this topic.');
  await takeAction(ctx, actor, { type: 'pin', postId, reason, facts: `Post ${postId} was pinned at the top of topic ${topic}. ${reason}` });
  return { topic: await topicView(ctx, site, topic) };
}

export async function unpinTopic(ctx: AppContext, actor: Actor, topicId: unknown, input: unknown): Promise<{ topic: TopicInfo }> {
  requirePermission(actor, 'moderate');
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const { reason } = valid(parseWith(UnpinSchema, input ?? {}));
  const site = actor.site.id;
  const pin = await ctx.store.getPin(site, topic);
  if (!pin) throw new ParleyError('not_found', 'This topic has no pinned post.');
  await takeAction(ctx, actor, { type: 'unpin', postId: pin.postId, reason, facts: `Post ${pin.postId} was unpinned in topic ${topic}. ${reason}` });
  return { topic: await topicView(ctx, site, topic) };
}
