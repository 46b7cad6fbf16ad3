/**
 * Turns a comment's HTML (Disqus messages, WordPress comment content) into Parley's safe
 * Markdown subset: paragraphs, line breaks, emphasis, links (http, https, mailto only),
 * lists, block quotes and inline code. Every other tag is dropped and its text kept;
 * <script>, <style> and similar lose their content too. The result is Markdown source, so
 * the renderer (server/render/markdown.ts) still escapes anything that looks like HTML:
 * imported text can never carry raw HTML into a page.
 */

const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head', 'title']);
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tr', 'pre', 'figure']);
const SAFE_LINK = /^(https?:|mailto:)/i;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', eacute: 'é', egrave: 'è', euml: 'ë', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', copy: '©', euro: '€' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

function attr(attrs: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : null;
}

/**
 * @param newlinesAreBreaks WordPress stores comments as typed (a blank line is a paragraph,
 *   a newline a line break) and adds <p> only when displaying; Disqus stores real HTML.
 */
export function htmlToMarkdown(html: string, options: { newlinesAreBreaks?: boolean } = {}): string {
  let out = '';
  const links: Array<string | null> = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let quoteDepth = 0;
  let dropping: string | null = null;
  const lineStart = () => '> '.repeat(quoteDepth);
  const newline = (count: 1 | 2) => {
    // Nothing on this line yet but its quote markers: a new block starts here already.
    if (quoteDepth && /(^|\n)(> )+$/.test(out)) return;
    out = out.replace(/[ \t]+$/, '');
    const have = /\n*$/.exec(out)![0].length;
    if (out.length === 0) return;
    out += '\n'.repeat(Math.max(0, count - have));
    if (quoteDepth) out = out.replace(/\n(?!> )$/, `\n${lineStart()}`);
  };
  const text = (raw: string) => {
    let t = decodeEntities(raw);
    if (options.newlinesAreBreaks) {
      t = t.replace(/\r\n?/g, '\n').replace(/\n{2,}/g, '\u0000P').replace(/\n/g, '\u0000B');
    } else {
      t = t.replace(/\s+/g, ' ');
    }
    if (/\n$/.test(out) || out.length === 0) t = t.replace(/^ +/, '');
    for (const piece of t.split(/(\u0000[PB])/)) {
      if (piece === '\u0000P') newline(2);
      else if (piece === '\u0000B') newline(1);
      else out += piece;
    }
  };

  const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)|</g;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    const [, closing, rawName, attrs = '', chars] = m;
    if (chars !== undefined || m[0] === '<') {
      if (!dropping) text(chars ?? '<');
      continue;
    }
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (dropping) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !attrs.trim().endsWith('/')) dropping = name;
      continue;
    }
    switch (name) {
      case 'br':
        newline(1);
        break;
      case 'strong':
      case 'b':
        out += '**';
        break;
      case 'em':
      case 'i':
        out += '_';
        break;
      case 'code':
        out += '`';
        break;
      case 'a':
        if (!closing) {
          const href = attr(attrs, 'href');
          const safe = href && SAFE_LINK.test(href.trim()) ? href.trim().replace(/[()\s]/g, encodeURIComponent) : null;
          links.push(safe);
          if (safe) out += '[';
        } else {
          const href = links.pop();
          if (href) out += `](${href})`;
        }
        break;
      case 'blockquote':
        if (closing) {
          out = out.replace(/(\n(> )*)+$/, '');
          quoteDepth = Math.max(0, quoteDepth - 1);
          newline(2);
        } else {
          newline(2);
          quoteDepth++;
          out += lineStart();
        }
        break;
      case 'ul':
      case 'ol':
        newline(2);
        if (closing) lists.pop();
        else lists.push({ ordered: name === 'ol', n: 0 });
        break;
      case 'li':
        if (!closing) {
          newline(1);
          const list = lists[lists.length - 1];
          const indent = '   '.repeat(Math.max(0, lists.length - 1));
          out += `${lineStart()}${indent}${list?.ordered ? `${++list.n}. ` : '- '}`;
        }
        break;
      default:
        if (BLOCKS.has(name)) newline(2);
    }
  }
  return out
    .replace(/\*\*\*\*|__(?!_)/g, '') // emphasis around nothing
    .replace(/\[\]\([^)]*\)/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
