/** The check of an allowed origin as an organisation types it (moderation/site-schemas.ts). */
import { describe, expect, it } from 'vitest';
import { checkOrigin, checkOrigins, originHints } from '../../../moderation/site-schemas.js';

describe('checkOrigin', () => {
  it('normalises what is an origin', () => {
    expect(checkOrigin(' https://Example.org ')).toEqual({ origin: 'https://example.org' });
    expect(checkOrigin('https://example.org:443/')).toEqual({ origin: 'https://example.org' });
    expect(checkOrigin('https://example.org:8443')).toEqual({ origin: 'https://example.org:8443' });
    expect(checkOrigin('http://localhost:5173')).toEqual({ origin: 'http://localhost:5173' });
    expect(checkOrigin('http://127.0.0.1:8080')).toEqual({ origin: 'http://127.0.0.1:8080' });
    expect(checkOrigin('http://forum.localhost')).toEqual({ origin: 'http://forum.localhost' });
  });

  it('refuses what is not, saying how to write it', () => {
    const problem = (text: string) => {
      const checked = checkOrigin(text);
      return 'problem' in checked ? checked.problem : null;
    };
    expect(problem('http://example.org')).toContain('write https://example.org');
    expect(problem('https://example.org/forum')).toContain('without a path: https://example.org');
    expect(problem('https://example.org/?x=1')).toContain('without a path');
    expect(problem('https://example.org/#top')).toContain('without a path');
    expect(problem('example.org')).toContain('with its scheme');
    expect(problem('ftp://example.org')).toContain('https://');
    expect(problem('https://me:pw@example.org')).toContain('no user name or password');
    expect(problem('*')).toContain('any web page');
    expect(problem('')).toContain('not a web address');
  });

  it('names each bad origin of a list by its place and keeps the good ones once', () => {
    expect(checkOrigins(['https://a.example', 'https://a.example:443'])).toEqual({ origins: ['https://a.example'] });
    const checked = checkOrigins(['https://a.example', 'http://b.example', 'c'], 'site.origins');
    expect('issues' in checked && checked.issues.map((i) => i.path)).toEqual(['site.origins.1', 'site.origins.2']);
  });
});

describe('originHints', () => {
  it('points out www and the bare domain, and unusual ports; not for local addresses', () => {
    expect(originHints(['https://www.a.example', 'https://a.example'])).toEqual([]);
    expect(originHints(['https://www.a.example'])).toEqual([
      'If your pages also open at https://a.example, add it too: https://www.a.example and https://a.example are different origins.',
    ]);
    expect(originHints(['https://a.example:8443', 'https://www.a.example:8443']).join(' ')).toContain('only matches pages on port 8443');
    expect(originHints(['http://localhost:3000', 'http://127.0.0.1:8080'])).toEqual([]);
  });
});
