/**
 * What readers see of posts and topics: the only place that decides it. Stored records become
 * the public shapes of moderation/types.ts, with everything the services know about a post:
 * its moderation notes (removal, labels, closed replies, each citing rule, moderator's public
 * label and log entry), the scripted-reply label, products named, the site's standard safety
 * information, the edit summary, and the note on a question put to a company. The services feed it; none of them presents posts itself,
 * so their imports form a tree with this file near the top.
 */
import { appealDeadline } from '../../moderation/appeals.js';
import { holdSettingsOf } from '../../moderation/holds.js';
import type { HelpfulSummary, HoldNote, PinNote } from '../../moderation/spam-schemas.js';
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
    status: record.deletedAt ? 'deleted' : record.status,
    ...(edits && record.editedAt ? { edits } : {}),
  } }, viewerId);
}

export function presentTopic(site: string, id: string, record: TopicRecord | null, lock?: ModerationNote | null, pinned?: PinNote | null): TopicInfo {
  return {
    ...(lock && record?.locked ? { lock } : {}),
    ...(pinned ? { pinned } : {}),
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
  const held = records.filter((r) => r.held).map((r) => r.id);
  const ids = records.map((r) => r.id);
  const [moderation, scripted, mentions, standard, edits, questions, helpful, mine, holds] = await Promise.all([
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
    // "Helpful" (issue 16): members' count and staff marks apart (S-3); whether the viewer marked it.
    ids.length ? ctx.store.helpfulFor(site, ids) : new Map(),
    viewerId && ids.length ? ctx.store.markedBy(site, viewerId, ids) : new Set<string>(),
    // Held posts (issue 16) reach only their author and moderators: "waiting for a moderator", and why.
    held.length ? holdNotes(ctx, site, held) : new Map<string, HoldNote>(),
  ]);
  return records.map((r) => {
    const post = presentPost(r, moderation.get(r.id) ?? null, viewerId, edits.get(r.id) ?? null);
    const label = scripted.get(r.id);
    const named = mentions.get(r.id);
    const question = questions.get(r.id);
    const tally = helpful.get(r.id);
    const hold = holds.get(r.id);
    const marked = viewerId ? { mine: mine.has(r.id) } : {};
    // Present once someone marked the post (the same for everyone); `mine` only for a signed-in viewer.
    const helpfulSummary: HelpfulSummary | null = tally ? { count: tally.count, staff: tally.staff, ...marked } : null;
    const extra = {
      ...(label ? { scripted: label } : {}), ...(named ? { productMentions: named } : {}),
      ...(standard.has(r.id) ? { standardSafetyInfo: true as const } : {}), ...(question ? { question } : {}),
      ...(helpfulSummary && post.status === 'visible' ? { helpful: helpfulSummary } : {}),
      ...(hold ? { hold } : {}),
    };
    return Object.keys(extra).length ? { ...post, ...extra } : post;
  });
}

/** The hold notes of held posts: since when, why, and the site's usual wait. */
async function holdNotes(ctx: AppContext, site: string, postIds: string[]): Promise<Map<string, HoldNote>> {
  const [holds, raw] = await Promise.all([ctx.store.holdsFor(site, postIds), ctx.store.getSetting(site, 'hold-settings')]);
  let usualWaitHours: number | null = null;
  try {
    usualWaitHours = holdSettingsOf(raw ? JSON.parse(raw) : null).usualWaitHours;
  } catch {
    usualWaitHours = null;
  }
  const out = new Map<string, HoldNote>();
  for (const id of postIds) {
    const hold = holds.get(id);
    // A post stored held always has its hold row (same transaction); the fallback keeps it marked held regardless.
    out.set(id, { status: 'held', since: hold?.createdAt ?? new Date(0).toISOString(), reasons: hold?.reasons ?? [], usualWaitHours });
  }
  return out;
}

/** The pinned post of a topic as readers see it: which post, by whom (public label), when, the log entry. */
export async function topicPinNote(ctx: AppContext, site: string, topic: string): Promise<PinNote | undefined> {
  const pin = await ctx.store.getPin(site, topic);
  if (!pin) return undefined;
  const [refs, moderator] = await Promise.all([ctx.store.getLogRefs(site, 'action', [pin.actionId]), moderatorPublicLabel(ctx, site, pin.pinnedBy)]);
  return { postId: pin.postId, moderator, at: pin.pinnedAt, logIndex: refs.get(pin.actionId) ?? null };
}

/** Who locked a topic, on which rule and why (undefined when it is not locked by an action). */
export async function topicLockNote(ctx: AppContext, site: string, topic: string): Promise<ModerationNote | undefined> {
  const lock = (await ctx.store.listActions(site, { targetKind: 'topic', targetId: topic, types: ['lock'] })).filter((a) => a.reversedBy === null).at(-1);
  if (!lock) return undefined;
  const [refs, moderator] = await Promise.all([ctx.store.getLogRefs(site, 'action', [lock.id]), moderatorPublicLabel(ctx, site, lock.moderatorId)]);
  return noteOf(lock, refs.get(lock.id), moderator);
}
