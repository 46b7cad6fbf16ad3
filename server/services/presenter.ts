/**
 * What readers see of posts and topics: the only place that decides it. Stored records become
 * the public shapes of moderation/types.ts, with everything the services know about a post:
 * its moderation notes (removal, labels, closed replies, each citing rule, moderator's public
 * label and log entry), the scripted-reply label, products named, the site's standard safety
 * information, the edit summary, and the note on a question put to a company. The services feed it; none of them presents posts itself,
 * so their imports form a tree with this file near the top.
 */
import { appealDeadline } from '../../moderation/appeals.js';
import type { EditSummary, ModerationNote, Post, PostLabel, PostModeration, TopicInfo, Tombstone } from '../../moderation/types.js';
import { viewPost } from '../../moderation/visibility.js';
import type { ActionRecord } from '../store/moderation-store.js';
import type { PostRecord, TopicRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { moderatorPublicLabel, moderatorPublicLabels } from './moderation-settings.js';
import { productMentionsFor } from './product-mentions.js';
import { questionNotesFor } from './question-notes.js';
import { scriptedLabels } from './scripted-replies.js';
import { standardInfoFor } from './standard-info.js';

/**
 * `moderation` is the post's moderation state (tombstone, labels, closed replies); it is the
 * same for every viewer. `viewerId` only ever adds the author's own removed words (no shadow bans).
 * `edits` is the post's edit summary (EditStore.editSummaries), shown with `editedAt`.
 */
export function presentPost(record: PostRecord, moderation: PostModeration | null = null, viewerId: string | null = null, edits: EditSummary | null = null): Post {
  const deleted = record.authorKind === 'deleted';
  return viewPost({ authorId: record.authorId, moderation, post: {
    id: record.id,
    site: record.site,
    topic: record.topic,
    parent: record.parent,
    root: record.root,
    depth: record.depth,
    seq: record.seq,
    rev: record.rev,
    author: {
      id: deleted ? 'deleted' : record.authorId,
      name: deleted ? 'Deleted member' : record.authorName,
      kind: record.authorKind,
      // An erased staff member's posts still say which company they spoke for.
      ...(deleted ? (record.authorSnapshot.affiliation ? { affiliation: record.authorSnapshot.affiliation } : {}) : record.authorSnapshot),
      ...(record.authorLookalike && !deleted ? { lookalike: true } : {}),
      ...(record.authorImported && !deleted ? { imported: true } : {}),
    },
    body: record.body,
    html: record.html,
    createdAt: record.createdAt,
    editedAt: record.editedAt,
    status: record.status,
    ...(edits && record.editedAt ? { edits } : {}),
  } }, viewerId);
}

export function presentTopic(site: string, id: string, record: TopicRecord | null, lock?: ModerationNote | null): TopicInfo {
  return {
    ...(lock && record?.locked ? { lock } : {}),
    site,
    id,
    title: record?.title ?? null,
    rev: record?.rev ?? 0,
    postCount: record?.postCount ?? 0,
    locked: record?.locked ?? false,
  };
}

/** A moderation decision as readers see it beside what it concerns. */
function noteOf(action: ActionRecord, logIndex: number | undefined, moderator: string): ModerationNote {
  return {
    actionId: action.id,
    ruleId: action.ruleId,
    ruleVersion: action.ruleVersion,
    ruleTitle: action.statement?.rule?.title ?? null,
    reason: action.reason,
    moderator,
    at: action.createdAt,
    logIndex: logIndex ?? null,
  };
}

/** The moderation state of each post (only posts with something to show are in the map). */
export async function postModeration(ctx: AppContext, site: string, posts: readonly PostRecord[]): Promise<Map<string, PostModeration>> {
  const out = new Map<string, PostModeration>();
  if (posts.length === 0) return out;
  const actions = (await ctx.store.actionsForPosts(site, posts.map((p) => p.id))).filter((a) => a.target.kind === 'post' && a.reversedBy === null);
  if (actions.length === 0) return out;
  const [refs, appeals, labels] = await Promise.all([
    ctx.store.getLogRefs(site, 'action', actions.map((a) => a.id)),
    ctx.store.listAppeals(site, { actionIds: actions.filter((a) => a.type === 'remove').map((a) => a.id) }),
    moderatorPublicLabels(ctx, site, actions.map((a) => a.moderatorId)),
  ]);
  const status = new Map(posts.map((p) => [p.id, p.status]));
  for (const action of actions) {
    const postId = action.target.id;
    const entry = out.get(postId) ?? { removal: null, labels: [], repliesClosed: null };
    const note = noteOf(action, refs.get(action.id), labels.get(action.moderatorId)!);
    if (action.type === 'remove' && status.get(postId) === 'removed') {
      const appeal = appeals.filter((a) => a.actionId === action.id).at(-1);
      const tombstone: Tombstone = { ...note, appeal: appeal ? appeal.status : 'none', appealableUntil: appealDeadline(action.createdAt) };
      entry.removal = tombstone;
    } else if (action.type === 'label') {
      const label: PostLabel = { ...note, text: action.labelText ?? '' };
      entry.labels.push(label);
    } else if (action.type === 'restrict-replies') {
      entry.repliesClosed = note;
    } else {
      continue;
    }
    out.set(postId, entry);
  }
  return out;
}

/** Presents stored posts as `viewerId` sees them (identical for everyone but the author of a removed post). */
export async function presentPosts(ctx: AppContext, site: string, records: readonly PostRecord[], viewerId: string | null = null): Promise<Post[]> {
  // Automated scripted-reply labels (issue 6), one batched read; only visible staff posts can carry one.
  const staff = records.filter((r) => r.authorSnapshot.affiliation && r.status === 'visible').map((r) => r.id);
  // The reads are independent of each other: they run together.
  const [moderation, scripted, mentions, standard, edits, questions] = await Promise.all([
    postModeration(ctx, site, records),
    scriptedLabels(ctx, site, staff),
    // Products named in staff posts (issue 6), from the current text: shown plainly on the post.
    productMentionsFor(ctx, site, records),
    // The site's required boilerplate (a safety signpost, a disclaimer) in a staff post: said plainly.
    standardInfoFor(ctx, site, records),
    // Edit summaries (issue 6), one batched read of the posts that were ever edited.
    ctx.store.editSummaries(site, records.filter((r) => r.editedAt !== null).map((r) => r.id)),
    // Questions put to a company (issue 14): "Question to …", answered or not, the same for everyone.
    questionNotesFor(ctx, site, records),
  ]);
  return records.map((r) => {
    const post = presentPost(r, moderation.get(r.id) ?? null, viewerId, edits.get(r.id) ?? null);
    const label = scripted.get(r.id);
    const named = mentions.get(r.id);
    const question = questions.get(r.id);
    const extra = {
      ...(label ? { scripted: label } : {}), ...(named ? { productMentions: named } : {}),
      ...(standard.has(r.id) ? { standardSafetyInfo: true as const } : {}), ...(question ? { question } : {}),
    };
    return Object.keys(extra).length ? { ...post, ...extra } : post;
  });
}

/** Who locked a topic, on which rule and why (undefined when it is not locked by an action). */
export async function topicLockNote(ctx: AppContext, site: string, topic: string): Promise<ModerationNote | undefined> {
  const lock = (await ctx.store.listActions(site, { targetKind: 'topic', targetId: topic, types: ['lock'] })).filter((a) => a.reversedBy === null).at(-1);
  if (!lock) return undefined;
  const [refs, moderator] = await Promise.all([ctx.store.getLogRefs(site, 'action', [lock.id]), moderatorPublicLabel(ctx, site, lock.moderatorId)]);
  return noteOf(lock, refs.get(lock.id), moderator);
}
