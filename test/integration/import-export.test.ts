/**
 * Import (Disqus, WordPress WXR, Parley) and export of a whole site, on a real server with
 * real SQLite: the dry run writes nothing, the import keeps dates and reply structure, marks
 * authors as imported and never verified, converts HTML to safe Markdown, creates nothing
 * twice, writes one public log entry, refuses bad and hostile files leaving nothing behind;
 * the export carries no emails or secrets and round-trips into another site.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReportSchema } from '../../moderation/import-export.js';
import { http } from '../support/clients.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

const FIXTURES = path.join(__dirname, '../fixtures/import');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

let server: TestServer;
let fx: Fixture;
let beta: Fixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpIdentity(server, 'alpha');
  beta = await setUpIdentity(server, 'beta');
});
afterAll(() => server.close());

async function importFile(api: string, token: string | undefined, format: string, body: Buffer | string, dryRun: boolean, contentType = 'application/xml') {
  const response = await fetch(`${api}/admin/import?format=${format}&dryRun=${dryRun}`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  const answer = JSON.parse(text);
  // Every report has the documented shape (the OpenAPI document describes it with this schema).
  if (response.status === 200) expect(v.safeParse(ImportReportSchema, answer).issues).toBeUndefined();
  return { status: response.status, body: answer };
}

async function topicPosts(api: string, topic: string) {
  const page = await http(`${api}/topics/${encodeURIComponent(topic)}/posts?order=oldest&limit=100`);
  expect(page.status).toBe(200);
  // The page lists top-level posts, then their replies: sorted by date here, to compare with the source.
  const posts = page.body.posts as Array<{ id: string; parent: string | null; body: string; html: string; createdAt: string; author: any }>;
  return posts.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

const logSize = async (api: string) => (await http(`${api}/log/checkpoint.json`)).body.treeSize as number;

describe('import from Disqus', () => {
  const topic = 'meadowbrook.example/news/fatigue-study';

  it('reports a dry run first and writes nothing', async () => {
    const before = { stats: await server.store.stats(), log: await logSize(fx.api) };
    const report = await importFile(fx.api, fx.adminToken, 'disqus', fixture('disqus-export.xml'), true);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      format: 'disqus', dryRun: true,
      topics: { new: 2, existing: 0 },
      posts: { new: 6, existing: 0, skipped: 2 },
      authors: { new: 4, existing: 0 },
      logIndex: null,
    });
    expect(report.body.topicIds).toContainEqual({ url: 'https://www.meadowbrook.example/news/fatigue-study/', topic, title: 'A new study on fatigue in lupus', posts: 3 });
    expect(await server.store.stats()).toEqual(before.stats);
    expect(await logSize(fx.api)).toBe(before.log);
    expect(await topicPosts(fx.api, topic)).toEqual([]);
  });

  it('imports topics by page, keeps dates and replies, skips deleted and spam, reports missing parents', async () => {
    const logBefore = await logSize(fx.api);
    const report = await importFile(fx.api, fx.adminToken, 'disqus', fixture('disqus-export.xml'), false);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ dryRun: false, topics: { new: 2 }, posts: { new: 6, skipped: 2 }, authors: { new: 4 } });
    const problems = report.body.problems.map((p: any) => `${p.where}: ${p.message}`).join('\n');
    expect(problems).toMatch(/post 9004: the comment it replies to \(9003\) is not in the file.*top-level/);
    expect(problems).toMatch(/post 9008: the comment it replies to \(8999\)/);

    const posts = await topicPosts(fx.api, topic);
    expect(posts.map((p) => p.createdAt)).toEqual(['2019-03-02T11:00:00.000Z', '2019-03-02T12:30:00.000Z', '2019-03-02T14:00:00.000Z']);
    const [first, reply, orphan] = posts;
    expect(reply!.parent).toBe(first!.id);
    expect(orphan!.parent).toBeNull();
    expect(first!.body).toContain('**fatigue**');
    expect(first!.html).toContain('<a href="https://lupus.example/fatigue"');
    expect(first!.author).toMatchObject({ name: 'Anna K.' });
    expect(posts.every((p) => !p.author.affiliation && !p.author.professional && !p.author.moderator)).toBe(true);

    // HTML in bodies: scripts, handlers and javascript: links are gone; tags typed as text stay text.
    const walk = await topicPosts(fx.api, 'meadowbrook.example/events-f22c89af');
    expect(walk[0]!.body).not.toMatch(/script|onerror|javascript/);
    expect(walk[0]!.html).not.toMatch(/<script|<img|<b>/);
    expect(walk[0]!.html).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(walk[1]!.body).toBe('> Looking forward to it!\n\nMe too. Is there a _wheelchair_ route?\n\n- start at the park\n- end at the café');

    // Imported authors: members marked "imported", never staff, never verifiable; their emails are shown to nobody.
    expect(first!.author).toMatchObject({ kind: 'member', imported: true });
    expect((await server.store.getUser('alpha', first!.author.id))!.kind).toBe('member');
    const verify = await http(`${fx.api}/admin/staff`, { token: fx.adminToken, body: { userId: first!.author.id, company: 'acme', jobTitle: 'Nurse' } });
    expect(verify.status).toBe(403);
    const professional = await http(`${fx.api}/admin/professionals`, { token: fx.adminToken, body: { userId: first!.author.id, profession: 'GP' } });
    expect(professional.status).toBe(403);
    const page = JSON.stringify(await http(`${fx.api}/topics/${encodeURIComponent(topic)}/posts`));
    expect(page).not.toContain('anna.k@mail.example');

    // One public log entry, with the counts.
    expect(await logSize(fx.api)).toBe(logBefore + 1);
    const entry = (await http(`${fx.api}/log/entries/${report.body.logIndex}`)).body.entry;
    expect(entry.leaf.kind).toBe('site.imported');
    expect(JSON.stringify(entry.leaf)).toContain('"posts":{"existing":0,"new":6,"skipped":2}');
    expect(JSON.stringify(entry.leaf)).not.toContain('Anna');
  });

  it('creates nothing twice when run again', async () => {
    const before = await server.store.stats();
    const again = await importFile(fx.api, fx.adminToken, 'disqus', fixture('disqus-export.xml'), false);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ topics: { new: 0, existing: 2 }, posts: { new: 0, existing: 6, skipped: 2 }, authors: { new: 0, existing: 4 } });
    expect(await server.store.stats()).toEqual(before);
    expect(await topicPosts(fx.api, topic)).toHaveLength(3);
  });

  it('imports only what is new when the export grew, replies to earlier imports included', async () => {
    const grown = fixture('disqus-export.xml').toString('utf8').replace('</disqus>', `
  <post dsq:id="9100">
    <message><![CDATA[<p>A late answer to Anna.</p>]]></message>
    <createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Anna K.</name><isAnonymous>false</isAnonymous><username>annak</username></author>
    <thread dsq:id="7001" /><parent dsq:id="9002" />
  </post>
</disqus>`);
    const report = await importFile(fx.api, fx.adminToken, 'disqus', grown, false);
    expect(report.body).toMatchObject({ posts: { new: 1, existing: 6 }, authors: { new: 0, existing: 4 } });
    const posts = await topicPosts(fx.api, topic);
    expect(posts.at(-1)!.parent).toBe(posts[1]!.id);
  });
});

describe('import from WordPress (WXR 1.2)', () => {
  it('imports approved comments with their replies and leaves out spam, trash, pending and pingbacks', async () => {
    const report = await importFile(fx.api, fx.adminToken, 'wordpress', fixture('wordpress-wxr.xml'), false);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ topics: { new: 1, existing: 0 }, posts: { new: 3, existing: 0, skipped: 4 }, authors: { new: 3 } });
    expect(report.body.problems.map((p: any) => p.where)).toContain('post 105');
    const posts = await topicPosts(fx.api, 'meadowbrook.example/2020/05/sun-protection');
    expect(posts.map((p) => p.body)).toEqual([
      'A wide hat and SPF 50, every day.\n\nEven in winter.\n**Really.**',
      'Thanks Fatima! See [our leaflet](https://meadowbrook.example/sun).',
      'Replying to my own comment that went to the trash.',
    ]);
    expect(posts[1]!.parent).toBe(posts[0]!.id);
    expect(posts[2]!.parent).toBeNull();
    expect(posts[0]!.createdAt).toBe('2020-05-04T10:00:00.000Z');
  });

  it('reads a file declared ISO-8859-1', async () => {
    const report = await importFile(fx.api, fx.adminToken, 'wordpress', fixture('wordpress-latin1.xml'), false);
    expect(report.status).toBe(200);
    const topic = report.body.topicIds[0];
    expect(topic).toMatchObject({ url: 'https://asso.example/réunion-été/', title: "Réunion d'été" });
    const [post] = await topicPosts(fx.api, topic.topic);
    expect(post!.body).toBe('Très bien, à bientôt ! « Merci »');
    expect(post!.author.name).toBe('Renée Lefèvre');
  });
});

describe('bad and hostile files', () => {
  const refuses = async (format: string, body: Buffer | string, status: number, message: RegExp) => {
    const before = { stats: await server.store.stats(), log: await logSize(fx.api) };
    const result = await importFile(fx.api, fx.adminToken, format, body, false);
    expect(result.status).toBe(status);
    expect(result.body.error.message).toMatch(message);
    expect(await server.store.stats()).toEqual(before.stats);
    expect(await logSize(fx.api)).toBe(before.log);
  };

  it('refuses a file cut off half-way, writing nothing', async () => {
    const text = fixture('disqus-export.xml').toString('utf8').replace(/9001/g, '5001').replace(/700(\d)/g, '600$1');
    await refuses('disqus', text.slice(0, Math.floor(text.length * 0.8)), 400, /Nothing was imported\. Line \d+/);
  });

  it('refuses DTDs: entity expansion and external entities (XXE)', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
      <disqus><thread dsq:id="1"><link>https://a.example/x</link></thread><post dsq:id="2"><message>&lol2;</message><thread dsq:id="1"/></post></disqus>`;
    await refuses('disqus', bomb, 400, /DOCTYPE/);
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><wp:comment><wp:comment_content>&x;</wp:comment_content></wp:comment></item></channel></rss>`;
    await refuses('wordpress', xxe, 400, /DOCTYPE/);
  });

  it('refuses deep nesting, the wrong format, bytes that do not match the declared encoding, and an empty body', async () => {
    await refuses('disqus', `<disqus>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</disqus>`, 400, /nest deeper/);
    await refuses('disqus', fixture('wordpress-wxr.xml'), 400, /not a Disqus export/);
    await refuses('wordpress', fixture('disqus-export.xml'), 400, /not a WordPress export/);
    const latin1AsUtf8 = Buffer.from(fixture('wordpress-latin1.xml').toString('latin1').replace('ISO-8859-1', 'UTF-8'), 'latin1');
    await refuses('wordpress', latin1AsUtf8, 400, /not valid utf-8/);
    await refuses('parley', '{"format":"something-else"}', 400, /not a valid Parley export/);
    await refuses('parley', '{not json', 400, /not a readable JSON file/);
    await refuses('disqus', '', 400, /empty/);
  });

  it('refuses a file over 20 MB', async () => {
    await refuses('disqus', Buffer.alloc(20 * 1024 * 1024 + 1, 0x20), 413, /at most 20 MB/);
  });

  it('refuses an unknown format and a bad dryRun value', async () => {
    expect((await importFile(fx.api, fx.adminToken, 'csv', '<x/>', true)).status).toBe(400);
    const bad = await fetch(`${fx.api}/admin/import?format=disqus&dryRun=maybe`, { method: 'POST', headers: { authorization: `Bearer ${fx.adminToken}` }, body: '<x/>' });
    expect(bad.status).toBe(400);
  });
});

describe('permissions', () => {
  it('lets only admins import and export', async () => {
    const member = await server.sign('alpha', { sub: 'plain-member', name: 'Pat Member' });
    for (const token of [undefined, member, fx.moderatorToken]) {
      const imported = await importFile(fx.api, token, 'disqus', fixture('disqus-export.xml'), true);
      expect(imported.status).toBe(token ? 403 : 401);
      const exported = await http(`${fx.api}/admin/export`, { token });
      expect(exported.status).toBe(token ? 403 : 401);
    }
    // Who may not import is refused before the file is read: a member's 21 MB is a 403, never a 413.
    const big = await importFile(fx.api, member, 'disqus', Buffer.alloc(21 * 1024 * 1024, 0x20), true);
    expect(big.status).toBe(403);
    // An admin of another site is nobody here.
    expect((await http(`${fx.api}/admin/export`, { token: beta.adminToken })).status).toBe(401);
  });
});

describe('export', () => {
  it('exports the whole site without emails, subject ids or secrets, and round-trips into another site', async () => {
    // Something to carry: a post with an edit history, written by the admin over the API.
    const written = await http(`${fx.api}/posts`, { token: fx.adminToken, body: { topic: 'round-trip', topicTitle: 'Round trip', body: 'first words', idempotencyKey: key() } });
    expect(written.status).toBe(201);
    const edited = await http(`${fx.api}/posts/${written.body.post.id}`, { method: 'PATCH', token: fx.adminToken, body: { body: 'second words' } });
    expect(edited.status).toBe(200);
    await http(`${fx.api}/posts`, { token: fx.adminToken, body: { topic: 'round-trip', parent: written.body.post.id, body: 'a reply', idempotencyKey: key() } });
    const unwanted = await http(`${fx.api}/posts`, { token: fx.adminToken, body: { topic: 'round-trip', body: 'words a moderator removes', idempotencyKey: key() } });
    const removal = await http(`${fx.api}/moderation/actions`, {
      token: fx.moderatorToken,
      body: { type: 'remove', postId: unwanted.body.post.id, ruleId: 'R1', reason: 'Off topic', facts: 'Posted in the wrong place.' },
    });
    expect(removal.status).toBe(201);

    // A company only this site has: it travels with its disclosure (funding in its currency, the sponsored flag).
    const gamma = {
      id: 'gamma', legalName: 'Gamma Bio SA', displayName: 'Gamma Bio', emailDomains: ['gamma.example'], sponsored: true,
      disclosure: { funding: [{ year: 2025, amount: 5000, currency: 'CHF', type: 'grant', purpose: 'Walk', agreementRef: 'G-1' }], projects: ['Walk'], url: null, statement: null },
    };
    expect((await http(`${fx.api}/admin/companies/gamma`, { method: 'PUT', token: fx.adminToken, body: gamma })).status).toBe(201);
    const exported = await http(`${fx.api}/admin/export`, { token: fx.adminToken });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="parley-alpha-export-\d{4}-\d\d-\d\d\.json"/);
    const a = exported.body;
    expect(a).toMatchObject({ format: 'parley-export', version: 1, site: { id: 'alpha', name: 'Alpha Patients' } });
    const text = JSON.stringify(a);
    for (const secret of ['@mail.example', 'editor@meadowbrook', 'alpha-secret', 'admin-sub', 'import:disqus']) expect(text).not.toContain(secret);
    expect(a.rules.length).toBeGreaterThan(0);
    expect(a.companies.map((c: any) => c.id).sort()).toEqual(['acme', 'gamma', 'other']);
    expect(a.log.size).toBe(a.log.entries.length);
    expect(a.log.entries.some((e: any) => e.leaf.kind === 'site.imported')).toBe(true);
    const editedPost = a.posts.find((p: any) => p.id === written.body.post.id);
    expect(editedPost).toMatchObject({ body: 'second words', history: [{ version: 1, body: 'first words' }] });
    expect(a.authors.find((x: any) => x.displayName === 'Anna K.')).toMatchObject({ kind: 'member', importedFrom: 'disqus' });
    // A removed post travels as a tombstone; its action and statement of reasons travel with the moderator's public label.
    expect(a.posts.find((p: any) => p.id === unwanted.body.post.id)).toMatchObject({ status: 'removed', body: '', history: [] });
    expect(text).not.toContain('words a moderator removes');
    const action = a.actions.find((x: any) => x.id === removal.body.action.id);
    expect(action).toMatchObject({ type: 'remove', postId: unwanted.body.post.id, moderator: expect.stringMatching(/^Moderator \d+$/) });
    expect(action.statement).toBeTruthy();
    expect(action.moderatorId).toBeUndefined();
    expect(text).not.toContain(fx.moderatorId);

    // Into a fresh site on the same installation (post ids are new there), twice: once for real, once more to prove idempotency.
    const file = JSON.stringify(a);
    const into = await importFile(beta.api, beta.adminToken, 'parley', file, false, 'application/json');
    expect(into.status).toBe(200);
    expect(into.body.posts.new).toBe(a.posts.filter((p: any) => p.status === 'visible').length);
    expect(into.body.companies).toEqual({ new: 1, existing: 2 });
    const gammaInBeta = (await http(`${beta.api}/companies/gamma`)).body;
    expect(JSON.stringify(gammaInBeta)).toContain('CHF');
    expect(JSON.stringify(gammaInBeta)).toContain('Gamma Bio');
    const again = await importFile(beta.api, beta.adminToken, 'parley', file, false, 'application/json');
    expect(again.body.posts).toMatchObject({ new: 0, existing: into.body.posts.new });

    const b = (await http(`${beta.api}/admin/export`, { token: beta.adminToken })).body;
    // What must be equal: every topic with its title, every post's text, date, author name and place in its thread.
    const shape = (data: any) => {
      const byId = new Map<string, any>(data.posts.map((p: any) => [p.id, p]));
      const names = new Map<string, string>(data.authors.map((x: any) => [x.id, x.displayName]));
      const pathOf = (p: any): string => (p.parent ? `${pathOf(byId.get(p.parent))} > ${p.body}` : p.body);
      return {
        topics: data.topics.filter((t: any) => t.postCount > 0).map((t: any) => [t.id, t.title]).sort(),
        posts: data.posts.filter((p: any) => p.status === 'visible')
          .map((p: any) => [p.topic, pathOf(p), p.createdAt, names.get(p.authorId)].join(' | ')).sort(),
      };
    };
    expect(shape(b)).toEqual(shape(a));
    expect(b.authors.length).toBeGreaterThan(0);
    expect(b.authors.every((x: any) => x.importedFrom === 'parley')).toBe(true);
  });
});

describe('the parley import and export commands', () => {
  it('dry-runs, imports and exports from the command line, with the same service', async () => {
    const { execFile } = await import('node:child_process');
    const os = await import('node:os');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-import-cli-'));
    const parley = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile('node', ['bin/parley-dev.js', ...args, '--data-dir', dataDir], (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      });
    try {
      expect((await parley('site', 'add', 'carers', '--name', 'Carers', '--origin', 'https://carers.example')).code).toBe(0);
      const file = path.join(FIXTURES, 'wordpress-wxr.xml');
      const dry = await parley('import', 'carers', 'wordpress', file, '--dry-run');
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, posts: { new: 3 } });
      const real = await parley('import', 'carers', 'wordpress', file);
      expect(JSON.parse(real.stdout)).toMatchObject({ dryRun: false, posts: { new: 3 }, logIndex: expect.any(Number) });
      const out = path.join(dataDir, 'export.json');
      expect((await parley('export', 'carers', '--out', out)).code).toBe(0);
      const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(exported).toMatchObject({ format: 'parley-export', version: 1, site: { id: 'carers' } });
      expect(exported.posts).toHaveLength(3);
      expect(fs.readFileSync(out, 'utf8')).not.toContain('@mail.example');
      const bad = await parley('import', 'carers', 'disqus', file);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/validation_failed: Nothing was imported\. This is not a Disqus export/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('reply depth and order', () => {
  it('keeps a chain deeper than Parley nests under its deepest allowed ancestor, and a reply dated before its parent after it', async () => {
    const chain = Array.from({ length: 8 }, (_, i) => `
  <post dsq:id="c${i}"><message>level ${i}</message><createdAt>2021-01-01T0${i}:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Deep</name><username>deep</username></author>
    <thread dsq:id="t1"/>${i ? `<parent dsq:id="c${i - 1}"/>` : ''}</post>`).join('');
    const early = `<post dsq:id="early"><message>clock skew</message><createdAt>2020-12-31T00:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Skew</name></author><thread dsq:id="t1"/><parent dsq:id="c0"/></post>`;
    // Two comments that claim to answer each other: both come in, one of them at the top level.
    const circle = ['a', 'b'].map((id, i) => `<post dsq:id="loop-${id}"><message>loop ${id}</message><createdAt>2021-02-0${i + 1}T00:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Loop</name></author><thread dsq:id="t1"/><parent dsq:id="loop-${id === 'a' ? 'b' : 'a'}"/></post>`).join('');
    const xml = `<?xml version="1.0"?><disqus xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="t1"><link>https://deep.example/chain</link><title>Deep</title></thread>${chain}${early}${circle}</disqus>`;
    const report = await importFile(fx.api, fx.adminToken, 'disqus', xml, false);
    expect(report.status).toBe(200);
    expect(report.body.posts.new).toBe(11);
    expect(report.body.problems.filter((p: any) => /nested deeper/.test(p.message)).map((p: any) => p.where)).toEqual(['post c6', 'post c7']);
    const posts = await topicPosts(fx.api, 'deep.example/chain');
    const byBody = new Map(posts.map((p) => [p.body, p]));
    expect(byBody.get('level 6')!.parent).toBe(byBody.get('level 4')!.id);
    expect(byBody.get('level 7')!.parent).toBe(byBody.get('level 4')!.id);
    expect(byBody.get('clock skew')!.parent).toBe(byBody.get('level 0')!.id);
    const loops = [byBody.get('loop a')!, byBody.get('loop b')!];
    expect(loops.filter((p) => p.parent === null)).toHaveLength(1);
    expect(loops.filter((p) => p.parent !== null).map((p) => p.parent)).toEqual(loops.filter((p) => p.parent === null).map((p) => p.id));
  });
});
