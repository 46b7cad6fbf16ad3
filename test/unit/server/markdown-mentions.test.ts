/** Mentions in the rendered Markdown (issue 13): a link to the person, or plain text for someone who blocked the writer. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../server/render/markdown.js';

describe('mentions in rendered Markdown', () => {
  const body = 'Ask @[Dan D](user:dan-1) and @[Eve <b>E</b>](user:eve-2).';

  it('link each mentioned person inside the discussion', () => {
    expect(renderMarkdown(body)).toBe('<p>Ask <a class="parley-mention" data-user="dan-1" href="#parley-person-dan-1">@Dan D</a> and '
      + '<a class="parley-mention" data-user="eve-2" href="#parley-person-eve-2">@Eve &lt;b&gt;E&lt;/b&gt;</a>.</p>');
  });

  it('leave a mention of someone who blocked the writer as escaped plain text, and only theirs', () => {
    expect(renderMarkdown(body, { unlinkedMentions: new Set(['eve-2']) })).toBe(
      '<p>Ask <a class="parley-mention" data-user="dan-1" href="#parley-person-dan-1">@Dan D</a> and @Eve &lt;b&gt;E&lt;/b&gt;.</p>');
  });
});
