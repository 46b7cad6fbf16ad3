/**
 * Search (issue 16): the one place where SQLite and PostgreSQL search differently. SQLite has an
 * FTS5 table (`posts_fts`, rowid = the post's rowid, filled by triggers with visible, released
 * posts); PostgreSQL a generated `posts.search_vector` (the 'simple' configuration) with a GIN
 * index. Both take the same words: letters-and-digits tokens split in TypeScript, so nothing a
 * reader types reaches either query language; every word must occur, the last one as a prefix
 * (results while typing). Newest first by rowid, which both index.
 */
import type { SqlDatabase } from './database.js';

export interface SearchSql {
  sql: string;
  params: unknown[];
}

/** The query's words as a search expression of the dialect. */
export function searchExpression(db: Pick<SqlDatabase, 'dialect'>, words: string[]): string {
  if (db.dialect === 'postgres') return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}

/**
 * Rows of visible, released posts matching every word, in one site (and topic), newest first,
 * before `before` (a rowid), at most `limit`. `columns` is the post columns the caller maps.
 */
export function searchSql(
  db: Pick<SqlDatabase, 'dialect'>,
  columns: string,
  request: { site: string; words: string[]; topic?: string; before?: number | null; limit: number },
): SearchSql {
  const expression = searchExpression(db, request.words);
  const params: unknown[] = [];
  let sql: string;
  if (db.dialect === 'postgres') {
    sql = `SELECT ${columns}, t.title AS topic_title, p.rowid AS position
      FROM posts p JOIN users u ON u.id = p.author_id LEFT JOIN topics t ON t.site = p.site AND t.id = p.topic
      WHERE p.search_vector @@ to_tsquery('simple', ?) AND p.site = ?`;
  } else {
    sql = `SELECT ${columns}, t.title AS topic_title, p.rowid AS position
      FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid JOIN users u ON u.id = p.author_id
      LEFT JOIN topics t ON t.site = p.site AND t.id = p.topic
      WHERE posts_fts MATCH ? AND p.site = ?`;
  }
  params.push(expression, request.site);
  // Belt and braces: the index only ever holds visible, released posts.
  sql += ` AND p.status = 'visible' AND p.held = 0`;
  if (request.topic) {
    sql += ' AND p.topic = ?';
    params.push(request.topic);
  }
  if (request.before != null) {
    sql += db.dialect === 'postgres' ? ' AND p.rowid < ?' : ' AND posts_fts.rowid < ?';
    params.push(request.before);
  }
  sql += db.dialect === 'postgres' ? ' ORDER BY p.rowid DESC LIMIT ?' : ' ORDER BY posts_fts.rowid DESC LIMIT ?';
  params.push(request.limit);
  return { sql, params };
}
