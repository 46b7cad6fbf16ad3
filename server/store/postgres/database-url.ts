/**
 * Database URLs: which ones name PostgreSQL, and how to show one without its password (logs,
 * error messages). Kept apart from the store so configuration code can use it cheaply.
 */

/** True for a URL that names a PostgreSQL database (postgres:// or postgresql://). */
export function isPostgresUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url.trim());
}

/** The URL with its password (and any password-like parameter) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/**
 * An error for `error` that names the database by its redacted URL and carries no password,
 * keeping PostgreSQL's error code (e.g. '28P01', '3D000').
 */
export function redactedDatabaseError(error: unknown, url: string): Error {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // Not a URL: nothing more to scrub than the URL itself.
  }
  const scrub = (text: string): string => {
    let out = text.split(url).join(redactDatabaseUrl(url));
    if (password) out = out.split(password).join('***');
    return out;
  };
  const message = scrub(error instanceof Error ? error.message : String(error));
  const wrapped = new Error(`PostgreSQL at ${redactDatabaseUrl(url)}: ${message}`);
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== undefined) Object.assign(wrapped, { code });
  return wrapped;
}
