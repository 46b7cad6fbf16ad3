/**
 * The shapes Parley's server sends and its widget renders. Plain data only: these cross
 * the wire as JSON, so dates are ISO-8601 strings and ids are opaque strings.
 */

/** Roles per site. Readers need no sign-in; everything else is granted per site. */
export type Role = 'reader' | 'member' | 'staff' | 'moderator' | 'admin';

/** What a reader is told about whoever wrote a post. Never contains an email address. */
export interface PublicAuthor {
  /** Opaque and stable within a site; not the host site's `sub`. */
  id: string;
  /** Display name: a pseudonym for members, the real name for company staff. */
  name: string;
  /** `deleted` once a member has erased their account; their words may remain. */
  kind: 'member' | 'staff' | 'deleted';
  /** Present when the site shows this person moderates (roles are public: no secret moderators). */
  moderator?: boolean;
  /** Present for company staff: the affiliation as it was when the post was written. */
  affiliation?: AffiliationBadge;
  /** Present for healthcare professionals verified by the site. */
  professional?: ProfessionalBadge;
}

/** An employee's verified link to a company, shown on every post they write. */
export interface AffiliationBadge {
  companyId: string;
  companyName: string;
  jobTitle: string;
  verifiedBy: string;
  verifiedAt: string;
}

export interface ProfessionalBadge {
  profession: string;
  verifiedAt: string;
}

export type PostStatus = 'visible' | 'removed';

export interface Post {
  id: string;
  site: string;
  topic: string;
  /** The post this replies to, or null for a top-level post. */
  parent: string | null;
  /** The top-level post of this thread (itself for a top-level post). */
  root: string;
  /** 0 for a top-level post, parent's depth + 1 for a reply. */
  depth: number;
  /** Creation order within the topic: 1, 2, 3, ... */
  seq: number;
  /** The topic's change counter when this post last changed; catch-up asks for rev > n. */
  rev: number;
  author: PublicAuthor;
  /** Markdown source as the author wrote it (the safe subset). */
  body: string;
  /** HTML rendered by the server from `body`. Clients must still sanitise it before use. */
  html: string;
  createdAt: string;
  editedAt: string | null;
  status: PostStatus;
}

export interface TopicInfo {
  site: string;
  id: string;
  title: string | null;
  /** Highest `rev` in the topic: a client that has seen it is up to date. */
  rev: number;
  postCount: number;
  locked: boolean;
}

export type PageOrder = 'newest' | 'oldest';

/** One page of a topic: top-level posts in the requested order, with their replies. */
export interface TopicPage {
  topic: TopicInfo;
  order: PageOrder;
  /** Top-level posts of this page followed by their replies (oldest first within a thread). */
  posts: Post[];
  /** Pass back as `cursor` for the next page; null when there is none. */
  nextCursor: string | null;
}

/** What a catch-up after a reconnect returns: every post changed since `since`. */
export interface TopicChanges {
  topic: TopicInfo;
  posts: Post[];
  /** True when more changed than one catch-up carries: the client should refetch the page. */
  truncated: boolean;
}

/** The public description of a site, fetched by the widget before it renders. */
export interface PublicSiteInfo {
  id: string;
  name: string;
  /** Where this site's house rules and moderation policy are published. */
  rulesUrl: string | null;
  demo: boolean;
}

/** Who the server thinks is signed in, for the widget's composer. */
export interface Viewer {
  id: string;
  name: string;
  roles: Role[];
  kind: PublicAuthor['kind'];
}
