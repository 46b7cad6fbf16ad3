/**
 * Edit history (issue 6), the pure part: which edits are marked, and how a post's stored
 * versions become the public history. Authors may edit; every version stays readable by
 * everyone, except that a removed post shows no text in any version (like its tombstone).
 */
import type { PostHistory, PostStatus, PostVersion } from './types.js';

/** A replaced version as stored: its text, when it was published, and the edit that replaced it. */
export interface ReplacedVersion {
  version: number;
  body: string;
  html: string;
  writtenAt: string;
  replacedAt: string;
  /** Markers of the edit that replaced this text. */
  afterReply: boolean;
  afterReport: boolean;
}

/** The post as it stands now. */
export interface CurrentText {
  id: string;
  status: PostStatus;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
}

/**
 * Are edits of this post marked "after a reply" / "after a report"? Only company staff's
 * posts: readers rely on what a company said when they answered or reported it, so a later
 * change must say so. Members edit typos without a public mark beyond "edited".
 */
export function marksEdits(author: { affiliation?: unknown }): boolean {
  return author.affiliation !== undefined;
}

/** Oldest first: every replaced version, then the current text. */
export function buildHistory(post: CurrentText, replaced: readonly ReplacedVersion[]): PostHistory {
  const removed = post.status === 'removed';
  const ordered = [...replaced].sort((a, b) => a.version - b.version);
  const versions: PostVersion[] = [];
  let previous: ReplacedVersion | undefined;
  for (const r of ordered) {
    versions.push(version(r.version, r.body, r.html, r.writtenAt, previous, removed));
    previous = r;
  }
  versions.push(version(ordered.length + 1, post.body, post.html, previous ? previous.replacedAt : post.createdAt, previous, removed));
  return { postId: post.id, status: post.status, createdAt: post.createdAt, versions };
}

/** A version, marked by the edit that replaced the version before it (none for the original). */
function version(n: number, body: string, html: string, at: string, before: ReplacedVersion | undefined, removed: boolean): PostVersion {
  return {
    version: n,
    body: removed ? '' : body,
    html: removed ? '' : html,
    at,
    editedAt: before ? before.replacedAt : null,
    afterReply: before?.afterReply ?? false,
    afterReport: before?.afterReport ?? false,
  };
}
