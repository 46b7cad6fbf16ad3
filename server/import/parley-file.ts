/**
 * Reads Parley's own export (moderation/import-export.ts, docs/import-export.md) back as an
 * import: topics keep their ids and titles, posts their text, date and reply structure,
 * authors their display names (as imported members: a verified badge never travels).
 * Posts removed by moderation stay out (counted as skipped); edit history, moderation
 * actions and the audit log stay with the installation that wrote them.
 */
import { parseWith } from '../../moderation/schemas.js';
import { ParleyExportSchema } from '../../moderation/import-export.js';
import { ImportFileError } from './xml-records.js';
import { authorName, type SourceFile } from './source.js';

export interface ParleySourceFile extends SourceFile {
  companies: unknown[];
}

export function readParleyExport(bytes: Uint8Array): ParleySourceFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ImportFileError(`This is not a readable JSON file (${(error as Error).message.slice(0, 200)}).`);
  }
  const parsed = parseWith(ParleyExportSchema, json);
  if (!parsed.ok) throw new ImportFileError(`This is not a valid Parley export: ${parsed.message}`);
  const data = parsed.value;
  const from = data.site.id;
  const authors = new Map(data.authors.map((a) => [a.id, a]));
  const file: ParleySourceFile = { threads: [], posts: [], skipped: 0, problems: [], companies: data.companies };
  for (const topic of data.topics) file.threads.push({ sourceId: topic.id, topicId: topic.id, url: null, title: topic.title });
  for (const post of data.posts) {
    if (post.status !== 'visible') {
      file.skipped++;
      continue;
    }
    const author = authors.get(post.authorId);
    if (!author) file.problems.push({ where: `post ${post.id}`, message: `its author ${post.authorId} is not in the file; shown as Anonymous` });
    file.posts.push({
      sourceId: `${from}/${post.id}`,
      threadId: post.topic,
      parentId: post.parent ? `${from}/${post.parent}` : null,
      author: { key: `${from}/${post.authorId}`, name: authorName(author?.displayName), email: null },
      body: post.body,
      createdAt: new Date(post.createdAt).toISOString(),
    });
  }
  return file;
}
