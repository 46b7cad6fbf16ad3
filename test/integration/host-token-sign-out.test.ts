/**
 * "Sign out everywhere" ends host sign-ins too (security review). A host site's token carries
 * no epoch of ours, only its `iat`: after the sign-out, every host token issued before it (or in
 * the same second, which `iat` cannot order) is refused with 401 token_invalid, over REST reads
 * and writes, the session exchange and socket handshakes; one issued in a later second works.
 * Parley's own access tokens (email sign-in) keep their epoch check: a new sign-in in the same
 * second as the sign-out works. The server's clock is fixed, so "the same second" is exact.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connected, connectError, http } from '../support/clients.js';
import { key, outboxMail, startTestServer, TEST_SITES, type TestServer } from '../support/server.js';

const SITE = {
  id: 'both', name: 'Both Ways', origins: ['https://both.example'], secret: 'both-secret-0123456789abcdef0123456789ab',
  signIn: { methods: ['email' as const, 'host-token' as const] },
};
let server: TestServer;
/** The server's clock: 400 ms into a whole second, moved by the tests. */
let clock = Math.floor(Date.now() / 1000) * 1000 + 400;
const seconds = () => Math.floor(clock / 1000);
/** The site's API, once the server listens. */
let base = '';

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock), sites: [...TEST_SITES, SITE] });
  base = `${server.url}/api/sites/both`;
});
afterAll(async () => {
  await server.close();
});

/** A host token as the host site mints it, with the `iat` the test chooses. */
function hostToken(sub: string, iat: number): Promise<string> {
  return new SignJWT({ aud: 'both', sub, name: `Member ${sub}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(new TextEncoder().encode(SITE.secret));
}

const me = (token: string) => http(`${base}/me`, { token });
const write = (token: string, topic: string) => http(`${base}/posts`, { token, body: { topic, body: 'Hello from the host', idempotencyKey: key() } });
const signOutEverywhere = (token: string) => http(`${base}/session/sign-out-everywhere`, { method: 'POST', token });

function expectSignedOut(res: { status: number; body: any }): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('token_invalid');
  expect(res.body.error.message).toMatch(/signed out everywhere/);
}

describe('host tokens after "sign out everywhere"', () => {
  it('refuses every host token issued before the sign-out, over REST reads, writes and the session exchange', async () => {
    const old = await hostToken('host-old', seconds() - 60);
    expect((await me(old)).status).toBe(200);
    expect((await write(old, 'host-before')).status).toBe(201);
    // A second token from before, never used yet (not in the verified-token cache).
    const unused = await hostToken('host-old', seconds() - 30);

    clock += 5_000;
    expect((await signOutEverywhere(old)).status).toBe(200);

    for (const token of [old, unused]) {
      expectSignedOut(await me(token));
      expectSignedOut(await write(token, 'host-after'));
      expectSignedOut(await http(`${base}/session`, { body: { hostToken: token } }));
    }
    expect((await server.store.getChangesSince('both', 'host-after', 0, 10)).length).toBe(0);
  });

  it('a host token issued in the same second as the sign-out is refused; one from the next second works', async () => {
    const before = await hostToken('host-same', seconds() - 10);
    expect((await signOutEverywhere(before)).status).toBe(200);

    // `iat` has whole seconds: a token of this second may have been issued before the sign-out.
    expectSignedOut(await me(await hostToken('host-same', seconds())));

    const after = await hostToken('host-same', seconds() + 1);
    clock += 1_000;
    const read = await me(after);
    expect(read.status).toBe(200);
    expect(read.body.viewer.name).toBe('Member host-same');
    expect((await write(after, 'host-same-after')).status).toBe(201);
    // The old token stays refused after a newer one was accepted (the cache does not let it back in).
    expectSignedOut(await me(before));
  });

  it('a socket cannot join with a host token issued before the sign-out; one issued after joins', async () => {
    const before = await hostToken('host-socket', seconds() - 10);
    expect((await signOutEverywhere(before)).status).toBe(200);
    const refusedSocket = connect(server.url, { site: 'both', token: before });
    try {
      const error = await connectError(refusedSocket);
      expect(error.data?.code ?? error.message).toMatch(/token_invalid|signed out everywhere/);
    } finally {
      refusedSocket.close();
    }
    clock += 1_000;
    const joined = connect(server.url, { site: 'both', token: await hostToken('host-socket', seconds()) });
    try {
      await connected(joined);
    } finally {
      joined.close();
    }
  });

  it('Parley session tokens (email sign-in) behave as before: refused after the sign-out, a new sign-in works at once', async () => {
    const email = 'email-member@patients.example';
    const signIn = async () => {
      const asked = await http(`${base}/sign-in/email`, { body: { email, returnUrl: 'https://both.example/forum' } });
      expect(asked.status).toBe(202);
      const mail = await outboxMail(server.store, 'both', (m) => m.recipient === email && !used.has(m.id!));
      used.add(mail!.id!);
      const token = /#parley-sign-in=([A-Za-z0-9_-]+)/.exec(mail!.body)![1];
      const verified = await http(`${base}/sign-in/email/verify`, { body: { token } });
      expect(verified.status).toBe(200);
      return verified.body.accessToken as string;
    };
    const used = new Set<number>();
    const first = await signIn();
    expect((await me(first)).status).toBe(200);
    expect((await signOutEverywhere(first)).status).toBe(200);
    const refused = await me(first);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_invalid');
    // Same server second: Parley's tokens carry the epoch, so they are ordered exactly.
    const second = await signIn();
    expect((await me(second)).status).toBe(200);
  });
});
