/** Turns stored records into the public shapes of moderation/types.ts: the only place that decides what readers see. */
import type { Post, TopicInfo } from '../../moderation/types.js';
import type { PostRecord, TopicRecord } from '../store/store.js';

export function presentPost(record: PostRecord): Post {
  const deleted = record.authorKind === 'deleted';
  return {
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
  };
}

export function presentTopic(site: string, id: string, record: TopicRecord | null): TopicInfo {
  return {
    site,
    id,
    title: record?.title ?? null,
    rev: record?.rev ?? 0,
    postCount: record?.postCount ?? 0,
    locked: record?.locked ?? false,
  };
}
