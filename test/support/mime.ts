/**
 * Just enough MIME for tests to read what the SMTP sink received from nodemailer: unfolded headers
 * (RFC 2047 encoded words decoded), and the text and HTML parts of a multipart/alternative message
 * (quoted-printable, base64 or plain), as UTF-8.
 */
export interface ReadMail {
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string | null;
}

function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const soft = body.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_w, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
}

function splitHead(raw: string): { headers: Record<string, string>; body: string } {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end >= 0 ? normalised.slice(0, end) : normalised;
  const body = end >= 0 ? normalised.slice(end + 2) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

export function readMail(raw: string): ReadMail {
  const { headers, body } = splitHead(raw);
  const type = headers['content-type'] ?? 'text/plain';
  let text = '';
  let html: string | null = null;
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const parsed = splitHead(part.replace(/^\n/, ''));
      const content = decodeBody(parsed.headers, parsed.body).replace(/\n$/, '');
      if ((parsed.headers['content-type'] ?? '').startsWith('text/html')) html = content;
      else if ((parsed.headers['content-type'] ?? '').startsWith('text/plain')) text = content;
    }
  } else {
    text = decodeBody(headers, body);
  }
  return { headers, subject: headers.subject ?? '', text, html };
}
