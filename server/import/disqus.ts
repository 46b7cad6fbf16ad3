/**
 * Reads a Disqus export (the XML Disqus mails from Admin → Export): top-level <thread dsq:id>
 * elements (a page: <link>, <title>, <id> identifier) and <post dsq:id> elements (a comment:
 * <message> HTML, <createdAt>, <isDeleted>, <isSpam>, <author><name/><email/><username/>
 * <isAnonymous/></author>, <thread dsq:id/> and, for replies, <parent dsq:id/>).
 */
import { decodeXml, ImportFileError, readXmlRecords } from './xml-records.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import {
  authorName, cleanEmail, emailKey, isoDate, topicIdForUrl, topicTitle, withinPostLimit,
  type SourceFile, type SourcePost, type SourceThread,
} from './source.js';

export function readDisqus(bytes: Uint8Array): SourceFile {
  const records = readXmlRecords(decodeXml(bytes), (path) => path.length === 2 && (path[1] === 'thread' || path[1] === 'post'));
  const root = records.length ? null : 'no <thread> or <post> elements';
  if (root) throw new ImportFileError(`This is not a Disqus export: ${root}.`);
  const file: SourceFile = { threads: [], posts: [], skipped: 0, problems: [] };
  const threadIds = new Set<string>();
  for (const record of records) {
    const id = record.attrs['dsq:id'];
    const f = (key: string) => record.fields.get(key)?.trim() ?? '';
    if (!id) {
      file.problems.push({ where: `line ${record.line}`, message: `a <${record.name}> without dsq:id was left out` });
      if (record.name === 'post') file.skipped++;
      continue;
    }
    if (record.name === 'thread') {
      const link = f('link');
      const thread: SourceThread = {
        sourceId: id,
        topicId: topicIdForUrl(link) ?? `disqus/thread-${id.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60)}`,
        url: link || null,
        title: topicTitle(f('title')),
      };
      if (!topicIdForUrl(link)) file.problems.push({ where: `thread ${id}`, message: `no usable page URL; its topic id is ${thread.topicId}` });
      threadIds.add(id);
      file.threads.push(thread);
      continue;
    }
    if (f('isDeleted') === 'true' || f('isSpam') === 'true') {
      file.skipped++;
      continue;
    }
    const where = `post ${id}`;
    const createdAt = isoDate(f('createdAt'));
    if (!createdAt) {
      file.problems.push({ where, message: 'no readable date; left out' });
      file.skipped++;
      continue;
    }
    const body = withinPostLimit(htmlToMarkdown(record.fields.get('message') ?? ''), where, file.problems);
    if (!body) {
      file.problems.push({ where, message: 'empty message; left out' });
      file.skipped++;
      continue;
    }
    const email = cleanEmail(f('author/email'));
    const username = f('author/isAnonymous') === 'true' ? '' : f('author/username');
    const name = authorName(f('author/name') || username);
    const post: SourcePost = {
      sourceId: id,
      threadId: f('thread@dsq:id'),
      parentId: f('parent@dsq:id') || null,
      author: { key: username ? `user:${username}` : email ? emailKey(email) : `name:${name}`, name, email },
      body,
      createdAt,
    };
    file.posts.push(post);
  }
  file.posts = file.posts.filter((post) => {
    if (threadIds.has(post.threadId)) return true;
    file.problems.push({ where: `post ${post.sourceId}`, message: `its thread ${post.threadId || '(none)'} is not in the file; left out` });
    file.skipped++;
    return false;
  });
  return file;
}
