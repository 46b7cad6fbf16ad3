/**
 * Parley sessions stay bounded (security review). A host token lives up to 12 hours and each
 * exchange (`POST /session`) stores a session row, so exchanges are limited per account
 * (`rateLimits.sessionsPerAccountPerHour`: 429 rate_limited with Retry-After, nothing stored,
 * other accounts unaffected); an account keeps at most LIMITS.liveSessionsPerAccountMax live
 * sessions (a new one revokes the oldest); and sessions that expired or were revoked are deleted
 * a day later, by the next sign-in on the site. Refresh rotates within its row: it is not
 * limited, and a rotated refresh token stays refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../moderation/limits.js';
import { http } from '../support/clients.js';
import { LIFTED_RATE_LIMITS, startTestServer, type TestServer } from '../support/server.js';

const PER_HOUR = 3;
const DAY = 86_400_000;

/** The server's clock, moved by the purge tests. */
let clock = Date.now();
let limited: TestServer;
let open: TestServer;
const api = (server: TestServer) => `${server.url}/api/sites/alpha`;

beforeAll(async () => {
  [limited, open] = await Promise.all([
    startTestServer({
      now: () => new Date(clock),
      rateLimits: {
        ...LIFTED_RATE_LIMITS,
        sessionsPerAccountPerHour: PER_HOUR,
      },
    }),
    // The test servers' own limits: exchanges are not limited here, so the live-session cap is reached.
    startTestServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([limited?.close(), open?.close()]);
});

async function exchange(server: TestServer, sub: string) {
  const hostToken = await server.sign('alpha', { sub, name: `Member ${sub}` });
  return http(`${api(server)}/session`, { body: { hostToken } });
}

/** The account's stored sessions, oldest first (by the host subject that made the account). */
async function sessionsOf(server: TestServer, sub: string) {
  return server.store.database!.all<{ id: string; revoked_at: string | null }>(
    `SELECT s.id, s.revoked_at FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.site = ? AND u.sub = ? ORDER BY s.created_at, s.id`,
    ['alpha', sub],
  );
}

describe('host-token exchanges, per account', () => {
  it('one account may exchange the configured number an hour, then 429 with Retry-After and nothing stored', async () => {
    for (let i = 0; i < PER_HOUR; i++) expect((await exchange(limited, 'busy')).status).toBe(200);
    const refused = await exchange(limited, 'busy');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/Too many sign-ins/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sessionsOf(limited, 'busy')).toHaveLength(PER_HOUR);

    // Another account is not held back by the first.
    expect((await exchange(limited, 'calm')).status).toBe(200);
  });

  it('a token that proves nobody is refused as before and spends no account budget', async () => {
    const forged = await limited.sign('alpha', { sub: 'forged', name: 'F' }, { secret: 'not-the-site-secret-0123456789abcdef' });
    for (let i = 0; i < PER_HOUR + 1; i++) {
      expect((await http(`${api(limited)}/session`, { body: { hostToken: forged } })).status).toBe(401);
    }
    expect((await exchange(limited, 'forged')).status).toBe(200);
  });

  it('refresh adds no row and is not limited; a rotated refresh token is still refused', async () => {
    const first = await exchange(limited, 'refresher');
    let refreshToken: string = first.body.refreshToken;
    for (let i = 0; i < PER_HOUR + 2; i++) {
      const next = await http(`${api(limited)}/session/refresh`, { body: { refreshToken } });
      expect(next.status).toBe(200);
      const replay = await http(`${api(limited)}/session/refresh`, { body: { refreshToken } });
      expect(replay.status).toBe(401);
      refreshToken = next.body.refreshToken;
    }
    expect(await sessionsOf(limited, 'refresher')).toHaveLength(1);
  });
});

describe('live sessions per account', () => {
  it(`an account keeps its ${LIMITS.liveSessionsPerAccountMax} newest sessions; the oldest is revoked and its tokens die`, async () => {
    const max = LIMITS.liveSessionsPerAccountMax;
    const first = await exchange(open, 'many-devices');
    expect(first.status).toBe(200);
    for (let i = 1; i < max; i++) expect((await exchange(open, 'many-devices')).status).toBe(200);
    expect((await sessionsOf(open, 'many-devices')).filter((s) => s.revoked_at === null)).toHaveLength(max);
    expect((await http(`${api(open)}/me`, { token: first.body.accessToken })).status).toBe(200);

    const newest = await exchange(open, 'many-devices');
    expect(newest.status).toBe(200);
    const rows = await sessionsOf(open, 'many-devices');
    expect(rows.filter((s) => s.revoked_at === null)).toHaveLength(max);
    expect(rows.filter((s) => s.revoked_at !== null)).toHaveLength(1);
    expect((await http(`${api(open)}/me`, { token: first.body.accessToken })).status).toBe(401);
    expect((await http(`${api(open)}/session/refresh`, { body: { refreshToken: first.body.refreshToken } })).status).toBe(401);
    expect((await http(`${api(open)}/me`, { token: newest.body.accessToken })).status).toBe(200);
  });
});

describe('ended sessions are deleted a day later', () => {
  it('revoked and expired sessions go, live ones stay and still refresh', async () => {
    const live = await exchange(limited, 'stays');
    const expiring = await exchange(limited, 'expires');
    const leaving = await exchange(limited, 'signs-out');
    expect((await http(`${api(limited)}/session/sign-out-everywhere`, { method: 'POST', token: leaving.body.accessToken })).status).toBe(200);

    // A day and an hour later the next sign-in (anyone's) deletes the session revoked yesterday.
    clock += DAY + 3_600_000;
    expect((await exchange(limited, 'purger-1')).status).toBe(200);
    expect(await sessionsOf(limited, 'signs-out')).toHaveLength(0);
    expect(await sessionsOf(limited, 'expires')).toHaveLength(1);
    expect(await sessionsOf(limited, 'stays')).toHaveLength(1);
    // The live one refreshes (which moves its expiry on); the other is left to expire.
    const refreshed = await http(`${api(limited)}/session/refresh`, { body: { refreshToken: live.body.refreshToken } });
    expect(refreshed.status).toBe(200);

    // Thirty days after it was made the unrefreshed session has expired; a day after that it goes.
    clock += 29 * DAY + 12 * 3_600_000;
    expect((await http(`${api(limited)}/session/refresh`, { body: { refreshToken: expiring.body.refreshToken } })).status).toBe(401);
    expect((await exchange(limited, 'purger-2')).status).toBe(200);
    expect(await sessionsOf(limited, 'expires')).toHaveLength(1);
    const again = await http(`${api(limited)}/session/refresh`, { body: { refreshToken: refreshed.body.refreshToken } });
    expect(again.status).toBe(200);
    clock += DAY;
    expect((await exchange(limited, 'purger-3')).status).toBe(200);
    expect(await sessionsOf(limited, 'expires')).toHaveLength(0);
    expect(await sessionsOf(limited, 'stays')).toHaveLength(1);
    expect((await http(`${api(limited)}/session/refresh`, { body: { refreshToken: again.body.refreshToken } })).status).toBe(200);
  });
});
