/**
 * Questions put to a company (issue 14), the changes: a member addresses a post to a company;
 * a reply by that company's verified staff beneath it answers it; staff may instead link a reply of
 * theirs elsewhere; a moderator may mark it out of scope (public audit log). Staff can never close a
 * question without an answer. Every status change bumps the post's rev, is broadcast as
 * `post:updated` to the topic and as `desk:updated` to the company's desk.
 */
import { ParleyError } from '../../moderation/errors.js';
import { can } from '../../moderation/permissions.js';
import { answers } from '../../moderation/questions.js';
import { MarkAnsweredSchema, OutOfScopeSchema, parseWith, PostIdSchema, CompanyIdSchema } from '../../moderation/schemas.js';
import type { DeskUpdateReason, Post } from '../../moderation/types.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { QuestionRecord } from '../store/desk-store.js';
import type { PostRecord } from '../store/store.js';
import { actorOf, requirePermission } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { presentPosts } from './presenter.js';
import { valid } from './validate.js';
import { enqueueNotification, kickNotifications } from './notify-queue.js';

/** Before a post is stored: may this person put it to `companyId` as a question? Throws if not. */
export async function checkQuestionTo(ctx: AppContext, principal: Principal, companyId: string): Promise<void> {
  if (!can(principal.roles, 'ask-company')) {
    throw new ParleyError('forbidden', principal.roles.includes('staff')
      ? 'Company staff cannot put questions to a company; you answer them.'
      : 'You may not ask companies questions on this site.');
  }
  if (!(await ctx.store.getCompany(principal.site.id, companyId))) {
    throw new ParleyError('validation_failed', 'questionTo: no such company takes part on this site.', { issues: [{ path: 'questionTo', message: 'no such company takes part on this site' }] });
  }
}

/** After the post is stored: record it as a question (a replayed post is already recorded). */
export async function recordQuestion(ctx: AppContext, post: PostRecord, companyId: string): Promise<void> {
  await ctx.store.transaction(async () => {
    await ctx.store.addQuestion({ site: post.site, postId: post.id, companyId, topic: post.topic, askedAt: post.createdAt });
    // The company's staff who asked to be told (issue 13).
    await enqueueNotification(ctx, 'question', post.site, post.id);
  });
  kickNotifications(ctx);
  ctx.broadcast.deskUpdated(post.site, { company: companyId, postId: post.id, reason: 'question' });
}

/** Tell readers of the topic and the desk that a question changed. */
async function announce(ctx: AppContext, q: QuestionRecord, reason: DeskUpdateReason): Promise<Post | null> {
  const record = await ctx.store.getPost(q.site, q.postId);
  let post: Post | null = null;
  if (record) {
    post = (await presentPosts(ctx, q.site, [record]))[0]!;
    ctx.broadcast.postUpdated(post);
  }
  ctx.broadcast.deskUpdated(q.site, { company: q.companyId, postId: q.postId, reason });
  return post;
}

async function answerWith(ctx: AppContext, q: QuestionRecord, reply: PostRecord): Promise<boolean> {
  const badge = reply.authorSnapshot.affiliation!;
  const done = await ctx.store.transaction(async () => {
    const answered = await ctx.store.answerQuestion(q.site, q.postId, {
      postId: reply.id, authorId: reply.authorId, authorName: reply.authorName, jobTitle: badge.jobTitle, companyName: badge.companyName, at: reply.createdAt,
    });
    // The person who asked, if they asked to be told of answers (issue 13).
    if (answered) await enqueueNotification(ctx, 'answer', q.site, q.postId);
    return answered;
  });
  if (done) kickNotifications(ctx);
  if (done) await announce(ctx, (await ctx.store.getQuestion(q.site, q.postId))!, 'answered');
  return done;
}

/**
 * A new post by verified staff: every open question to their company above it in the thread (its
 * parent, the parent's parent, … up to the thread's start) is answered by it.
 */
export async function answerFromReply(ctx: AppContext, reply: PostRecord): Promise<number> {
  const company = reply.authorSnapshot.affiliation?.companyId;
  if (!company || !reply.parent) return 0;
  const ancestors: string[] = [];
  let cursor: string | null = reply.parent;
  // Depth is bounded (LIMITS.maxReplyDepth), so this walk is a handful of reads.
  while (cursor && ancestors.length < 50) {
    ancestors.push(cursor);
    cursor = (await ctx.store.getPost(reply.site, cursor))?.parent ?? null;
  }
  let answered = 0;
  for (const q of (await ctx.store.questionsFor(reply.site, ancestors)).values()) {
    const fact = { company: q.companyId, askedAt: Date.parse(q.askedAt), status: q.status };
    if (answers(fact, { authorCompany: company, createdAt: Date.parse(reply.createdAt), status: reply.status }) && await answerWith(ctx, q, reply)) answered++;
  }
  return answered;
}

