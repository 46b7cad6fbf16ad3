/**
 * Reads a WordPress export (WXR 1.2, Tools → Export): every <item> of the <channel> is a
 * page or post (<title>, <link>, <wp:post_id>) and holds its comments as <wp:comment>
 * (<wp:comment_id>, <wp:comment_author>, <wp:comment_author_email>, <wp:comment_date_gmt>,
 * <wp:comment_content> as typed, <wp:comment_approved> 1 / 0 / spam / trash,
 * <wp:comment_type> comment / pingback / trackback, <wp:comment_parent> 0 for top level,
 * <wp:comment_user_id> 0 for visitors).
 */
import { decodeXml, ImportFileError, readXmlRecords } from './xml-records.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import {
  authorName, cleanEmail, emailKey, isoDate, topicIdForUrl, topicTitle, withinPostLimit,
  type SourceFile,
} from './source.js';

export function readWordPress(bytes: Uint8Array): SourceFile {
  const records = readXmlRecords(
    decodeXml(bytes),
    (path) =>
      (path.length === 3 && path[0] === 'rss' && path[1] === 'channel' && path[2] === 'item') ||
      (path.length === 4 && path[2] === 'item' && path[3] === 'wp:comment'),
  );
  if (!records.some((r) => r.name === 'item')) throw new ImportFileError('This is not a WordPress export (WXR): no <rss><channel><item> elements.');
  const file: SourceFile = { threads: [], posts: [], skipped: 0, problems: [] };
  const threadOfItem = new Map<number, string>();
  records.forEach((record, index) => {
    const f = (key: string) => record.fields.get(key)?.trim() ?? '';
    if (record.name === 'item') {
      const id = f('wp:post_id') || `line-${record.line}`;
      const link = f('link');
      const topicId = topicIdForUrl(link) ?? `wordpress/post-${id.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60)}`;
      if (!topicIdForUrl(link)) file.problems.push({ where: `item ${id}`, message: `no usable page URL; its topic id is ${topicId}` });
      threadOfItem.set(index, id);
      file.threads.push({ sourceId: id, topicId, url: link || null, title: topicTitle(f('title')) });
      return;
    }
    const id = f('wp:comment_id');
    const where = `comment ${id || `at line ${record.line}`}`;
    const approved = f('wp:comment_approved');
    const type = f('wp:comment_type') || 'comment';
    // Spam, trash and comments still waiting for approval were never published.
    if (!id || approved !== '1' || (type !== 'comment' && type !== '')) {
      file.skipped++;
      if (!id) file.problems.push({ where, message: 'no wp:comment_id; left out' });
      return;
    }
    const createdAt = isoDate(f('wp:comment_date_gmt')) ?? isoDate(f('wp:comment_date'));
    if (!createdAt) {
      file.problems.push({ where, message: 'no readable date; left out' });
      file.skipped++;
      return;
    }
    if (!isoDate(f('wp:comment_date_gmt'))) file.problems.push({ where, message: 'no GMT date; its local date was taken as UTC' });
    const body = withinPostLimit(htmlToMarkdown(record.fields.get('wp:comment_content') ?? '', { newlinesAreBreaks: true }), where, file.problems);
    if (!body) {
      file.problems.push({ where, message: 'empty comment; left out' });
      file.skipped++;
      return;
    }
    const email = cleanEmail(f('wp:comment_author_email'));
    const name = authorName(f('wp:comment_author'));
    const userId = f('wp:comment_user_id');
    const parent = f('wp:comment_parent');
    file.posts.push({
      sourceId: id,
      threadId: threadOfItem.get(record.parent ?? -1) ?? '',
      parentId: parent && parent !== '0' ? parent : null,
      author: { key: userId && userId !== '0' ? `user:${userId}` : email ? emailKey(email) : `name:${name}`, name, email },
      body,
      createdAt,
    });
  });
  return file;
}
