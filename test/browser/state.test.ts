import { expect } from '@open-wc/testing';
import type { Post } from '../../moderation/types.js';
import { belongsInView, buildThreads, countThreads, emptyState, mergePosts } from '../../widget/client/state.js';

let rev = 0;
function post(id: string, seq: number, opts: Partial<Post> = {}): Post {
  const parent = opts.parent ?? null;
  return {
    id,
    site: 'test',
    topic: 't',
    parent,
    root: opts.root ?? (parent === null ? id : parent),
    depth: opts.depth ?? (parent === null ? 0 : 1),
    seq,
    rev: opts.rev ?? ++rev,
    author: opts.author ?? { id: `u-${id}`, name: `Author ${id}`, kind: 'member' },
    body: opts.body ?? `body ${id}`,
    html: `<p>${opts.body ?? `body ${id}`}</p>`,
    createdAt: '2025-01-01T00:00:00.000Z',
    editedAt: null,
    status: opts.status ?? 'visible',
  };
}

const ids = (threads: ReturnType<typeof buildThreads>): unknown[] => threads.map((t) => (t.replies.length ? [t.post.id, ids(t.replies)] : t.post.id));

describe('client/state', () => {
  it('merges by id, keeping the higher rev and never holding a post twice', () => {
    const a1 = post('a', 1, { rev: 1, body: 'first' });
    const a2 = { ...a1, rev: 5, body: 'edited' };
    let r = mergePosts(emptyState('newest'), [a1]);
    expect(r.added.map((p) => p.id)).to.deep.equal(['a']);
    r = mergePosts(r.state, [a2, a1]);
    expect(r.updated.map((p) => p.body)).to.deep.equal(['edited']);
    expect(r.added).to.have.length(0);
    expect(r.state.posts.size).to.equal(1);
    expect(r.state.posts.get('a')!.body).to.equal('edited');
    // An older copy arriving late changes nothing (and returns the same state object).
    const again = mergePosts(r.state, [a1]);
    expect(again.state).to.equal(r.state);
    expect(again.state.posts.get('a')!.rev).to.equal(5);
    // Rev 1 is in hand; 5 waits beyond the gap (2–4 were never received).
    expect(again.state.sinceRev).to.equal(1);
  });

  it('catches up from the highest rev with nothing missing: a page’s topic rev, then live revs in sequence', () => {
    const r = mergePosts(emptyState('newest'), [post('a', 1, { rev: 3 })], { rev: 9 });
    expect(r.state.sinceRev).to.equal(9);
    expect(mergePosts(r.state, [post('b', 2, { rev: 10 })]).state.sinceRev).to.equal(10);
  });

  it('does not skip a change whose broadcast was lost: the gap stays until a catch-up covers it', () => {
    let r = mergePosts(emptyState('oldest'), [post('a', 1, { rev: 9 })], { rev: 9 });
    // Rev 10 was stored but its broadcast lost (its node died); 11 and 12 arrive live.
    r = mergePosts(r.state, [post('c', 3, { rev: 11 })], { onlyInView: true });
    r = mergePosts(r.state, [post('d', 4, { rev: 12 })], { onlyInView: true });
    expect(r.state.sinceRev).to.equal(9);
    expect(r.state.posts.size).to.equal(3);
    // The catch-up after rev 9 brings 10 (and again 11, 12) up to the topic's rev.
    r = mergePosts(r.state, [post('b', 2, { rev: 10 }), post('c', 3, { rev: 11 }), post('d', 4, { rev: 12 })], { onlyInView: true, rev: 12 });
    expect(r.state.sinceRev).to.equal(12);
    expect([...r.state.posts.keys()].sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    // A live rev that arrives after the gap closed advances it at once.
    r = mergePosts(r.state, [post('e', 5, { rev: 13 })], { onlyInView: true });
    expect(r.state.sinceRev).to.equal(13);
  });

  it('orders threads newest or oldest first, replies oldest first, nested by parent', () => {
    const posts = [
      post('a', 1),
      post('b', 2),
      post('a2', 5, { parent: 'a' }),
      post('a1', 3, { parent: 'a' }),
      post('a1x', 4, { parent: 'a1', root: 'a', depth: 2 }),
      post('c', 6),
    ];
    const newest = mergePosts(emptyState('newest'), posts).state;
    expect(ids(buildThreads(newest))).to.deep.equal(['c', 'b', ['a', [['a1', ['a1x']], 'a2']]]);
    const oldest = mergePosts(emptyState('oldest'), posts).state;
    expect(ids(buildThreads(oldest))).to.deep.equal([['a', [['a1', ['a1x']], 'a2']], 'b', 'c']);
    const a1x = buildThreads(oldest)[0].replies[0].replies[0];
    expect(a1x.inReplyTo!.name).to.equal('Author a1');
    expect(buildThreads(oldest)[0].inReplyTo).to.equal(null);
    expect(countThreads(buildThreads(oldest))).to.equal(6);
  });

  it('hangs a reply whose parent is missing under its root, and drops replies of unknown threads', () => {
    const state = mergePosts(emptyState('oldest'), [
      post('a', 1),
      post('deep', 3, { parent: 'missing', root: 'a', depth: 2 }),
      post('stray', 4, { parent: 'gone', root: 'elsewhere' }),
    ]).state;
    const threads = buildThreads(state);
    expect(ids(threads)).to.deep.equal([['a', ['deep']]]);
    expect(threads[0].replies[0].inReplyTo).to.equal(null);
  });

  it('admits pushed posts only when they belong on screen', () => {
    // Page 1 of "newest" holds threads 10 and 9; thread 5 is on a page not loaded yet.
    const state = mergePosts(emptyState('newest'), [post('t10', 10), post('t9', 9)]).state;
    expect(belongsInView(state, post('t11', 11))).to.equal(true); // a new thread
    expect(belongsInView(state, post('t5', 5))).to.equal(false); // an edit on an unloaded page
    expect(belongsInView(state, post('r', 12, { parent: 't9' }))).to.equal(true); // reply in a shown thread
    expect(belongsInView(state, post('r5', 13, { parent: 't5' }))).to.equal(false);

    // A catch-up carrying a new thread and its reply admits both, in order.
    const r = mergePosts(state, [post('t14', 14), post('t14r', 15, { parent: 't14' }), post('t5b', 5)], { onlyInView: true });
    expect(r.added.map((p) => p.id)).to.deep.equal(['t14', 't14r']);
    expect(ids(buildThreads(r.state))).to.deep.equal([['t14', ['t14r']], 't10', 't9']);
  });
});
