/**
 * `<parley-audit-log>` in Chromium: against the real server (entries seeded by run.ts via
 * audit-seed.ts), and against an in-page fake log to show the warning when history is rewritten.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  MerkleTree, consistencyProof, formatVerifierKey, generateSigningKey, hashLeafValue, inclusionProof, signCheckpoint, toHex, verifierKeyOf,
} from '../../moderation/log/index.js';
import { ParleyAuditLog } from '../../widget/parley-audit-log.js';

if (!customElements.get('parley-audit-log')) customElements.define('parley-audit-log', ParleyAuditLog);

const test = (window as unknown as { __PARLEY_TEST__: { server: string; auditSite: string } }).__PARLEY_TEST__;
// A site of its own (run.ts): other test files add entries to the main test site's log meanwhile.
const env = { server: test.server, site: test.auditSite };

async function mount(template: ReturnType<typeof html>): Promise<ParleyAuditLog> {
  const el = await fixture<ParleyAuditLog>(template);
  await waitUntil(() => el.phase !== 'loading', 'the log never loaded', { timeout: 10_000 });
  await el.updateComplete;
  return el;
}

const shadow = (el: ParleyAuditLog) => el.shadowRoot!;

describe('<parley-audit-log> against the real server', () => {
  beforeEach(() => localStorage.clear());

  it('lists entries with their reasons and thread links, and says the log verified', async () => {
    const el = await mount(html`<parley-audit-log server=${env.server} site=${env.site} thread-url="/t/{topic}#post-{post}"></parley-audit-log>`);
    const status = shadow(el).querySelector('[part="status"]')!;
    expect(status.textContent).to.match(/Log verified: \d+ entries, checkpoint signed /);
    expect(el.verification!.ok).to.equal(true);
    const articles = [...shadow(el).querySelectorAll('article')];
    expect(articles.length).to.be.greaterThan(7);
    const removal = articles.find((a) => a.querySelector('[data-kind="moderation.remove"]'))!;
    // A sentence in plain words; the reasons as labelled fields; the kind and ids one click away.
    expect(removal.querySelector('.sentence')!.textContent).to.equal('Moderator 1 removed a post in “audit-topic” under rule R4.');
    const fields = [...removal.querySelectorAll('dl.reasons dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`);
    expect(fields).to.include('Rule: R4 (v2)');
    expect(fields).to.include('Facts and circumstances: Promotes a prescription-only medicine by name.');
    expect(removal.querySelector('details')!.open).to.equal(false);
    expect(removal.querySelector('details .raw')!.textContent).to.contain('"kind": "moderation.remove"');
    expect(shadow(el).textContent).not.to.contain('Secret removed words');
    const link = removal.querySelector<HTMLAnchorElement>('a[part="thread-link"]')!;
    expect(link.getAttribute('href')).to.equal('/t/audit-topic#post-post-a1');
    const restore = articles.find((a) => a.querySelector('[data-kind="moderation.restore"]'))!;
    expect(restore.querySelector('.sentence')!.textContent).to.contain('Moderator 1 restored a post');
    expect(restore.querySelector('.sentence')!.textContent).to.contain('Follows up entry 0.');
    // Remembered for the next visit.
    const remembered = JSON.parse(localStorage.getItem(`parley-audit-log:${env.server}:${env.site}`)!);
    expect(remembered.checkpoint).to.equal(el.verification!.checkpoint);
    expect(shadow(el).textContent).to.contain('This checkpoint is now remembered');
  });

  it('checks consistency with the remembered checkpoint on the next visit', async () => {
    const first = await mount(html`<parley-audit-log server=${env.server} site=${env.site}></parley-audit-log>`);
    expect(first.verification!.ok).to.equal(true);
    const again = await mount(html`<parley-audit-log server=${env.server} site=${env.site}></parley-audit-log>`);
    expect(again.verification!.ok).to.equal(true);
    expect(again.verification!.checks.some((c) => c.name === 'consistency-proof' || c.name === 'previous-root' || c.name === 'append-only')).to.equal(true);
    expect(shadow(again).textContent).not.to.contain('This checkpoint is now remembered');
  });

  it('pages and filters with the keyboard, and speaks Dutch', async () => {
    const el = await mount(html`<parley-audit-log server=${env.server} site=${env.site} page-size="3" lang="nl"></parley-audit-log>`);
    expect(shadow(el).querySelector('[part="status"]')!.textContent).to.contain('Logboek gecontroleerd');
    expect(shadow(el).querySelectorAll('article')).to.have.length(3);
    const more = shadow(el).querySelector<HTMLButtonElement>('button[part="button"]')!;
    more.focus();
    expect(shadow(el).activeElement).to.equal(more);
    more.click();
    await waitUntil(() => shadow(el).querySelectorAll('article').length === 6, 'no second page');
    const select = shadow(el).querySelector<HTMLSelectElement>('select[part="filter"]')!;
    select.value = 'rule';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => [...shadow(el).querySelectorAll('[part="kind"]')].every((k) => k.getAttribute('data-kind') === 'rule.changed'), 'filter not applied');
  });

  it('serves an Atom feed that parses as XML', async () => {
    const text = await (await fetch(`${env.server}/api/sites/${env.site}/log/feed.atom`)).text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    expect(doc.querySelector('parsererror')).to.equal(null);
    expect(doc.documentElement.localName).to.equal('feed');
    expect(doc.getElementsByTagName('entry').length).to.be.greaterThan(7);
  });
});

/** A whole log served from the page: fetch is intercepted for its URLs. */
function fakeLog(kinds: string[], key: ReturnType<typeof generateSigningKey>) {
  const leaves = kinds.map((kind, index) => ({ version: 1, site: 'fake', index, kind, at: '2025-01-01T00:00:00.000Z', actor: { type: 'moderator', label: 'M' }, subject: {}, data: {}, commitments: {} }));
  const tree = MerkleTree.fromLeafHashes(leaves.map(hashLeafValue));
  const note = signCheckpoint({ origin: key.name, treeSize: leaves.length, rootHash: tree.root(), extensions: ['time 1735689600'] }, key);
  const json = (v: unknown) => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });
  return async (url: string): Promise<Response | null> => {
    const u = new URL(url);
    if (!u.pathname.startsWith('/api/sites/fake/log')) return null;
    const p = u.pathname.slice('/api/sites/fake/log'.length);
    const q = u.searchParams;
    if (p === '/checkpoint') return new Response(note);
    if (p === '/keys') return json({ origin: key.name, keys: [{ verifierKey: formatVerifierKey(verifierKeyOf(key)), fromSize: 0, handover: null }] });
    const entries = leaves.map((leaf, index) => ({ index, leaf, leafHash: toHex(hashLeafValue(leaf)), redacted: [] }));
    if (p === '/entries') return json({ entries: entries.slice(Number(q.get('start')), Number(q.get('end'))) });
    if (p === '/view') return json({ entries: [...entries].reverse(), nextBefore: null });
    if (p === '/witnesses') return json({ witnesses: [] });
    if (p === '/proof/consistency') return json({ proof: consistencyProof(tree, Number(q.get('from')), Number(q.get('to'))).map(toHex) });
    if (p === '/proof/inclusion') return json({ proof: inclusionProof(tree, Number(q.get('index')), Number(q.get('size'))).map(toHex) });
    return new Response('{}', { status: 404 });
  };
}

