/**
 * Posting and replying, end to end on the server: validate the intent with the shared
 * schema, ask the domain whether this principal may post, store it in one transaction,
 * then broadcast. REST and sockets both call this, so they behave identically.
 */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { can } from '../../moderation/permissions.js';
import { CreatePostSchema, parseWith } from '../../moderation/schemas.js';
import type { Post } from '../../moderation/types.js';
import { renderMarkdown } from '../render/markdown.js';
import { mentionBlockers } from './blocks.js';
import { topicWriteLock, type AuthorSnapshot, type NewPost } from '../store/store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { presentPost, presentPosts } from './presenter.js';
import { checkPostingAllowed } from './restrictions.js';
import { answerFromReply, checkQuestionTo, recordQuestion } from './questions.js';
import { labelIfScripted } from './scripted-replies.js';
import { flagIfPossibleAdverseEvent } from './safety.js';
import { requireWelcomed } from './welcome-state.js';
import { acceptedPageUrl } from './notifications.js';
import { kickNotifications } from './notify-queue.js';
import { afterPostStored, holdCheck, labelFromWordLists } from './holds.js';

export interface CreatePostResult {
  post: Post;
  /** false when this was a retry of a post already stored (same idempotency key). */
  created: boolean;
}

export async function createPost(
  ctx: AppContext,
  principal: Principal,
  input: unknown,
  ip: string,
  /** The socket id when posted over a socket: it receives the post in its ack only. */
  viaSocket?: string,
): Promise<CreatePostResult> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to take part in the discussion.');
  await requireWelcomed(ctx, principal);
  const parsed = parseWith(CreatePostSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const intent = parsed.value;
  const action = intent.parent ? 'reply' : 'post';
  if (!can(principal.roles, action)) throw new ParleyError('forbidden', 'You may not post on this site.');
  // A question to a company (issue 14): refused before anything is stored or counted.
  if (intent.questionTo) await checkQuestionTo(ctx, principal, intent.questionTo);

  const site = principal.site.id;
  // A page off the site's origins is refused before anything is stored or counted.
  const pageUrl = intent.pageUrl ? acceptedPageUrl(ctx, principal.site, intent.pageUrl) : null;
  await ctx.limits.consumePost(site, principal.user.id, ip);
  const userId = principal.user.id;
  // Mentions of people who blocked the writer render as plain text (issue 13); they notify nobody either.
  const html = renderMarkdown(intent.body, { unlinkedMentions: await mentionBlockers(ctx, site, userId, intent.body) });
  // Holds (issue 16): decided before the write, so a held post is stored held and never broadcast.
  const check = await holdCheck(ctx, principal, { body: intent.body, honeypot: intent.homepage, staff: principal.roles.includes('staff') });
  const held = check.reasons.length > 0;

  // Moderation's check (a suspension or ban, replies closed) and the author's badges are
  // independent reads, run together BEFORE the write: every round trip inside the write's
  // transaction would hold up the next post to the topic (on its row lock or its write lock, see
  // TransactionOptions.lock). None needs to be atomic with the write: they read the state the
  // request arrived in, and a suspension or a revoked badge that commits in the few milliseconds
  // before the write orders after this post, as it would had the request come a moment earlier.
  // What must be atomic with the write — the topic's counters, its locked flag, the idempotency
  // key, the parent — is decided inside the store's createPost, atomically with it.
  const [, affiliation, professional] = await Promise.all([
    checkPostingAllowed(ctx, principal, intent),
    ctx.store.getActiveAffiliation(site, userId),
    ctx.store.getProfessional(site, userId),
  ]);
  const snapshot: AuthorSnapshot = {};
  if (principal.roles.includes('moderator') || principal.roles.includes('admin')) snapshot.moderator = true;
  if (affiliation) snapshot.affiliation = affiliation;
  if (professional) snapshot.professional = professional;

  const newPost: NewPost = {
    id: ctx.newId(),
    site,
    topic: intent.topic,
    topicTitle: intent.topicTitle || null,
    parent: intent.parent ?? null,
    authorId: userId,
    authorSnapshot: snapshot,
    body: intent.body,
    html,
    createdAt: ctx.now().toISOString(),
    idempotencyKey: intent.idempotencyKey,
    maxDepth: LIMITS.maxReplyDepth,
    held,
    // Notifications (issue 13): queued with the post (same transaction), sent after it, off the
    // request path. A held post (issue 16) notifies nobody until a moderator releases it.
    notify: !held,
  };
  // A post is its own transaction (the store's createPost: on PostgreSQL one statement in the
  // common case); a held one and its hold are one transaction, queued on the topic's lock.
  const outcome = !held
    ? await ctx.store.createPost(newPost)
    : await ctx.store.transaction(async () => {
      const outcome = await ctx.store.createPost(newPost);
      if (outcome.kind === 'created') {
        await ctx.store.createHold({
          site, postId: outcome.post.id, topic: outcome.post.topic, authorId: userId, reasons: check.reasons,
          createdAt: outcome.post.createdAt, status: 'held', decidedAt: null, actionId: null,
        });
      }
      return outcome;
    }, { lock: topicWriteLock(site, intent.topic) });

  switch (outcome.kind) {
    case 'created': {
      kickNotifications(ctx);
      // The host page the discussion is embedded in, for the link back in messages (issue 13).
      if (pageUrl) await ctx.store.setTopicPageUrl(site, intent.topic, pageUrl, outcome.post.createdAt);
      // A held question is stored but reaches the company's desk only when released (issue 16).
      if (intent.questionTo && held) {
        await ctx.store.addQuestion({ site, postId: outcome.post.id, companyId: intent.questionTo, topic: outcome.post.topic, askedAt: outcome.post.createdAt });
      } else if (intent.questionTo) {
        await recordQuestion(ctx, outcome.post, intent.questionTo);
      }
      try {
        await afterPostStored(ctx, outcome.post, check);
      } catch (err) {
        ctx.log.error({ err, site, post: outcome.post.id }, 'recording the hold or the spam-wave check failed');
      }
      if (held) {
        // Only its author sees it ("waiting for a moderator"); readers and the topic's room get nothing,
        // and nothing reaches a company (desk, scripted index, safety routing) until a moderator releases it.
        return { post: (await presentPosts(ctx, site, [outcome.post], userId))[0]!, created: true };
      }
      let post = presentPost(outcome.post);
      // Staff posts (issue 6): the scripted-reply label is decided and stored now; presenting
      // the stored post then adds it with the product mentions and standard safety information.
      // Member posts never touch the index and carry none of these, so they skip the reads.
      if (snapshot.affiliation) {
        try {
          await labelIfScripted(ctx, outcome.post);
        } catch (err) {
          ctx.log.error({ err, site, post: outcome.post.id }, 'scripted-reply detection failed; the post stands unlabelled');
        }
        post = (await presentPosts(ctx, site, [outcome.post]))[0]!;
      } else if (intent.questionTo) {
        post = (await presentPosts(ctx, site, [outcome.post]))[0]!;
      }
      ctx.broadcast.postCreated(post, viaSocket);
      // Word lists that label (issue 16): a public label citing the rule, recorded as automated; the
      // label's own broadcast (post:updated) follows the post:created above.
      if (check.labels.length) {
        for (const hit of check.labels) {
          try {
            await labelFromWordLists(ctx, outcome.post, hit);
          } catch (err) {
            ctx.log.error({ err, site, post: outcome.post.id }, 'labelling from a word list failed; the post stands unlabelled');
          }
        }
        post = (await presentPosts(ctx, site, [outcome.post]))[0]!;
      }
      // A reply by the company's staff answers the open questions to it above it in the thread (issue 14).
      if (snapshot.affiliation && outcome.post.parent) {
        try {
          await answerFromReply(ctx, outcome.post);
        } catch (err) {
          ctx.log.error({ err, site, post: outcome.post.id }, 'answering questions failed; the reply stands');
        }
      }
      // Safety routing (issue 6): after the broadcast, so a flag can never delay or hide the post.
      if (!snapshot.affiliation) {
        try {
          await flagIfPossibleAdverseEvent(ctx, outcome.post);
        } catch (err) {
          ctx.log.error({ err, site, post: outcome.post.id }, 'adverse-event detection failed; the post stands unflagged');
        }
      }
      return { post, created: true };
    }
    case 'replayed': {
      if (outcome.post.held) return { post: (await presentPosts(ctx, site, [outcome.post], userId))[0]!, created: false };
      const post = outcome.post.authorSnapshot.affiliation || intent.questionTo ? (await presentPosts(ctx, site, [outcome.post]))[0]! : presentPost(outcome.post);
      return { post, created: false };
    }
    case 'key-conflict':
      throw new ParleyError('idempotency_conflict', 'This idempotency key was already used for a different message.');
    case 'parent-not-found':
      throw new ParleyError('not_found', 'The message you are replying to does not exist in this topic.', {
        issues: [{ path: 'parent', message: 'not a post in this topic' }],
      });
    case 'too-deep':
      throw new ParleyError('too_deep', `Replies can nest at most ${LIMITS.maxReplyDepth} levels deep; reply further up the thread.`);
    case 'topic-locked':
      throw new ParleyError('topic_locked', 'This discussion is locked by the moderators; new messages are not accepted.');
  }
}
