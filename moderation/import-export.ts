/**
 * Moving a site's discussions in and out (issue 15): the report an import answers with (the
 * admin console shows it, dry run first) and the schema of Parley's own export file, which
 * `parley import <site> parley <file>` and `POST /admin/import?format=parley` read back.
 * The format is documented in docs/import-export.md.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { TopicIdSchema } from './schemas.js';

export const IMPORT_FORMATS = ['disqus', 'wordpress', 'parley'] as const;
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];

/** Bytes of an import file (this route only; every other body stays under requestBodyMaxBytes). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Bytes of an import file read by `parley import` on the server itself (a large site's own export can pass 20 MB). */
export const IMPORT_CLI_MAX_BYTES = 200 * 1024 * 1024;
/** Problems listed in a report; the count says how many there were in all. */
export const IMPORT_PROBLEMS_MAX = 200;
/** Topics listed by page in a report. */
export const IMPORT_TOPICS_LISTED_MAX = 500;

export interface ImportReport {
  format: ImportFormatName;
  /** true: nothing was written; this is what a real import would do now. */
  dryRun: boolean;
  topics: { new: number; existing: number };
  /** existing: imported before (re-runs create nothing twice); skipped: deleted, spam, unapproved, unreadable. */
  posts: { new: number; existing: number; skipped: number };
  authors: { new: number; existing: number };
  /** Parley files only: companies of the register (existing ones are left as they are here). */
  companies?: { new: number; existing: number };
  /** Which page became which topic id (host pages set <parley-discussion topic="…"> to it). */
  topicIds: Array<{ url: string | null; topic: string; title: string | null; posts: number }>;
  problems: Array<{ where: string; message: string }>;
  /** All problems found, when more than `problems` lists. */
  problemCount: number;
  /** Index of the public audit log entry that records this import (not on a dry run). */
  logIndex: number | null;
}

export const ImportQuerySchema = v.object({
  format: v.picklist(IMPORT_FORMATS, 'format is "disqus", "wordpress" or "parley"'),
  dryRun: v.optional(v.picklist(['true', 'false'], 'dryRun is "true" or "false"'), 'true'),
});

// ---------------------------------------------------------------------------------------------
// The export file, version 1
// ---------------------------------------------------------------------------------------------

export const EXPORT_FORMAT = 'parley-export';
export const EXPORT_VERSION = 1;

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id'));
const Iso = v.pipe(v.string(), v.isoTimestamp('not an ISO 8601 date-time'));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));

const ExportedVersionSchema = v.object({
  version: v.number(),
  body: Text(LIMITS.postBodyMaxChars),
  writtenAt: Iso,
  replacedAt: Iso,
});

/** What Parley reads back from an export (everything else in the file is kept for people and other tools). */
export const ParleyExportSchema = v.object({
  format: v.literal(EXPORT_FORMAT, `not a Parley export (format must be "${EXPORT_FORMAT}")`),
  version: v.literal(EXPORT_VERSION, `this Parley reads export version ${EXPORT_VERSION}`),
  site: v.object({ id: Text(40), name: Text(200) }),
  topics: v.array(v.object({ id: TopicIdSchema, title: v.nullable(Text(LIMITS.topicTitleMaxChars)), locked: v.boolean(), createdAt: Iso })),
  authors: v.array(v.object({
    id: Id,
    displayName: Text(200),
    kind: v.picklist(['member', 'staff', 'deleted']),
    importedFrom: v.nullable(v.string()),
    createdAt: Iso,
  })),
  posts: v.array(v.object({
    id: Id,
    topic: TopicIdSchema,
    parent: v.nullable(Id),
    authorId: Id,
    body: Text(LIMITS.postBodyMaxChars),
    createdAt: Iso,
    editedAt: v.nullable(Iso),
    status: v.picklist(['visible', 'removed']),
    history: v.optional(v.array(ExportedVersionSchema), []),
  })),
  companies: v.optional(v.array(v.unknown()), []),
});
export type ParleyExportInput = v.InferOutput<typeof ParleyExportSchema>;