describe('<parley-audit-log> when the history was rewritten', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
    localStorage.clear();
  });

  it('shows a clear warning if the log forked since the last visit', async () => {
    const key = generateSigningKey(new Uint8Array(32).fill(3), 'fake.example/parley/fake');
    const verifierKey = formatVerifierKey(verifierKeyOf(key));
    let serve = fakeLog(['moderation.remove', 'moderation.label', 'rule.changed'], key);
    window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => (await serve(String(input))) ?? realFetch(input, init)) as typeof fetch;

    const first = await mount(html`<parley-audit-log server="https://fake.example" site="fake" log-key=${verifierKey}></parley-audit-log>`);
    expect(first.verification!.ok).to.equal(true);
    expect(shadow(first).querySelector('[part="status"]')!.textContent).to.contain('Log verified: 3 entries');

    // Same key, rewritten history: entry 1 replaced, one appended.
    serve = fakeLog(['moderation.remove', 'moderation.restore', 'rule.changed', 'rule.changed'], key);
    const events: string[] = [];
    document.addEventListener('parley-log-warning', () => events.push('warning'), { once: true });
    const second = await mount(html`<parley-audit-log server="https://fake.example" site="fake" log-key=${verifierKey}></parley-audit-log>`);
    expect(second.rewritten).to.equal(true);
    const warning = shadow(second).querySelector('[role="alert"]')!;
    expect(warning.textContent).to.contain('history was rewritten');
    expect(events).to.deep.equal(['warning']);
    // The rewritten log is not remembered in place of the real one.
    expect(JSON.parse(localStorage.getItem('parley-audit-log:https://fake.example:fake')!).checkpoint).to.equal(first.verification!.checkpoint);
  });

  it('shows the error state when the log cannot be reached', async () => {
    window.fetch = (async () => new Response('nope', { status: 500 })) as typeof fetch;
    const el = await mount(html`<parley-audit-log server="https://down.example" site="fake"></parley-audit-log>`);
    // An unreachable log fails verification visibly (never "verified").
    expect(shadow(el).textContent).not.to.contain('Log verified');
    expect(shadow(el).querySelector('[role="alert"]')).to.not.equal(null);
  });
});
