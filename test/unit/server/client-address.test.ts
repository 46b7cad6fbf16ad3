/**
 * The trust-proxy setting as operators write it (PARLEY_TRUST_PROXY, config file) and the
 * client address it yields; the public URL's shape. The behaviour behind a real proxy is in
 * test/integration/proxy.test.ts.
 */
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressResolver, parseTrustProxy } from '../../../server/http/client-address.js';
import { loadConfig } from '../../../server/config.js';

function request(peer: string, forwardedFor?: string): http.IncomingMessage {
  return { socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} } as unknown as http.IncomingMessage;
}

describe('trustProxy', () => {
  it('reads true/false, hop counts and lists of addresses, ranges and names', () => {
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8 ,fd00::/8')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => parseTrustProxy('proxy.example.org')).toThrow();
  });

  it('takes the nearest forwarded address not added by a trusted proxy', () => {
    const forwarded = '203.0.113.9, 198.51.100.7, 10.0.0.2';
    expect(addressResolver(false)(request('10.0.0.1', forwarded))).toBe('10.0.0.1');
    expect(addressResolver(1)(request('10.0.0.1', forwarded))).toBe('10.0.0.2');
    expect(addressResolver(['10.0.0.0/8'])(request('10.0.0.1', forwarded))).toBe('198.51.100.7');
    expect(addressResolver(true)(request('10.0.0.1', forwarded))).toBe('203.0.113.9');
    // A peer that is not trusted: its header is ignored, whatever it says.
    expect(addressResolver(['10.0.0.0/8'])(request('192.0.2.50', forwarded))).toBe('192.0.2.50');
    expect(addressResolver('loopback')(request('127.0.0.1', '192.0.2.1'))).toBe('192.0.2.1');
  });
});

describe('loadConfig', () => {
  it('reads PARLEY_TRUST_PROXY over the config file, and defaults to trusting nobody', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-config-'));
    try {
      const file = path.join(dir, 'parley.json');
      fs.writeFileSync(file, JSON.stringify({ trustProxy: ['loopback', '10.1.0.0/16'], publicUrl: 'https://parley.example.org' }));
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ PARLEY_CONFIG: file }).trustProxy).toEqual(['loopback', '10.1.0.0/16']);
      expect(loadConfig({ PARLEY_CONFIG: file }).publicUrl).toBe('https://parley.example.org');
      expect(loadConfig({ PARLEY_CONFIG: file, PARLEY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
      fs.writeFileSync(file, JSON.stringify({ trustProxy: 'not an address' }));
      expect(() => loadConfig({ PARLEY_CONFIG: file })).toThrow(/PARLEY_TRUST_PROXY/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wants the public URL as an http(s) origin without a path', () => {
    expect(loadConfig({ PARLEY_PUBLIC_URL: 'https://parley.example.org' }).publicUrl).toBe('https://parley.example.org');
    expect(loadConfig({ PARLEY_PUBLIC_URL: 'http://10.0.0.5:3000/' }).publicUrl).toBe('http://10.0.0.5:3000/');
    expect(() => loadConfig({ PARLEY_PUBLIC_URL: 'https://example.org/parley' })).toThrow(/no path/);
    expect(() => loadConfig({ PARLEY_PUBLIC_URL: 'ftp://example.org' })).toThrow(/PARLEY_PUBLIC_URL/);
    expect(() => loadConfig({ PARLEY_PUBLIC_URL: 'parley.example.org' })).toThrow(/PARLEY_PUBLIC_URL/);
  });
});
