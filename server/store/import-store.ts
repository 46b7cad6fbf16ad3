/**
 * The import and export part of the Store interface (issue 15): authors created by an import,
 * the source id every imported record came from, and whole-site reads for the export.
 */
import type { PostRecord, TopicRecord } from './store.js';

export type ImportFormat = 'disqus' | 'wordpress' | 'parley';

export interface ImportedAuthor {
  id: string;
  site: string;
  /** Stable per source author ('import:<format>:…'); never shown to readers. */
  sub: string;
  displayName: string;
  /** Only when the source file had one; never shown to anyone but its owner. */
  email: string | null;
  importedFrom: ImportFormat;
  createdAt: string;
}

/** An author as the export shows them: no email, no host subject id. */
export interface ExportedAuthor {
  id: string;
  displayName: string;
  kind: 'member' | 'staff' | 'deleted';
  importedFrom: ImportFormat | null;
  createdAt: string;
}

export interface ImportStore {
  /** The local id a source record ('<format>:post:<id>', '<format>:author:<key>') became, if imported before. */
  importedId(site: string, source: string): Promise<string | null>;
  /** Remembers what a source record became (re-imports then skip it). */
  rememberImported(site: string, source: string, localId: string): Promise<void>;
  /** Creates a member marked as imported (kind 'member', no roles, no badges). */
  createImportedAuthor(author: ImportedAuthor): Promise<void>;
  /** Whether a user was created by an import (such accounts are never verified). */
  isImportedUser(site: string, userId: string): Promise<boolean>;

  /** Every topic of the site, oldest first. */
  exportTopics(site: string): Promise<TopicRecord[]>;
  /** Every post of the site (removed ones included, with their status), by topic then seq. */
  exportPosts(site: string): Promise<PostRecord[]>;
  /** Every author of a post on the site. */
  exportAuthors(site: string): Promise<ExportedAuthor[]>;
}
