/**
 * What every import format is read into before anything is written: threads (one per page),
 * posts with their author, date and parent, and the problems found on the way. The import
 * service (server/services/site-import.ts) turns this into topics, members and posts.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '../../moderation/limits.js';

export interface ImportProblem {
  /** Where in the file: 'line 120', 'post 4521', 'thread 88'. */
  where: string;
  message: string;
}

export interface SourceThread {
  sourceId: string;
  /** Parley's topic id for this page (see topicIdForUrl). */
  topicId: string;
  url: string | null;
  title: string | null;
}

export interface SourceAuthor {
  /** Stable within the format: a username, a user id, a hashed email or the name. */
  key: string;
  name: string;
  email: string | null;
}

export interface SourcePost {
  sourceId: string;
  threadId: string;
  parentId: string | null;
  author: SourceAuthor;
  /** Markdown (already converted from the source's HTML). */
  body: string;
  /** ISO 8601 in UTC. */
  createdAt: string;
}

export interface SourceFile {
  threads: SourceThread[];
  posts: SourcePost[];
  /** Deleted, spam, unapproved or otherwise unpublished comments, left out. */
  skipped: number;
  problems: ImportProblem[];
}

const hash = (text: string, chars: number) => createHash('sha256').update(text).digest('hex').slice(0, chars);

/**
 * A stable topic id for a page: host and path as written, so `https://example.org/news/a-day/`
 * becomes `example.org/news/a-day`. The scheme, `www.`, a trailing slash and the fragment do
 * not matter (the same page over http and https is one topic); a query or characters a topic id
 * cannot hold are replaced and an 8-character hash of the whole URL is added, so two different
 * pages never share a topic. Host pages give this id to <parley-discussion topic="…">.
 */
export function topicIdForUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = parsed.host.toLowerCase().replace(/^www\./, '');
  const pathname = decodeURIComponentSafe(parsed.pathname).replace(/\/+$/, '');
  const plain = `${host}${pathname}`;
  // Accented letters keep their base letter (réunion → reunion) before anything is replaced.
  const safe = plain.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._:\/-]+/g, '-');
  const canonical = `${host}${pathname}${parsed.search}`;
  const altered = safe !== plain || parsed.search !== '';
  const max = LIMITS.topicIdMaxChars;
  if (!altered && safe.length <= max) return safe;
  return `${safe.slice(0, max - 9)}-${hash(canonical, 8)}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A topic title within Parley's limit, or null. */
export function topicTitle(title: string | null | undefined): string | null {
  const clean = (title ?? '').replace(/\s+/g, ' ').trim();
  return clean ? clean.slice(0, LIMITS.topicTitleMaxChars) : null;
}

/** A display name within Parley's limit, with a fallback for anonymous comments. */
export function authorName(name: string | null | undefined): string {
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
  return clean ? clean.slice(0, LIMITS.displayNameMaxChars) : 'Anonymous';
}

/** Hides an email inside a stable author key (the key is stored as the user's subject id). */
export function emailKey(email: string): string {
  return `email:${hash(email.trim().toLowerCase(), 32)}`;
}

/** A plausible email address, or null (the address is kept for its owner only). */
export function cleanEmail(email: string | null | undefined): string | null {
  const clean = (email ?? '').trim();
  return /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(clean) ? clean : null;
}

/** The text within the post limit; a longer text is cut and the cut reported. */
export function withinPostLimit(body: string, where: string, problems: ImportProblem[]): string {
  if (body.length <= LIMITS.postBodyMaxChars) return body;
  problems.push({ where, message: `longer than ${LIMITS.postBodyMaxChars} characters; the rest was cut` });
  return `${body.slice(0, LIMITS.postBodyMaxChars - 1)}…`;
}

/** An ISO date in UTC, or null when the text is no date. */
export function isoDate(text: string | null | undefined): string | null {
  const clean = (text ?? '').trim();
  if (!clean || clean.startsWith('0000')) return null;
  // WordPress writes "2020-05-01 09:30:00" (UTC in comment_date_gmt).
  const normalised = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(clean) ? `${clean.replace(' ', 'T')}Z` : clean;
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
