/** The import readers on their own: HTML to safe Markdown, topic ids from page URLs, encodings. */
import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from '../../../server/import/html-to-markdown.js';
import { topicIdForUrl } from '../../../server/import/source.js';
import { decodeXml, readXmlRecords } from '../../../server/import/xml-records.js';
import { renderMarkdown } from '../../../server/render/markdown.js';

describe('htmlToMarkdown', () => {
  it('keeps paragraphs, breaks, emphasis, safe links, quotes and lists', () => {
    expect(htmlToMarkdown('<p>One <strong>two</strong> <em>three</em></p><p>a<br/>b</p>')).toBe('One **two** _three_\n\na\nb');
    expect(htmlToMarkdown('<a href="https://x.example/a b">x</a> <a href="mailto:a@b.example">mail</a>')).toBe('[x](https://x.example/a%20b) [mail](mailto:a@b.example)');
    expect(htmlToMarkdown('<blockquote><p>said</p></blockquote><p>reply</p>')).toBe('> said\n\nreply');
    expect(htmlToMarkdown('<ol><li>first</li><li>second</li></ol>')).toBe('1. first\n2. second');
  });

  it('never lets HTML through: scripts and styles vanish with their content, other tags leave their text', () => {
    const markdown = htmlToMarkdown('<p onclick="x()">hi<script>alert(1)</script><style>p{}</style><iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a> &lt;b&gt;</p>');
    expect(markdown).toBe('hilink <b>');
    const html = renderMarkdown(markdown);
    expect(html).not.toMatch(/<script|<img|<iframe|<b>|javascript:|onerror|onclick/);
    expect(html).toContain('&lt;b&gt;');
  });

  it('reads WordPress comments as typed: a blank line is a paragraph, a newline a break', () => {
    expect(htmlToMarkdown('one\r\n\r\ntwo\nthree', { newlinesAreBreaks: true })).toBe('one\n\ntwo\nthree');
    expect(htmlToMarkdown('caf&eacute; &#233; &#x1F600; &#0;')).toBe('café é 😀');
  });
});

describe('topicIdForUrl', () => {
  it('is the host and path, whatever the scheme, www, trailing slash or fragment', () => {
    expect(topicIdForUrl('https://www.example.org/news/a-day/')).toBe('example.org/news/a-day');
    expect(topicIdForUrl('http://example.org/news/a-day#comments')).toBe('example.org/news/a-day');
  });

  it('adds a hash when it had to change the URL, so different pages never share a topic', () => {
    const a = topicIdForUrl('https://example.org/?p=1')!;
    const b = topicIdForUrl('https://example.org/?p=2')!;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^example\.org-[0-9a-f]{8}$/);
    expect(topicIdForUrl('https://asso.example/réunion-été/')).toMatch(/^asso\.example\/reunion-ete-[0-9a-f]{8}$/);
    expect(topicIdForUrl(`https://example.org/${'x'.repeat(300)}`)!.length).toBeLessThanOrEqual(128);
    expect(topicIdForUrl('javascript:alert(1)')).toBeNull();
    expect(topicIdForUrl('not a url')).toBeNull();
  });
});

describe('XML reading', () => {
  it('decodes what the declaration says, and refuses bytes that do not match it', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>', 'latin1');
    expect(decodeXml(latin1)).toContain('café');
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>caf\xe9</a>', 'latin1'))).toThrow(/not valid utf-8/);
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'))).toThrow(/cannot read/);
    expect(decodeXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>é</a>', 'utf16le')]))).toBe('<a>é</a>');
  });

  it('refuses DTDs and undeclared entities, and bounds depth and field length', () => {
    expect(() => readXmlRecords('<!DOCTYPE a [<!ENTITY e "x">]><a><r>&e;</r></a>', (p) => p.length === 2)).toThrow(/DOCTYPE/);
    expect(() => readXmlRecords('<a><r><f>&e;</f></r></a>', (p) => p.length === 2)).toThrow(/entity/i);
    expect(() => readXmlRecords(`<a>${'<b>'.repeat(40)}${'</b>'.repeat(40)}</a>`, () => false)).toThrow(/deeper/);
    expect(() => readXmlRecords(`<a><r><f>${'x'.repeat(50)}</f></r></a>`, (p) => p.length === 2, { maxDepth: 10, maxRecords: 10, maxFieldChars: 20 })).toThrow(/longer/);
  });

  it('collects records as flat fields, attributes of children included', () => {
    const [record] = readXmlRecords('<d><post id="1"><author><name>A</name></author><thread ref="7"/><m><![CDATA[<p>x</p>]]></m></post></d>', (p) => p.length === 2);
    expect(record!.attrs).toEqual({ id: '1' });
    expect(Object.fromEntries(record!.fields)).toEqual({ 'author/name': 'A', 'thread@ref': '7', m: '<p>x</p>' });
  });
});
