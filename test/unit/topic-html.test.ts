/**
 * The second layer of the topic's HTML rendition (server/render/topic-html.ts): markup the
 * server's Markdown renderer would never write is shown as text, links keep only safe targets,
 * and the JSON-LD cannot end its script. (The first layer, markdown-it, is covered end to end
 * in test/integration/topic-html.test.ts; here the allow-list meets markup directly.)
 */
import { describe, expect, it } from 'vitest';
import { allowListed, plainText, scriptSafeJson } from '../../server/render/topic-html.js';

describe('allowListed', () => {
  it('keeps the tags the renderer writes', () => {
    const html = '<p>a <em>b</em> <strong>c</strong> <code>d</code><br>\ne</p>\n<ul>\n<li>x</li>\n</ul>\n<ol><li>y</li></ol><blockquote><p>q</p></blockquote>';
    expect(allowListed(html)).toBe(html);
    expect(allowListed('<a href="https://example.org/x?a=1&amp;b=2" rel="nofollow ugc noopener" target="_blank">l</a>')).toBe(
      '<a href="https://example.org/x?a=1&amp;b=2" rel="nofollow ugc noopener" target="_blank">l</a>',
    );
  });

  it('shows anything else as text: attributes, unknown tags, scripts, comments, unsafe links', () => {
    for (const hostile of [
      '<p onclick="alert(1)">x</p>',
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<svg><animate onbegin=alert(1)>',
      '<!-- <script> -->',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="&#106;avascript:alert(1)">x</a>',
      '<a href="data:text/html,x">x</a>',
      '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
      '<p',
    ]) {
      const out = allowListed(hostile);
      expect(out, hostile).not.toMatch(/<(?!\/?(p|em|strong|ul|ol|li|blockquote|code|br)>|\/a>|a href="https:\/\/ok)/);
      expect(out, hostile).not.toMatch(/<[^>]*\son\w+=/);
    }
  });
});

describe('plainText and scriptSafeJson', () => {
  it('turns post HTML into words for structured data', () => {
    expect(plainText('<p>Tom &amp; Jerry &lt;3</p>\n<p>second<br>\nline</p>')).toBe('Tom & Jerry <3\n\nsecond\nline');
  });

  it('writes JSON that no string can end the script with', () => {
    const json = scriptSafeJson({ text: '</script><script>alert(1)</script> <!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json).text).toBe('</script><script>alert(1)</script> <!-- & \u2028');
  });
});
