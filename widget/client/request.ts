/**
 * One JSON request to the Parley server, as every widget client makes it: bearer token,
 * timeout, and an `Outcome` — the answer, or a `Failure` with a code the widget words for
 * people (never a thrown error).
 */
import { failure, isFailure, type Outcome } from './outcome.js';

export interface JsonRequest {
  token?: string | null;
  body?: unknown;
  timeoutMs?: number;
}

export async function requestJson<T>(method: string, url: string, opts: JsonRequest = {}): Promise<Outcome<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
  } catch (err) {
    // Not shown to people: the widget words failures from their codes.
    return failure((err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network', String(err));
  }
  const data: unknown = await res.json().catch(() => null);
  if (res.ok && data !== null) return data as T;
  // "204 No Content" (a DELETE, say): done, with nothing to say.
  if (res.status === 204) return {} as T;
  if (isFailure(data)) return data;
  // A gateway without a Parley behind it: the request did not reach the server.
  const unreachable = res.status === 502 || res.status === 503 || res.status === 504;
  return failure(unreachable ? 'network' : 'internal', `HTTP ${res.status}`);
}
