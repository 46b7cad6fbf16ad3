/** Turns stored records into the public shapes of moderation/types.ts: the only place that decides what readers see. */
import type { EditSummary, ModerationNote, Post, PostModeration, TopicInfo } from '../../moderation/types.js';
import { viewPost } from '../../moderation/visibility.js';
import type { PostRecord, TopicRecord } from '../store/store.js';

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
