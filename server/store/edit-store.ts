/** Storage of edit history (issue 6): every version of a post, kept and public. */
import type { ReplacedVersion } from '../../moderation/edits.js';
import type { EditSummary } from '../../moderation/types.js';

export interface PostEdit {
  site: string;
  postId: string;
  /** The author: the edit is refused for anyone else. */
  editorId: string;
  body: string;
  html: string;
  at: string;
  /** Refuse the edit when the post's rev is no longer this (null: no check). */
  expectedRev: number | null;
  /** Record "after a reply" / "after a report" for this edit (company staff's posts). */
  marked: boolean;
  /** Versions a post may have, the original included. */
  maxVersions: number;
}

export type PostEditOutcome =
  /** Stored: the replaced text is kept as `version`; the post and its topic got `rev`. */
  | { kind: 'edited'; version: number; rev: number }
  /** The text is what the post already says: nothing changed, no rev was used. */
  | { kind: 'unchanged' }
  | { kind: 'not-found' }
  | { kind: 'not-author' }
  | { kind: 'author-erased' }
  | { kind: 'removed' }
  | { kind: 'topic-locked' }
  | { kind: 'too-many-versions' }
  | { kind: 'conflict'; rev: number };

export interface EditStore {
  /**
   * Replaces a post's text in one transaction: checks author, status, lock, expected rev and
   * the version cap; keeps the replaced text with its markers; bumps the topic's rev onto the post.
   */
  editPost(edit: PostEdit): Promise<PostEditOutcome>;
  /** The texts edits replaced, oldest first (the current text is the post's own). */
  replacedVersions(site: string, postId: string): Promise<ReplacedVersion[]>;
  /** Edit counts and markers of these posts; posts never edited are absent. One query. */
  editSummaries(site: string, postIds: readonly string[]): Promise<Map<string, EditSummary>>;
}
