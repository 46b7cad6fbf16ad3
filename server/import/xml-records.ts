/**
 * Reads the records of an export file (Disqus <thread>/<post>, WordPress <item>/<wp:comment>)
 * from XML in one streaming pass, without building a document tree: each record becomes a
 * flat map of its child elements' text. Hostile files are refused, not survived:
 * - a DOCTYPE is refused outright, so no external entity is ever fetched (XXE) and no
 *   declared entity is ever expanded ("billion laughs"); saxes itself expands neither;
 * - nesting depth, record count and field length are bounded;
 * - the bytes are decoded as the XML declaration says (UTF-8, UTF-16 with a BOM, ISO-8859-1,
 *   Windows-1252, ISO-8859-15 and the other encodings the WHATWG decoder knows), and a
 *   file whose bytes do not match its declaration is refused rather than garbled.
 */
import { SaxesParser } from 'saxes';

export interface XmlRecord {
  /** Element name as written, prefix included ('post', 'wp:comment'). */
  name: string;
  attrs: Record<string, string>;
  /** Text of descendant elements by relative path ('author/name'); attributes as 'path@attr'. */
  fields: Map<string, string>;
  /** Index of the enclosing record, or null. */
  parent: number | null;
  /** Line where the record starts (for problems reported to the admin). */
  line: number;
}

export interface XmlLimits {
  maxDepth: number;
  maxRecords: number;
  maxFieldChars: number;
}

export const XML_LIMITS: XmlLimits = { maxDepth: 32, maxRecords: 500_000, maxFieldChars: 1_000_000 };

/** A file that cannot be read; the message says what is wrong and where. */
export class ImportFileError extends Error {}

const DECLARATION = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;

/** Decodes the file's bytes as its BOM or XML declaration says. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode(bytes.subarray(2), 'utf-16be');
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = DECLARATION.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  if (declared.startsWith('utf-16')) throw new ImportFileError(`The file declares ${declared} but has no byte-order mark.`);
  return decode(bytes, declared);
}

function decode(bytes: Uint8Array, label: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new ImportFileError(`The file declares the encoding "${label}", which Parley cannot read; save it as UTF-8.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ImportFileError(`The file is not valid ${label} (its bytes do not match the encoding it declares).`);
  }
}

/** Streams `xml` and returns every element for which `isRecord(path)` holds, as a flat record. */
export function readXmlRecords(xml: string, isRecord: (path: readonly string[]) => boolean, limits: XmlLimits = XML_LIMITS): XmlRecord[] {
  const parser = new SaxesParser({ position: true });
  const records: XmlRecord[] = [];
  const path: string[] = [];
  // For each open element: the record it belongs to, and its path relative to that record.
  const stack: Array<{ record: number | null; rel: string | null }> = [];
  let failure: Error | null = null;
  const fail = (message: string) => {
    if (!failure) failure = new ImportFileError(`Line ${parser.line}: ${message}`);
  };

  parser.on('doctype', () => fail('the file declares a DOCTYPE; Parley refuses DTDs and custom entities in imports.'));
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    if (path.length > limits.maxDepth) return fail(`elements nest deeper than ${limits.maxDepth} levels.`);
    const outer = stack.length ? stack[stack.length - 1]! : { record: null, rel: null };
    const attrs = Object.fromEntries(Object.entries(tag.attributes as Record<string, string>));
    if (isRecord(path)) {
      if (records.length >= limits.maxRecords) return fail(`more than ${limits.maxRecords} records.`);
      records.push({ name: tag.name, attrs, fields: new Map(), parent: outer.record, line: parser.line });
      stack.push({ record: records.length - 1, rel: '' });
      return;
    }
    const rel = outer.rel === null ? null : outer.rel ? `${outer.rel}/${tag.name}` : tag.name;
    stack.push({ record: outer.record, rel });
    if (outer.record !== null && rel !== null) {
      const fields = records[outer.record]!.fields;
      for (const [key, value] of Object.entries(attrs)) fields.set(`${rel}@${key}`, value);
    }
  });
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (!top || top.record === null || !top.rel) return;
    const fields = records[top.record]!.fields;
    const next = (fields.get(top.rel) ?? '') + text;
    if (next.length > limits.maxFieldChars) return fail(`<${path[path.length - 1]}> is longer than ${limits.maxFieldChars} characters.`);
    fields.set(top.rel, next);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    path.pop();
    stack.pop();
  });
  parser.on('error', (error) => fail(error.message.replace(/^[^:]*:\d+:\d+: /, '')));

  const CHUNK = 64 * 1024;
  for (let i = 0; i < xml.length && !failure; i += CHUNK) parser.write(xml.slice(i, i + CHUNK));
  if (!failure) parser.close();
  if (failure) throw failure;
  return records;
}
