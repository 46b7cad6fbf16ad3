/**
 * Open sockets follow the session (security review, issue 12): after "sign out everywhere",
 * account deletion, a suspension or ban, or the expiry of the token a socket joined with, its
 * writes are refused with a clear ack error and the server tells it `session:ended`. A fresh
 * token can be handed to an open socket (`session:token`) without reconnecting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { act, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let fx: ModerationFixture;
/** The server's clock runs this far ahead of the real one; tests move it forward. */
let offsetMs = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(Date.now() + offsetMs) });
  fx = await setUpModeration(server);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

async function open(token: string): Promise<Socket> {
  const socket = connect(server.url, { site: 'alpha', token });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

function post(socket: Socket, topic: string, body = 'A message'): Promise<any> {
  return socket.timeout(5000).emitWithAck(SOCKET_EVENTS.createPost, { topic, body, idempotencyKey: key() });
}

/** A host token for a new member, and a Parley session exchanged for it. */
async function member(sub: string, name = `Member ${sub}`) {
  const hostToken = await server.sign('alpha', { sub, name }, { expiresIn: 11 * 3600 });
  const session = await http(`${fx.api}/session`, { body: { hostToken } });
  expect(session.status).toBe(200);
  return { hostToken, accessToken: session.body.accessToken as string, refreshToken: session.body.refreshToken as string, id: session.body.viewer.id as string };
}

async function postsIn(topic: string): Promise<number> {
  return (await server.store.getChangesSince('alpha', topic, 0, 1000)).length;
}

describe('open sockets follow the session', () => {
  it('after "sign out everywhere" the socket is told, and its writes answer token_invalid', async () => {
    const m = await member('socket-signout');
    const socket = await open(m.accessToken);
    expect((await post(socket, 'sock-signout')).post).toBeDefined();
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    expect((await http(`${fx.api}/session/sign-out-everywhere`, { method: 'POST', token: m.accessToken })).status).toBe(200);
    const [event] = await ended;
    expect(event.reason).toBe('signed-out');
    expect(event.message).toMatch(/signed out/i);
    const refused = await post(socket, 'sock-signout', 'still here?');
    expect(refused.error.code).toBe('token_invalid');
    expect(await postsIn('sock-signout')).toBe(1);
  });

  it('a socket that joined with the host token is signed out everywhere too', async () => {
    const m = await member('socket-signout-host');
    const socket = await open(m.hostToken);
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    await http(`${fx.api}/session/sign-out-everywhere`, { method: 'POST', token: m.hostToken });
    expect((await ended)[0].reason).toBe('signed-out');
    expect((await post(socket, 'sock-signout-host')).error.code).toBe('token_invalid');
    expect(await postsIn('sock-signout-host')).toBe(0);
  });

  it('the check reads the store, not only this process: a revocation without any broadcast still stops writes', async () => {
    const m = await member('socket-store');
    const socket = await open(m.accessToken);
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    await server.store.revokeAllSessions('alpha', m.id, new Date().toISOString());
    const refused = await post(socket, 'sock-store');
    expect(refused.error.code).toBe('token_invalid');
    // The refusal itself tells the socket, so the widget shows it is signed out.
    expect((await ended)[0].reason).toBe('signed-out');
    expect(await postsIn('sock-store')).toBe(0);
  });

  it('after the account is deleted (DELETE /me) the socket is told and cannot write', async () => {
    const m = await member('socket-delete');
    const socket = await open(m.accessToken);
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    const erased = await http(`${fx.api}/me`, { method: 'DELETE', token: m.accessToken, body: { confirm: 'delete my account' } });
    expect(erased.status).toBe(200);
    expect((await ended)[0].reason).toBe('deleted');
    expect((await post(socket, 'sock-delete')).error.code).toBe('token_invalid');
    expect(await postsIn('sock-delete')).toBe(0);
  });

  it('a suspension or a ban by a moderator reaches the open socket; its writes answer forbidden', async () => {
    for (const [type, extra] of [
      ['suspend', { ruleId: 'R1', days: 3 }],
      ['ban', { ground: 'illegal', legalGround: 'Criminal code, threats' }],
    ] as const) {
      const m = await member(`socket-${type}`);
      const socket = await open(m.accessToken);
      const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
      const action = await act(fx, fx.moderatorToken, { type, userId: m.id, reason: 'Threats', facts: 'The account threatened another member.', ...extra });
      expect(action.status, type).toBe(201);
      const [event] = await ended;
      expect(event.reason, type).toBe(type === 'suspend' ? 'suspended' : 'banned');
      const refused = await post(socket, `sock-${type}`);
      expect(refused.error.code, type).toBe('forbidden');
      expect(await postsIn(`sock-${type}`), type).toBe(0);
    }
  });

  it('when the token a socket joined with expires, its writes answer token_invalid and it is told', async () => {
    const m = await member('socket-expiry');
    const socket = await open(m.accessToken);
    expect((await post(socket, 'sock-expiry')).post).toBeDefined();
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    offsetMs += 16 * 60_000; // the access token lives 15 minutes
    try {
      const refused = await post(socket, 'sock-expiry', 'after expiry');
      expect(refused.error.code).toBe('token_invalid');
      expect(refused.error.message).toMatch(/expired/);
      expect((await ended)[0].reason).toBe('expired');
      expect(await postsIn('sock-expiry')).toBe(1);
    } finally {
      offsetMs -= 16 * 60_000;
    }
  });

  it('the server says session:ended by itself when the token runs out, without waiting for a write', async () => {
    const hostToken = await server.sign('alpha', { sub: 'socket-timer', name: 'Tim Er' }, { expiresIn: 2 });
    const socket = await open(hostToken);
    const [event] = await nextEvents(socket, SOCKET_EVENTS.sessionEnded, 1, 10_000);
    expect(event.reason).toBe('expired');
  });

  it('a fresh token handed to an open socket (session:token) keeps it writing past the old token’s expiry', async () => {
    const m = await member('socket-renew');
    const socket = await open(m.accessToken);
    offsetMs += 10 * 60_000;
    try {
      const refreshed = await http(`${fx.api}/session/refresh`, { body: { refreshToken: m.refreshToken } });
      expect(refreshed.status).toBe(200);
      const handed = await socket.timeout(5000).emitWithAck(SOCKET_EVENTS.setToken, { token: refreshed.body.accessToken });
      expect(handed.viewer.id).toBe(m.id);
      offsetMs += 10 * 60_000; // the first token has expired, the second has not
      const accepted = await post(socket, 'sock-renew');
      expect(accepted.error).toBeUndefined();
      expect(accepted.post.author.id).toBe(m.id);
    } finally {
      offsetMs -= 20 * 60_000;
    }
  });

  it('a refused token handed to an open socket leaves it signed out, not signed in as before', async () => {
    const m = await member('socket-bad-handover');
    const socket = await open(m.accessToken);
    const handed = await socket.timeout(5000).emitWithAck(SOCKET_EVENTS.setToken, { token: 'not.a.token' });
    expect(handed.error.code).toBe('token_invalid');
    expect((await post(socket, 'sock-bad-handover')).error.code).toBe('unauthenticated');
    expect(await postsIn('sock-bad-handover')).toBe(0);
  });

  it('a signed-out socket takes a new sign-in and writes again', async () => {
    const m = await member('socket-again');
    const socket = await open(m.accessToken);
    const ended = nextEvents(socket, SOCKET_EVENTS.sessionEnded);
    await http(`${fx.api}/session/sign-out-everywhere`, { method: 'POST', token: m.accessToken });
    await ended;
    // The host signs the member in again: a new token, issued after the sign-out (the old one is refused now).
    offsetMs += 1_000;
    const again = await http(`${fx.api}/session`, { body: { hostToken: await server.sign('alpha', { sub: 'socket-again', name: 'Member socket-again' }) } });
    expect(again.status).toBe(200);
    await socket.timeout(5000).emitWithAck(SOCKET_EVENTS.setToken, { token: again.body.accessToken });
    expect((await post(socket, 'sock-again')).post.author.id).toBe(m.id);
  });
});
