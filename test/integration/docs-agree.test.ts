/**
 * Where docs/api.md and the server disagreed, found by an outside client written from the docs
 * alone (issue 10). Each case pins the behaviour the docs now describe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

let server: TestServer;
let fx: ModerationFixture;
let api: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpModeration(server);
  api = fx.api;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

describe('request bodies', () => {
  it('a body sent with another Content-Type is bad_request, not validation_failed', async () => {
    const body = JSON.stringify({ topic: 'ct', body: 'hello', idempotencyKey: key() });
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const response = await http(`${api}/posts`, { token: fx.bob.token, rawBody: body, headers: { 'content-type': type } });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
      expect(response.body.error.message).toContain('application/json');
    }
    // The same body as JSON is accepted, so the refusal was about the type alone.
    const ok = await http(`${api}/posts`, { token: fx.bob.token, rawBody: body, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(ok.status).toBe(201);
  });

  it('witnesses may still post their cosigned note as text/plain', async () => {
    const response = await http(`${api}/log/cosignatures`, { rawBody: 'not a note', headers: { 'content-type': 'text/plain' } });
    // Read as text and refused on its content, not on its type.
    expect(response.body.error.code).not.toBe('bad_request');
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it('an unknown field is refused naming the field', async () => {
    const response = await http(`${api}/posts`, { token: fx.bob.token, body: { topic: 'uf', body: 'hi', idempotencyKey: key(), colour: 'red' } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.issues).toEqual([{ path: 'colour', message: 'unknown field "colour": this message has no such field' }]);
    expect(response.body.error.message).toContain('unknown field "colour"');
  });
});

describe('parents', () => {
  it('a missing parent, or one in another topic, is 404 not_found naming the parent', async () => {
    const elsewhere = await postAs(fx, fx.bob.token, 'in another topic', 'topic-one');
    for (const parent of ['no-such-post', elsewhere.id]) {
      const response = await http(`${api}/posts`, { token: fx.bob.token, body: { topic: 'topic-two', parent, body: 'reply', idempotencyKey: key() } });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
      expect(response.body.error.issues).toEqual([{ path: 'parent', message: expect.stringContaining('not a post in this topic') }]);
    }
  });
});

describe('Authorization header', () => {
  it('another scheme than Bearer is unauthenticated (no sign-in), a bad Bearer token is token_invalid', async () => {
    const basic = await http(`${api}/me`, { headers: { authorization: 'Basic YWxpY2U6YWxpY2U=' } });
    expect(basic.status).toBe(401);
    expect(basic.body.error.code).toBe('unauthenticated');
    const bare = await http(`${api}/posts`, { headers: { authorization: fx.bob.token }, body: { topic: 'x', body: 'hi', idempotencyKey: key() } });
    expect(bare.body.error.code).toBe('unauthenticated');
    const forged = await http(`${api}/me`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('token_invalid');
  });
});

describe('query parameters', () => {
  it('/changes needs since: without it the answer is 400, with it the changes', async () => {
    await postAs(fx, fx.bob.token, 'for catch-up', 'since-topic');
    const missing = await http(`${api}/topics/since-topic/changes`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.issues[0].path).toBe('since');
    const zero = await http(`${api}/topics/since-topic/changes?since=0`);
    expect(zero.status).toBe(200);
    expect(zero.body.posts).toHaveLength(1);
  });

  it('/log/view takes limit 1..100 as documented', async () => {
    for (const limit of ['0', '101', '1000']) {
      const response = await http(`${api}/log/view?limit=${limit}`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.issues[0].path).toBe('limit');
    }
    for (const limit of ['1', '100']) expect((await http(`${api}/log/view?limit=${limit}`)).status).toBe(200);
  });
});

describe('minimum lengths the docs now state', () => {
  it('an illegal-content report needs an explanation of at least 10 characters; an appeal at least 10 characters of info', async () => {
    const post = await postAs(fx, fx.bob.token, 'reported text', 'lengths');
    const short = await http(`${api}/reports`, { token: fx.carol.token, body: { postId: post.id, ground: 'illegal', explanation: 'too short', goodFaith: true } });
    expect(short.body.error.code).toBe('validation_failed');
    const enough = await http(`${api}/reports`, { token: fx.carol.token, body: { postId: post.id, ground: 'illegal', explanation: 'ten chars!', goodFaith: true } });
    expect(enough.status).toBe(201);

    const removal = await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R1', reason: 'Insult', facts: 'The post insults another member by name.' });
    expect(removal.status).toBe(201);
    const appealShort = await http(`${api}/appeals`, { token: fx.bob.token, body: { actionId: removal.body.action.id, info: 'nine char' } });
    expect(appealShort.body.error.code).toBe('validation_failed');
    const appeal = await http(`${api}/appeals`, { token: fx.bob.token, body: { actionId: removal.body.action.id, info: 'ten chars!' } });
    expect(appeal.status).toBe(201);
  });
});

describe('sockets', () => {
  it('the socket that posts gets its post in the ack only; other sockets, the author’s own included, get post:created', async () => {
    const sender = connect(server.url, { site: 'alpha', token: fx.bob.token });
    const sameAuthor = connect(server.url, { site: 'alpha', token: fx.bob.token });
    const other = connect(server.url, { site: 'alpha', token: fx.carol.token });
    sockets.push(sender, sameAuthor, other);
    await Promise.all([connected(sender), connected(sameAuthor), connected(other)]);
    for (const socket of [sender, sameAuthor, other]) await socket.emitWithAck(SOCKET_EVENTS.join, { topic: 'own-echo' });

    const senderGot: string[] = [];
    sender.on(SOCKET_EVENTS.postCreated, ({ post }) => senderGot.push(post.id));
    const othersSee = Promise.all([nextEvents(sameAuthor, SOCKET_EVENTS.postCreated), nextEvents(other, SOCKET_EVENTS.postCreated)]);
    const ack = await sender.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'own-echo', body: 'mine', idempotencyKey: key() });
    expect(ack.created).toBe(true);
    const [[a], [b]] = await othersSee;
    expect(a.post.id).toBe(ack.post.id);
    expect(b.post.id).toBe(ack.post.id);

    // The server broadcasts before it acks, and one connection delivers in order: a post by
    // someone else that reaches the sender proves its own event was never sent.
    const senderSees = nextEvents(sender, SOCKET_EVENTS.postCreated);
    const reply = await other.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'own-echo', body: 'theirs', idempotencyKey: key() });
    await senderSees;
    expect(senderGot).toEqual([reply.post.id]);
  });
});