/** POST /companies/{id}/questions/{postId}/answer {answerPostId}: staff link one of their own later posts as the answer. */
export async function markAnswered(ctx: AppContext, principal: Principal, companyParam: unknown, postParam: unknown, input: unknown): Promise<{ post: Post }> {
  const site = principal.site.id;
  // Who asks comes first: a stranger learns nothing from the validation of what they sent.
  const actor = actorOf(principal);
  requirePermission(actor, 'work-company-desk');
  const companyId = valid(parseWith(CompanyIdSchema, companyParam));
  const postId = valid(parseWith(PostIdSchema, postParam));
  const { answerPostId } = valid(parseWith(MarkAnsweredSchema, input));
  const affiliation = await ctx.store.getActiveAffiliation(site, actor.id);
  if (!affiliation || affiliation.companyId !== companyId) throw new ParleyError('forbidden', 'Only verified staff of this company can answer its questions.');
  const q = await ctx.store.getQuestion(site, postId);
  if (!q || q.companyId !== companyId) throw new ParleyError('not_found', 'No question to this company with that id.');
  if (q.status !== 'open') throw new ParleyError('question_conflict', `This question is already ${q.status === 'answered' ? 'answered' : 'marked out of scope'}.`);
  const reply = await ctx.store.getPost(site, answerPostId);
  if (!reply || reply.authorId !== actor.id) throw new ParleyError('validation_failed', 'answerPostId: link one of your own posts.', { issues: [{ path: 'answerPostId', message: 'not one of your posts' }] });
  const fact = { company: q.companyId, askedAt: Date.parse(q.askedAt), status: q.status };
  if (!answers(fact, { authorCompany: reply.authorSnapshot.affiliation?.companyId ?? null, createdAt: Date.parse(reply.createdAt), status: reply.status })) {
    throw new ParleyError('validation_failed', 'answerPostId: the answer must be a visible post you wrote for this company after the question was asked.', {
      issues: [{ path: 'answerPostId', message: 'written before the question, removed, or not as this company’s staff' }],
    });
  }
  if (!(await answerWith(ctx, q, reply))) throw new ParleyError('question_conflict', 'This question was closed meanwhile.');
  return { post: (await presentPosts(ctx, site, [(await ctx.store.getPost(site, postId))!]))[0]! };
}

/** POST /moderation/questions/{postId}/out-of-scope {reason}: a moderator decides the company need not answer; public. */
export async function markOutOfScope(ctx: AppContext, principal: Principal, postParam: unknown, input: unknown): Promise<{ post: Post }> {
  const site = principal.site.id;
  const actor = actorOf(principal);
  requirePermission(actor, 'moderate');
  const postId = valid(parseWith(PostIdSchema, postParam));
  const { reason } = valid(parseWith(OutOfScopeSchema, input));
  const at = ctx.now().toISOString();
  // Checked, logged and marked in one transaction: a question closed meanwhile leaves no log entry behind.
  await ctx.store.transaction(async () => {
    const q = await ctx.store.getQuestion(site, postId);
    if (!q) throw new ParleyError('not_found', 'That post is not a question to a company.');
    if (q.status !== 'open') throw new ParleyError('question_conflict', `This question is already ${q.status === 'answered' ? 'answered' : 'marked out of scope'}.`);
    // The decision and its reason are public: they are on the post for everyone, and in the log.
    const ref = await ctx.audit.append({
      site, kind: 'question.out-of-scope', at, actor: await auditActorOf(ctx, site, actor.id),
      subject: { postId, topic: q.topic }, data: { company: q.companyId, reason },
    });
    const logIndex = ref.index >= 0 ? ref.index : null;
    if (!(await ctx.store.markOutOfScope(site, postId, { reason, by: actor.id, at, logIndex }))) {
      throw new ParleyError('question_conflict', 'This question was closed meanwhile.');
    }
  });
  return { post: (await announce(ctx, (await ctx.store.getQuestion(site, postId))!, 'out-of-scope'))! };
}

/**
 * After moderators removed a post: a removed post answers nobody, so the questions it answered are
 * open again (on the post, the desk and in the figures). Restoring the post does not re-answer them
 * by itself; its author may link it again.
 */
export async function reopenIfAnswerRemoved(ctx: AppContext, site: string, postId: string): Promise<void> {
  for (const questionId of await ctx.store.reopenQuestionsAnsweredBy(site, postId)) {
    const q = await ctx.store.getQuestion(site, questionId);
    if (q) await announce(ctx, q, 'question');
  }
}
