// Pure parts of issue 16 in the widget: the order readers see (Most helpful by members' marks
// only, the pinned post first) and a broadcast keeping whether the viewer marked a post helpful.
import { expect } from '@open-wc/testing';
import type { Post } from '../../moderation/types.js';
import { buildThreads, emptyState, mergePosts } from '../../widget/client/state.js';
import { arrangeThreads } from '../../widget/readers/order.js';

function post(id: string, seq: number, helpful?: Post['helpful'], rev = seq): Post {
  return {
    id, site: 'test', topic: 't', parent: null, root: id, depth: 0, seq, rev,
    author: { id: `u-${id}`, name: id, kind: 'member' },
    body: id, html: `<p>${id}</p>`, createdAt: '2026-01-01T00:00:00.000Z', editedAt: null, status: 'visible',
    ...(helpful ? { helpful } : {}),
  };
}
const staff = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `S${i}`, companyName: 'Acme' }));
const order = (posts: Post[], o: 'newest' | 'oldest' | 'helpful', pinned?: string) =>
  arrangeThreads(buildThreads(mergePosts(emptyState(o), posts).state), o, pinned).map((t) => t.post.id);

describe('readers/order', () => {
  it('Most helpful ranks by members’ marks, newest first among equals; staff marks never rank (S-3)', () => {
    const posts = [post('a', 1, { count: 2, staff: [] }), post('b', 2, { count: 0, staff: staff(9) }), post('c', 3, { count: 2, staff: [] }), post('d', 4)];
    expect(order(posts, 'helpful')).to.deep.equal(['c', 'a', 'd', 'b']);
    expect(order(posts, 'newest')).to.deep.equal(['d', 'c', 'b', 'a']);
  });

  it('the pinned post comes first in every order', () => {
    const posts = [post('a', 1), post('b', 2, { count: 5, staff: [] }), post('c', 3)];
    expect(order(posts, 'newest', 'a')).to.deep.equal(['a', 'c', 'b']);
    expect(order(posts, 'oldest', 'c')).to.deep.equal(['c', 'a', 'b']);
    expect(order(posts, 'helpful', 'c')).to.deep.equal(['c', 'b', 'a']);
    expect(order(posts, 'newest', 'gone')).to.deep.equal(['c', 'b', 'a']);
  });

  it('a broadcast of new counts keeps whether the viewer marked the post', () => {
    let s = mergePosts(emptyState('newest'), [post('a', 1, { count: 1, staff: [], mine: true }, 1)]).state;
    s = mergePosts(s, [post('a', 1, { count: 2, staff: [] }, 2)]).state;
    expect(s.posts.get('a')!.helpful).to.deep.equal({ count: 2, staff: [], mine: true });
    // The viewer's own answer (mine: false) wins over what was held.
    s = mergePosts(s, [post('a', 1, { count: 1, staff: [], mine: false }, 3)]).state;
    expect(s.posts.get('a')!.helpful!.mine).to.equal(false);
  });
});
