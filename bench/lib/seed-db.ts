/**
 * Builds a Parley database with many posts fast: the real schema (the store's migrations),
 * then raw batched inserts of rows shaped exactly as the store writes them (10,000 rows a
 * transaction). Used for the read-path benchmark (10^6 posts) and the widget's topics.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, migrate } from '../../server/store/sqlite/migrations.js';
import { renderMarkdown } from '../../server/render/markdown.js';

export interface SeedTopic {
  id: string;
  posts: number;
  /** Whether post i (0-based, in creation order) is a reply to the latest top-level post. */
  isReply(i: number): boolean;
}

export interface SeedOptions {
  file: string;
  site: { id: string; name: string; origins: string[]; secret: string };
  topics: SeedTopic[];
  users?: number;
  onProgress?: (done: number, total: number) => void;
}

const WORDS = ('living with it day to day the appointment helped a lot my mother carer nurse dose side effects ' +
  'trial support group tired sleep diet walking memory clinic question answer thanks update week month').split(' ');

function words(i: number): string {
  let text = '';
  let x = (i * 2654435761) >>> 0;
  while (text.length < 160) {
    x = (x * 1103515245 + 12345) >>> 0;
    text += `${WORDS[x % WORDS.length]} `;
  }
  return text.trim();
}

/** A realistic post body (about 200 characters of Markdown). */
export function sampleBody(i: number): string {
  return `${words(i)}. Post number ${i}, *with emphasis*.`;
}

/** What the store's Markdown renderer makes of sampleBody(i) (checked against it below). */
function sampleHtml(i: number): string {
  return `<p>${words(i)}. Post number ${i}, <em>with emphasis</em>.</p>`;
}

/** The schema version the seeded file carries (so a stale cache is rebuilt). */
export const SCHEMA_VERSION = MIGRATIONS.length;
/** Short hash of the migrations' text: a cached seed is only reused for the very same schema. */
export const SCHEMA_HASH = createHash('sha256').update(MIGRATIONS.join('\n')).digest('hex').slice(0, 10);

export function seedDatabase(options: SeedOptions): { posts: number; ms: number; bytes: number } {
  const started = performance.now();
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(options.file + suffix, { force: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db);
  const now = new Date('2025-01-01T00:00:00Z').getTime();
  const iso = (i: number) => new Date(now + i * 1000).toISOString();
  const { site } = options;
  db.prepare(`INSERT INTO sites (id, name, origins, secret, public_keys, rules_url, demo, created_at) VALUES (?, ?, ?, ?, '[]', NULL, 0, ?)`).run(
    site.id, site.name, JSON.stringify(site.origins), site.secret, iso(0),
  );
  const users = options.users ?? 1000;
  const insertUser = db.prepare(`INSERT INTO users (id, site, sub, display_name, email, kind, created_at) VALUES (?, ?, ?, ?, NULL, 'member', ?)`);
  db.transaction(() => {
    for (let u = 0; u < users; u++) insertUser.run(`user${u}`, site.id, `sub-${u}`, `Member ${u}`, iso(0));
  })();

  const insertTopic = db.prepare(`INSERT INTO topics (site, id, title, rev, last_seq, post_count, locked, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`);
  const insertPost = db.prepare(`INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot,
    body, html, created_at, edited_at, status, idempotency_key, request_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, NULL, 'visible', ?, ?)`);
  const total = options.topics.reduce((sum, t) => sum + t.posts, 0);
  let done = 0;
  // Rendering 10^6 bodies would be the slow part: they follow one template, checked here.
  for (let i = 0; i < 50; i++) {
    if (renderMarkdown(sampleBody(i)) !== sampleHtml(i)) throw new Error(`seed html differs from the renderer: ${renderMarkdown(sampleBody(i))}`);
  }
  for (const topic of options.topics) {
    insertTopic.run(site.id, topic.id, `Topic ${topic.id}`, topic.posts, topic.posts, topic.posts, iso(0));
    let root = '';
    for (let start = 0; start < topic.posts; start += 10_000) {
      db.transaction(() => {
        for (let i = start; i < Math.min(start + 10_000, topic.posts); i++) {
          const id = `${topic.id}-p${i}`.replace(/[^A-Za-z0-9_-]/g, '_');
          const reply = root !== '' && topic.isReply(i);
          if (!reply) root = id;
          insertPost.run(id, site.id, topic.id, reply ? root : null, root, reply ? 1 : 0, i + 1, i + 1, `user${i % users}`,
            sampleBody(i), sampleHtml(i), iso(i), `seed-${topic.id}-${i}`.replace(/[^A-Za-z0-9_-]/g, '_'), 'seed');
        }
      })();
      done = Math.min(done + 10_000, total);
      options.onProgress?.(done, total);
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { posts: total, ms: Math.round(performance.now() - started), bytes: fs.statSync(options.file).size };
}

/** True when `file` holds a seed of this schema with `posts` posts in `topic`. */
export function seededAlready(file: string, topic: string, posts: number): boolean {
  if (!fs.existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true });
    try {
      const version = db.pragma('user_version', { simple: true });
      const row = db.prepare('SELECT post_count AS n FROM topics WHERE id = ?').get(topic) as { n: number } | undefined;
      return version === SCHEMA_VERSION && row?.n === posts;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
