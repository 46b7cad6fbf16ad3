/**
 * What every service needs, passed explicitly: the store, the clock, id generation,
 * the broadcaster and the logger. Tests build a real one; nothing here is global.
 */
import type { QueueChanged } from '../../moderation/spam-schemas.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DeskUpdated, Post, TopicInfo } from '../../moderation/types.js';
import type { SessionEndReason } from '../../moderation/protocol.js';
import type { Store } from '../store/store.js';
import type { RateLimits } from './rate-limits.js';
import type { Mailer } from '../mail/mailer.js';
import type { AuditLog } from '../audit/audit-log.js';

export interface Broadcaster {
  /** `exceptSocket`: the socket that sent the post gets it in its ack, not a second time as an event. */
  postCreated(post: Post, exceptSocket?: string): void;
  postUpdated(post: Post): void;
  topicUpdated(topic: TopicInfo): void;
  /** Tells a person's open sockets (on every node) that their sign-in ended, and why. */
  sessionEnded(site: string, userId: string, reason: SessionEndReason): void;
  /** Tells a company's desk (its staff, moderators and admins following it) that something changed (issue 14). */
  deskUpdated(site: string, update: DeskUpdated): void;
  /** Tells the site's moderators (sockets that joined with `moderation:join`) that the queue changed (issue 16). */
  queueChanged?(site: string, change: QueueChanged): void;
}

export interface AppContext {
  store: Store;
  log: Logger;
  broadcast: Broadcaster;
  limits: RateLimits;
  mailer: Mailer;
  /** The site's public, append-only audit log. */
  audit: AuditLog;
  now(): Date;
  /** Origins of Parley itself (its demo and admin pages are always allowed). */
  selfOrigins(): string[];
  /** The URL browsers use to reach this server, path included (redirect URIs are built on it). */
  publicUrl?: () => string;
  newId(): string;
}

/** 16 random bytes, base64url: unguessable and URL-safe. */
export function randomId(): string {
  return randomBytes(12).toString('base64url');
}
