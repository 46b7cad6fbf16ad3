/**
 * Where a Parley session's refresh token is kept (localStorage), per server and site. In the
 * first-render bundle only so that the widget knows, without loading the identity chunk,
 * whether there is a session to resume. Storage may be unavailable (privacy modes, sandboxed
 * frames): then there is no stored session.
 */
export function sessionKey(server: string, site: string): string {
  return `parley-session:${new URL(server || import.meta.url).origin}:${site}`;
}

export function storedSession(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
