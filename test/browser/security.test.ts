import { expect } from '@open-wc/testing';
import { sanitizePostHtml } from '../../widget/sanitize.js';
import { articleWith, mount, restPost, root, sign, unique } from './helpers.js';

const HOSTILE = [
  '<img src=x onerror="window.__pwned = 1">',
  '<script>window.__pwned = 2</script>',
  '<a href="javascript:window.__pwned = 3">click me</a>',
  '[x](javascript:alert(1))',
  '<svg onload="window.__pwned = 4"></svg>',
];

describe('post bodies are inert', () => {
  it('renders hostile bodies from the server as text, with no live markup', async () => {
    const topic = unique('xss');
    const token = await sign('Mallory');
    for (const body of HOSTILE) await restPost(token, { topic, body });
    await restPost(token, { topic, body: 'A [safe link](https://example.org) stays a link' });
    const el = await mount({ topic });
    const shadow = root(el);

    expect(shadow.querySelectorAll('img, script, svg, iframe, object')).to.have.length(0);
    for (const a of shadow.querySelectorAll('a')) {
      expect(a.getAttribute('href') ?? '').to.not.match(/^\s*javascript:/i);
    }
    for (const el2 of shadow.querySelectorAll('.body *')) {
      for (const attr of el2.getAttributeNames()) expect(attr).to.not.match(/^on/i);
    }
    // People still see what was written, as text.
    expect(articleWith(el, '<img src=x onerror=')).to.not.equal(undefined);
    expect(articleWith(el, '<script>window.__pwned = 2</script>')).to.not.equal(undefined);
    expect(articleWith(el, '[x](javascript:alert(1))')).to.not.equal(undefined);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);

    const safe = articleWith(el, 'stays a link')!.querySelector('a')!;
    expect(safe.getAttribute('href')).to.equal('https://example.org');
    expect(safe.getAttribute('rel')).to.equal('nofollow ugc noopener');
    expect(safe.getAttribute('target')).to.equal('_blank');
  });

  it('sanitises HTML even if the server were to send it raw', () => {
    const dirty =
      '<p onclick="x()">Hi <img src=x onerror=alert(1)><script>alert(2)</script>' +
      '<a href="javascript:alert(3)">js</a> <a href="data:text/html,x">data</a> ' +
      '<a href="https://ok.example" style="color:red" data-x="1" aria-hidden="true">ok</a> <a href="mailto:a@b.example">mail</a>' +
      '<iframe src="https://evil.example"></iframe><h1>big</h1><em>kept</em></p>';
    const host = document.createElement('div');
    host.innerHTML = sanitizePostHtml(dirty);
    expect(host.querySelectorAll('img, script, iframe, h1')).to.have.length(0);
    expect(host.querySelector('p')!.hasAttribute('onclick')).to.equal(false);
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([null, null, 'https://ok.example', 'mailto:a@b.example']);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('nofollow ugc noopener');
      expect(a.getAttribute('target')).to.equal('_blank');
      expect(a.getAttributeNames().sort()).to.deep.equal(a.hasAttribute('href') ? ['href', 'rel', 'target'] : ['rel', 'target']);
    }
    expect(host.querySelector('em')!.textContent).to.equal('kept');
    expect(host.textContent).to.contain('big');
  });
});
