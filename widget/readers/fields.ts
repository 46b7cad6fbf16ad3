/**
 * What issue 16 adds to a post as the widget reads it: a hold (sent only to its author and to
 * moderators), the helpful count, a pin, and the author's own deletion. One place, so that the
 * rendering code reads these fields by name and the wire shape is changed here only.
 */
import type { Post } from '../../moderation/types.js';

/** Why a post waits for a moderator, and roughly how long that usually takes. */
export interface HoldView {
  /** The hold rule(s) that caught it, in the server's words (e.g. "First posts of a new account"). */
  reasons: string[];
  /** Typical wait in hours (the site's published estimate); null when the site gives none. */
  expectedWithinHours: number | null;
}

/** Members' "Helpful" marks: staff marks are counted apart and never order the thread (S-3). */
export interface HelpfulView {
  count: number;
  staff: number;
  /** The viewer marked it (only when the post came with their token). */
  mine?: boolean;
}

export interface PinView {
  moderator: string;
  logIndex: number | null;
}

export type ReaderPost = Post & {
  hold?: HoldView;
  helpful?: HelpfulView;
  pinned?: PinView;
  /** Set when the author deleted the post: its text is gone, a tombstone stays. */
  deletedByAuthor?: boolean;
};

export const holdOf = (p: Post) => (p as ReaderPost).hold;
export const helpfulOf = (p: Post): HelpfulView => (p as ReaderPost).helpful ?? { count: 0, staff: 0 };
export const pinOf = (p: Post) => (p as ReaderPost).pinned;
export const deletedByAuthor = (p: Post) => !!(p as ReaderPost).deletedByAuthor || (p.status as string) === 'deleted';
