/**
 * The real server the browser tests talk to (its address is injected by run.ts), host
 * tokens signed in the browser with jose, REST seeding, and waiting. No widget code here:
 * bundle.test.ts uses these next to the built dist/parley.js.
 */
import { waitUntil } from '@open-wc/testing';
import { SignJWT } from 'jose';
import type { CreatePostInput } from '../../moderation/schemas.js';
import type { Post, TopicPage } from '../../moderation/types.js';

interface TestEnv {
  server: string;
  site: string;
  /** A site without a secret, whose members sign in by email. */
  emailSite: string;
  secret: string;
}

export const env: TestEnv = (() => {
  const value = (window as unknown as { __PARLEY_TEST__?: TestEnv | null }).__PARLEY_TEST__;
  if (!value) throw new Error('window.__PARLEY_TEST__ is missing: run the browser tests with test/browser/run.ts');
  return value;
})();

let counter = 0;
/** A name unique to this test run, for topics and accounts. */
export function unique(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A host-site token, as the host page would mint it (HS256, short-lived). */
export async function sign(name: string, sub = unique('user'), secret = env.secret): Promise<string> {
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(env.site)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

/** A host token with extra claims, e.g. `affiliation: {company, jobTitle}` or `professional: {profession}`. */
export async function signWith(claims: Record<string, unknown> & { name: string }, sub = unique('user')): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(env.site)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(env.secret));
}

/** Another client posting over REST: returns the stored post, or throws with the error body. */
export async function restPost(token: string, input: Partial<CreatePostInput> & { topic: string; body: string }): Promise<Post> {
  const res = await fetch(`${env.server}/api/sites/${env.site}/posts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ idempotencyKey: crypto.randomUUID(), ...input }),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`POST /posts ${res.status}: ${JSON.stringify(data)}`);
  return data.post as Post;
}

export async function fetchPage(topic: string, query = ''): Promise<TopicPage> {
  const res = await fetch(`${env.server}/api/sites/${env.site}/topics/${encodeURIComponent(topic)}/posts?${query}`);
  return res.json();
}

/** waitUntil with a useful message and a timeout that suits a real server. */
export function until(predicate: () => unknown, message: string, timeout = 15_000): Promise<void> {
  return waitUntil(async () => Boolean(await predicate()), message, { timeout, interval: 25 });
}

