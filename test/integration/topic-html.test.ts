/**
 * The topic's HTML rendition for readers without JavaScript (GET /topics/{topic}/html):
 * its structure, what it must never contain (removed and erased words, live markup from
 * hostile text), its schema.org JSON-LD, and the site's origin rules. Real server, real SQLite,
 * the fragment parsed by parse5 (the HTML standard's parser) as a browser would.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { demoPlugin } from '../../demo/plugin.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

let server: TestServer;
let fx: ModerationFixture;

const facts = 'The message insulted another member of the forum directly.';

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpModeration(server);
});

afterAll(async () => {
  await server.close();
});

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child, out);
  // <template> contents live apart; a fragment has none, but look anyway.
  if ('content' in node && node.content) elements(node.content, out);
  return out;
}
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const hasClass = (el: Element, name: string) => (attr(el, 'class') ?? '').split(/\s+/).includes(name);
function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map(text).join('');
}
const childElements = (el: Element) => el.childNodes.filter((n): n is Element => 'tagName' in n);

async function fragment(topic: string, query = '', init: { origin?: string; token?: string } = {}) {
  const response = await http(`${fx.api}/topics/${topic}/html${query}`, init);
  return { ...response, html: String(response.body), tree: parseFragment(String(response.body)) };
}

describe('GET /topics/{topic}/html', () => {
  it('renders the threads as nested lists of articles, newest thread first, replies oldest first, with bylines and badges', async () => {
    const topic = 'html-structure';
    const first = await postAs(fx, fx.alice.token, 'How do you manage the *fatigue*? See https://alpha.example/guide', topic);
    const reply = await postAs(fx, fx.staff.token, 'Short walks help, says our leaflet.', topic, first.id);
    const reply2 = await postAs(fx, fx.bob.token, 'Naps after lunch.', topic, first.id);
    const nested = await postAs(fx, fx.alice.token, 'Thanks, both of you.', topic, reply.id);
    const second = await postAs(fx, fx.carol.token, 'A newer thread.', topic);

    const res = await fragment(topic);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const all = elements(res.tree);
    const section = all.find((e) => e.tagName === 'section' && attr(e, 'data-parley-static') !== undefined)!;
    expect(section).toBeDefined();
    const threads = all.find((e) => e.tagName === 'ol' && hasClass(e, 'parley-threads'))!;
    const tops = childElements(threads).map((li) => childElements(li)[0]!);
    expect(tops.map((a) => attr(a, 'data-post-id'))).toEqual([second.id, first.id]);
    expect(tops.every((a) => a.tagName === 'article')).toBe(true);

    const articles = all.filter((e) => e.tagName === 'article');
    expect(articles.map((a) => attr(a, 'data-post-id')).sort()).toEqual([first.id, reply.id, reply2.id, nested.id, second.id].sort());
    const byId = (id: string) => articles.find((a) => attr(a, 'data-post-id') === id)!;
    // Replies are a nested list inside their parent's item, oldest first.
    const firstItem = childElements(threads)[1]!;
    const replies = childElements(firstItem).find((e) => e.tagName === 'ol' && hasClass(e, 'parley-replies'))!;
    expect(childElements(replies).map((li) => attr(childElements(li)[0]!, 'data-post-id'))).toEqual([reply.id, reply2.id]);
    expect(elements(childElements(replies)[0]!).some((e) => attr(e, 'data-post-id') === nested.id)).toBe(true);

    expect(attr(byId(first.id), 'aria-label')).toBe('Message from Alice A.');
    expect(attr(byId(first.id), 'id')).toBe(`parley-post-${first.id}`);
    expect(text(byId(reply.id))).toContain('In reply to Alice A.');
    // The staff badge: company, job title and who verified them, in words.
    const badge = elements(byId(reply.id)).find((e) => hasClass(e, 'parley-staff'))!;
    expect(text(badge)).toContain('Acme Pharma · MSL');
    expect(text(badge)).toContain('✓ verified by');
    // Markdown as the server rendered it; links open outside, carry no endorsement.
    const body = elements(byId(first.id)).find((e) => hasClass(e, 'parley-body'))!;
    expect(elements(body).find((e) => e.tagName === 'em') && text(elements(body).find((e) => e.tagName === 'em')!)).toBe('fatigue');
    const link = elements(body).find((e) => e.tagName === 'a')!;
    expect(attr(link, 'href')).toBe('https://alpha.example/guide');
    expect(attr(link, 'rel')).toBe('nofollow ugc noopener');
    const time = elements(byId(first.id)).find((e) => e.tagName === 'time')!;
    expect(Date.parse(attr(time, 'datetime')!)).toBeGreaterThan(0);
    expect(text(section)).toContain('Moderated by Alpha Patients.');
  });

  it('shows a removed post as its tombstone and never its words, also to its author; erased words and names are gone', async () => {
    const topic = 'html-removed';
    const kept = await postAs(fx, fx.bob.token, 'A message that stays.', topic);
    const removed = await postAs(fx, fx.alice.token, 'Bob is an idiot WORDS-THAT-WERE-REMOVED', topic, kept.id);
    const label = await postAs(fx, fx.staff.token, 'Rememba helps with sleep too.', topic);
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: removed.id, ruleId: 'R1', reason: 'Insult towards another member', facts })).status).toBe(201);
    expect(
      (await act(fx, fx.moderatorToken, { type: 'label', postId: label.id, ruleId: 'R5', reason: 'Unapproved use', labelText: 'Not an approved use; see the product information.', facts: 'A company employee suggested a use the medicine is not approved for.' })).status,
    ).toBe(201);

    // A member who erases their account with their posts: neither words nor name remain.
    const dana = await server.sign('alpha', { sub: 'dana-sub', name: 'Dana Erasable' });
    const erased = await postAs(fx, dana, 'ERASED-WORDS-OF-DANA about my treatment', topic);
    expect((await http(`${fx.api}/me`, { method: 'DELETE', token: dana, body: { confirm: 'delete my account', removePosts: true } })).status).toBe(200);

    // The author's own token is ignored: the fragment is the public view, fit for a page cache.
    for (const token of [undefined, fx.alice.token]) {
      const res = await fragment(topic, '', { token });
      expect(res.status).toBe(200);
      expect(res.html).not.toContain('WORDS-THAT-WERE-REMOVED');
      expect(res.html).not.toContain('idiot');
      expect(res.html).not.toContain('ERASED-WORDS-OF-DANA');
      expect(res.html).not.toContain('Dana Erasable');
      const all = elements(res.tree);
      const tomb = all.find((e) => e.tagName === 'article' && attr(e, 'data-post-id') === removed.id)!;
      expect(text(tomb)).toContain('This message was removed by the moderators');
      expect(text(tomb)).toMatch(/Removed by Moderator \d+ · Rule R1 Be respectful \(v1\): Insult towards another member · Appeal: none · log entry #\d+/);
      expect(text(tomb)).toContain('Insult towards another member');
      const gone = all.find((e) => e.tagName === 'article' && attr(e, 'data-post-id') === erased.id)!;
      expect(text(gone)).toContain('Deleted member');
      const labelled = all.find((e) => e.tagName === 'article' && attr(e, 'data-post-id') === label.id)!;
      expect(text(labelled)).toContain('Moderators’ note · Rule R5');
      expect(text(labelled)).toContain('Not an approved use; see the product information.');
      expect(text(labelled)).toContain('Mentions: Rememba (prescription-only medicine)');
    }
  });

  it('escapes hostile text: no element, attribute or script from a post or a name becomes live', async () => {
    const topic = 'html-hostile';
    const hostileName = 'Eve </script><img src=x onerror=alert(1)> "&\'';
    const eve = await server.sign('alpha', { sub: 'eve-sub', name: hostileName });
    const bodies = [
      '<script>alert(1)</script> <img src=x onerror=alert(2)> </section></ol>',
      '[click](javascript:alert(3)) and [data](data:text/html,<b>x</b>) <a href="javascript:alert(4)">a</a>',
      '</script><script>alert(5)</script> <!-- comment --> <style>*{display:none}</style> \u2028 <iframe src=//evil.example>',
    ];
    for (const body of bodies) await postAs(fx, eve, body, topic);

    const res = await fragment(topic);
    expect(res.status).toBe(200);
    const all = elements(res.tree);
    expect(all.filter((e) => ['img', 'iframe', 'style'].includes(e.tagName))).toEqual([]);
    const scripts = all.filter((e) => e.tagName === 'script');
    expect(scripts.map((s) => attr(s, 'type'))).toEqual(['application/ld+json']);
    expect(all.flatMap((e) => e.attrs.map((a) => a.name)).filter((name) => name.startsWith('on'))).toEqual([]);
    for (const a of all.filter((e) => e.tagName === 'a')) expect(attr(a, 'href') ?? '').toMatch(/^(https?:|mailto:)/);
    expect(all.filter((e) => e.tagName === 'article')).toHaveLength(3);
    // The text survives as text, and the name as written.
    expect(text(res.tree)).toContain('<script>alert(1)</script>');
    const author = all.find((e) => hasClass(e, 'parley-author'))!;
    expect(text(author)).toBe(hostileName);
    // The JSON-LD holds the same strings, and parses.
    const data = JSON.parse(text(scripts[0]!)) as Array<{ author: { name: string }; text: string }>;
    expect(data.map((d) => d.author.name)).toEqual([hostileName, hostileName, hostileName]);
    expect(data.some((d) => d.text.includes('</script><script>alert(5)</script>'))).toBe(true);
  });

  it('carries schema.org DiscussionForumPosting JSON-LD with headline, authors, dates, text, nested comments and reply counts', async () => {
    const topic = 'html-jsonld';
    const top = await postAs(fx, fx.alice.token, 'Does anyone take **memantinol**?\n\nI am curious.', topic);
    const r1 = await postAs(fx, fx.staff.token, 'Please ask your doctor; our leaflet is at https://acme.example/leaflet', topic, top.id);
    const r2 = await postAs(fx, fx.bob.token, 'My mother does.', topic, r1.id);
    const gone = await postAs(fx, fx.carol.token, 'You are all fools HIDDEN-JSONLD-WORDS', topic, top.id);
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: gone.id, ruleId: 'R1', reason: 'Insult towards another member', facts })).status).toBe(201);

    const res = await fragment(topic);
    const script = elements(res.tree).find((e) => e.tagName === 'script')!;
    expect(res.html).not.toContain('HIDDEN-JSONLD-WORDS');
    const data = JSON.parse(text(script)) as Array<Record<string, any>>;
    expect(data).toHaveLength(1);
    const [posting] = data;
    expect(posting['@context']).toBe('https://schema.org');
    expect(posting['@type']).toBe('DiscussionForumPosting');
    expect(posting.headline).toBe('Does anyone take memantinol?');
    expect(posting.author).toEqual({ '@type': 'Person', name: 'Alice A.' });
    expect(posting.text).toBe('Does anyone take memantinol?\n\nI am curious.');
    expect(new Date(posting.datePublished).toISOString()).toBe(posting.datePublished);
    expect(posting.interactionStatistic).toEqual({ '@type': 'InteractionCounter', interactionType: 'https://schema.org/CommentAction', userInteractionCount: 3 });
    // Replies as nested Comments, oldest first; the staff member with their company.
    expect(posting.comment.map((c: any) => c['@type'])).toEqual(['Comment', 'Comment']);
    const [staff, removed] = posting.comment;
    expect(staff.author).toEqual({ '@type': 'Person', name: 'Sam Staff', jobTitle: 'MSL', affiliation: { '@type': 'Organization', name: 'Acme Pharma' } });
    expect(staff.text).toBe('Please ask your doctor; our leaflet is at https://acme.example/leaflet');
    expect(staff.interactionStatistic.userInteractionCount).toBe(1);
    expect(staff.comment[0]).toMatchObject({ '@type': 'Comment', '@id': `#parley-post-${r2.id}`, author: { name: 'Bob B.' }, text: 'My mother does.' });
    expect(removed).toMatchObject({ '@type': 'Comment', creativeWorkStatus: 'Deleted', text: 'This message was removed by the moderators' });
    for (const item of [posting, staff, removed, staff.comment[0]]) {
      expect(typeof item.author.name).toBe('string');
      expect(Number.isNaN(Date.parse(item.datePublished))).toBe(false);
      expect(typeof item.text).toBe('string');
    }
  });

  it('follows the site’s origin rules, refuses bad input with JSON errors, and renders an empty topic', async () => {
    expect((await fragment('html-empty')).status).toBe(200);
    expect((await fragment('html-empty')).html).toContain('No messages yet.');
    expect((await fragment('html-empty', '', { origin: 'https://alpha.example' })).status).toBe(200);
    const foreign = await fragment('html-empty', '', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_not_allowed');
    for (const query of ['?limit=0', '?limit=100000', '?order=sideways', '?colour=red']) {
      const bad = await fragment('html-empty', query);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code, query).toBe('validation_failed');
    }
    const badTopic = await http(`${fx.api}/topics/${'x'.repeat(300)}/html`);
    expect(badTopic.status).toBe(400);
    expect((await http(`${server.url}/api/sites/nope/topics/t/html`)).status).toBe(404);
  });

  it('says how many messages are not shown when the topic is longer than one page', async () => {
    const topic = 'html-long';
    for (let i = 1; i <= 3; i++) await postAs(fx, fx.bob.token, `Message ${i}`, topic);
    const res = await fragment(topic, '?limit=2&order=oldest');
    expect(elements(res.tree).filter((e) => e.tagName === 'article').map((a) => text(a))).toEqual([
      expect.stringContaining('Message 1'),
      expect.stringContaining('Message 2'),
    ]);
    expect(text(res.tree)).toContain('2 of 3 messages are shown here');
  });
});

describe('the demo’s pages', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer({ plugins: [demoPlugin()] });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('include each discussion’s HTML rendition inside its <parley-discussion>, as a host’s server would', async () => {
    const page = await http(`${demo.url}/treatments`);
    expect(page.status).toBe(200);
    const all = elements(parseFragment(String(page.body)));
    const element = all.find((e) => e.tagName === 'parley-discussion')!;
    expect(attr(element, 'topic')).toBe('new-treatments');
    const section = childElements(element).find((e) => e.tagName === 'section')!;
    expect(attr(section, 'slot')).toBe('static');
    const api = await http(`${demo.url}/api/sites/demo/topics/new-treatments/posts?limit=20`);
    const shown = elements(section).filter((e) => e.tagName === 'article').map((a) => attr(a, 'data-post-id'));
    expect(shown.sort()).toEqual(api.body.posts.map((p: { id: string }) => p.id).sort());
    // Novacura's staff answer there under their badge; pages without a discussion are the static files.
    expect(elements(section).some((e) => hasClass(e, 'parley-staff'))).toBe(true);
    expect((await http(`${demo.url}/log`)).status).toBe(200);
    expect(String((await http(`${demo.url}/demo.css`)).body)).toContain('.parley-static');
  });
});
