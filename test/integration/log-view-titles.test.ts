// The public log's view names the conversations on its page by title (issue 17), so the widget
// can say "Moderator 1 removed a post in “New treatments”": real server, real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { act, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

describe('GET /log/view: topic titles', () => {
  let server: TestServer;
  let fx: ModerationFixture;
  beforeAll(async () => {
    server = await startTestServer();
    fx = await setUpModeration(server);
  });
  afterAll(() => server.close());

  it('maps the topic ids of the entries on the page to their titles, and leaves untitled topics out', async () => {
    const titled = await http(`${fx.api}/posts`, { token: fx.alice.token, body: { topic: 'new-treatments', topicTitle: 'New treatments', body: 'Is the new antibody for everyone?', idempotencyKey: 'k-titled-1' } });
    expect(titled.status).toBe(201);
    const untitled = await http(`${fx.api}/posts`, { token: fx.bob.token, body: { topic: 'no-title', body: 'A post in a topic without a title.', idempotencyKey: 'k-untitled-1' } });
    expect(untitled.status).toBe(201);
    for (const post of [titled.body.post, untitled.body.post]) {
      const done = await act(fx, fx.moderatorToken, { type: 'label', postId: post.id, ruleId: 'R5', reason: 'Context', labelText: 'See the product information.', facts: 'The post asks about eligibility.' });
      expect(done.status, JSON.stringify(done.body)).toBe(201);
    }
    const view = await http(`${fx.api}/log/view?kind=moderation&limit=10`);
    expect(view.status).toBe(200);
    expect(view.body.entries.map((e: any) => e.leaf.subject.topic).sort()).toEqual(['new-treatments', 'no-title']);
    expect(view.body.topics).toEqual({ 'new-treatments': 'New treatments' });
    // A page without topics has an empty map, not a missing field.
    const none = await http(`${fx.api}/log/view?kind=role&limit=10`);
    expect(none.body.topics).toEqual({});
  });
});
