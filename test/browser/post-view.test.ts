import { expect, fixture, html } from '@open-wc/testing';
import type { Post } from '../../moderation/types.js';
import { emptyState, mergePosts, buildThreads } from '../../widget/client/state.js';
import { renderThreads } from '../../widget/components/post.js';
import { loadLanguage, loadLater, translator } from '../../widget/i18n/index.js';

function post(id: string, seq: number, extra: Partial<Post>): Post {
  return {
    id,
    site: 'test',
    topic: 't',
    parent: null,
    root: id,
    depth: 0,
    seq,
    rev: seq,
    author: { id: `u-${id}`, name: `Author ${id}`, kind: 'member' },
    body: 'b',
    html: '<p>visible words</p>',
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    editedAt: null,
    status: 'visible',
    ...extra,
  };
}

async function renderPosts(posts: Post[], lang = 'en', extra: { moderator?: boolean; log?: string } = {}): Promise<HTMLElement> {
  const threads = buildThreads(mergePosts(emptyState('oldest'), posts).state);
  // A moderator's and an author's words (Mark out of scope, Pin, …) are in the rest of English,
  // which the discussion fetches as soon as someone is signed in.
  await loadLater();
  return fixture(
    html`<div>
      ${renderThreads(threads, {
        t: translator(lang),
        lang,
        now: Date.now(),
        canReply: true,
        replyingTo: null,
        onReply: () => {},
        replyComposer: () => html``,
        ...extra,
      })}
    </div>`,
  );
}

describe('post view', () => {
  it('says to which company a question was put, who answered after how long, or why it is out of scope (issue 14)', async () => {
    const company = { id: 'acme', name: 'Acme Pharma' };
    const askedAt = '2026-01-01T10:00:00Z';
    const posts = [
      post('open', 1, { question: { company, status: 'open', askedAt } }),
      post('done', 2, {
        question: {
          company, status: 'answered', askedAt,
          answer: { postId: 'ans', authorName: 'Carl Acme', jobTitle: 'Medical Advisor', companyName: 'Acme Pharma', at: '2026-01-03T10:00:00Z', waitedHours: 50 },
        },
      }),
      post('scope', 3, {
        question: { company, status: 'out-of-scope', askedAt, outOfScope: { reason: 'Share prices are off topic.', moderator: 'Mia Moderator', at: askedAt, logIndex: 7 } },
      }),
    ];
    const root = await renderPosts(posts, 'en', { moderator: true, log: '/log.html' });
    const [open, done, scope] = [...root.querySelectorAll('article')].map((a) => a.querySelector('[part="question"]')!);
    const words = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
    expect(words(open)).to.equal('Question to Acme Pharma Mark out of scope');
    expect(open.querySelector('button[data-mod="out-of-scope"]')!.getAttribute('data-post')).to.equal('open');
    expect(words(done)).to.equal('Question to Acme Pharma · Answered by Carl Acme, Medical Advisor, after 2 days');
    expect(done.querySelector('a[data-goto="ans"]')).to.not.equal(null);
    expect(done.querySelector('button')).to.equal(null);
    expect(words(scope)).to.equal('Question to Acme Pharma · Marked out of scope by Mia Moderator: Share prices are off topic. · log entry #7');
    expect(scope.querySelector('a')!.getAttribute('href')).to.equal('/log.html#entry-7');

    // Readers other than moderators get no button; Dutch has its own words.
    await loadLanguage('nl');
    const again = await renderPosts([posts[0], posts[1]], 'nl');
    const [o, d] = [...again.querySelectorAll('[part="question"]')];
    expect(o.querySelector('button')).to.equal(null);
    expect(words(d)).to.equal('Vraag aan Acme Pharma · Beantwoord door Carl Acme, Medical Advisor, na 2 dagen');
  });

  it('labels company staff, moderators and professionals in words', async () => {
    const root = await renderPosts([
      post('s', 1, {
        author: {
          id: 'u1',
          name: 'Sam Staff',
          kind: 'staff',
          affiliation: { companyId: 'acme', companyName: 'Acme Pharma', jobTitle: 'Medical Science Liaison', verifiedBy: 'mod', verifiedAt: '2025-01-01T00:00:00Z' },
        },
      }),
      post('m', 2, { author: { id: 'u2', name: 'Mo Mod', kind: 'member', moderator: true } }),
      post('d', 3, { author: { id: 'u3', name: 'Dr Dee', kind: 'member', professional: { profession: 'Rheumatologist', verifiedAt: '2025-01-01T00:00:00Z' } } }),
    ]);
    const [staff, mod, doc] = [...root.querySelectorAll('article')];
    expect(staff.querySelector('[part~="author"]')!.textContent).to.contain('Medical Science Liaison · Acme Pharma');
    expect(mod.querySelector('[part~="author"]')!.textContent).to.contain('Moderator');
    expect(doc.querySelector('[part~="author"]')!.textContent).to.contain('Rheumatologist');
    expect(staff.querySelector('time')!.textContent).to.contain('5 minutes ago');
    expect(staff.querySelector('time')!.getAttribute('title')).to.not.equal('');
  });

  it('shows a tombstone for removed posts and "Deleted member" for erased accounts', async () => {
    const root = await renderPosts([
      post('r', 1, { status: 'removed', html: '<p>should not show</p>' }),
      post('x', 2, { author: { id: 'deleted', name: 'Deleted member', kind: 'deleted' } }),
    ]);
    const [removed, erased] = [...root.querySelectorAll('article')];
    expect(removed.textContent).to.contain('This message was removed by the moderators');
    expect(removed.textContent).to.not.contain('should not show');
    expect(removed.querySelector('button[data-reply-for]')).to.equal(null);
    expect(erased.getAttribute('aria-label')).to.equal('Message from Deleted member');
    expect(erased.querySelector('.name')!.textContent).to.equal('Deleted member');
  });

  it('caps visual indentation but keeps nesting in the list', async () => {
    const chain: Post[] = [post('p0', 1, {})];
    for (let d = 1; d <= 5; d++) chain.push(post(`p${d}`, d + 1, { parent: `p${d - 1}`, root: 'p0', depth: d }));
    const root = await renderPosts(chain);
    const lists = [...root.querySelectorAll('ol.replies')];
    expect(lists).to.have.length(5);
    expect(lists.filter((ol) => ol.classList.contains('flat'))).to.have.length(2);
    // The deepest post can not be replied to (the shared limit is 5 levels).
    const deepest = root.querySelector('article[data-post-id="p5"]')!;
    expect(deepest.querySelector('button[data-reply-for]')).to.equal(null);
    expect(deepest.querySelector('.reply-to')!.textContent).to.contain('In reply to Author p4');
  });
});
