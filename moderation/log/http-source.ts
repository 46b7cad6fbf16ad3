/**
 * The audit log as a Parley server's HTTP API serves it (`/api/sites/:site/log/…`), read with
 * the `fetch` the caller passes in: the browser's in `<parley-audit-log>`, Node's in `parley verify`,
 * a test's own. The domain does no I/O by itself; this only says which URLs mean what.
 */
import type { AuditLogSource, KeyInfo, LogEntryRecord } from './audit-verifier.js';

/** The one thing the source needs of `fetch`. */
export type FetchFunction = (url: string, init?: RequestInit) => Promise<Response>;

async function getJson<T>(fetchFn: FetchFunction, url: string): Promise<T> {
  const res = await fetchFn(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The HTTP API of a Parley server (`server` is its base URL). */
export function httpLogSource(server: string, site: string, fetchFn: FetchFunction): AuditLogSource {
  const base = `${server.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}/log`;
  return {
    async checkpoint() {
      const res = await fetchFn(`${base}/checkpoint`, { headers: { accept: 'text/plain' }, cache: 'no-store' });
      if (!res.ok) throw new Error(`${base}/checkpoint: HTTP ${res.status}`);
      return res.text();
    },
    async entries(start, end) {
      return (await getJson<{ entries: LogEntryRecord[] }>(fetchFn, `${base}/entries?start=${start}&end=${end}`)).entries;
    },
    async consistencyProof(from, to) {
      return (await getJson<{ proof: string[] }>(fetchFn, `${base}/proof/consistency?from=${from}&to=${to}`)).proof;
    },
    async inclusionProof(index, size) {
      return (await getJson<{ proof: string[] }>(fetchFn, `${base}/proof/inclusion?index=${index}&size=${size}`)).proof;
    },
    async keys() {
      return getJson<{ origin: string | null; keys: KeyInfo[] }>(fetchFn, `${base}/keys`);
    },
  };
}
