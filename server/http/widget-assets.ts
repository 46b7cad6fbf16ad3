/**
 * The widget's files, as host pages load them: `/parley.js` (the one script tag) and the lazy
 * chunks it imports from `/assets/<name>-<hash>.js`, all from the build output (dist/); and
 * `/parley-count.js`, the separate entry for listing pages, served like `/parley.js`.
 *
 * - Compressed once per file version and encoding (on its first request), with brotli at its
 *   best quality (11) or gzip 9, and kept in memory: measured on parley.js (81 kB), brotli 11
 *   gives 26.9 kB where the compression middleware's on-the-fly brotli 4 gives 30.7 kB and gzip
 *   30.6 kB, but brotli 11 takes about 110 ms, too slow per request and fine once. The work
 *   runs in libuv's thread pool and is shared by requests arriving meanwhile.
 * - `/parley.js` (and `/parley-count.js`) keep their stable names (host pages reference them): `Cache-Control: no-cache`
 *   with an ETag, so browsers revalidate and get a 304 while it is unchanged. Chunks are named
 *   by their content hash, so they are cached for a year and `immutable`.
 * - Served with `Access-Control-Allow-Origin: *`: host pages on other origins import them as
 *   module scripts. The representation varies by `Accept-Encoding` (say so in `Vary`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import express, { type Request, type Response } from 'express';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const WIDGET_CACHE = {
  entry: 'no-cache',
  chunk: 'public, max-age=31536000, immutable',
} as const;

type Encoding = 'br' | 'gzip' | 'identity';

interface Variants {
  key: string;
  etag: string;
  identity: Buffer;
  /** Each compressed form is made when first asked for: a client taking gzip never waits for brotli 11. */
  compressed: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer>>>;
}

function compress(body: Buffer, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { level: 9 });
}

/** Chunk names as the build writes them (vite.config.ts `chunkFileNames`); nothing else is looked up on disk. */
const CHUNK_NAME = /^[A-Za-z0-9_.-]{1,120}-[A-Za-z0-9_-]{6,}\.js(\.map)?$/;

export function widgetAssets(distDir: string): express.Router {
  const router = express.Router();
  const cache = new Map<string, Promise<Variants>>();

  /** The file's variants, (re)compressed when the file changed (a rebuild while running). */
  async function variantsOf(file: string): Promise<Variants | null> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const key = `${stat.size}:${stat.mtimeMs}`;
    let found = cache.get(file);
    if (found) {
      const variants = await found.catch(() => null);
      if (variants?.key === key) return variants;
    }
    found = (async () => {
      const identity = await fs.promises.readFile(file);
      const etag = crypto.createHash('sha256').update(identity).digest('base64url').slice(0, 22);
      return { key, etag, identity, compressed: {} };
    })();
    cache.set(file, found);
    return found;
  }

  async function send(req: Request, res: Response, file: string, cacheControl: string): Promise<boolean> {
    const variants = await variantsOf(file);
    if (!variants) return false;
    // Prefer brotli, then gzip; identity only when the client accepts neither.
    const accepted = req.acceptsEncodings('br', 'gzip', 'identity');
    const encoding: Encoding = accepted === 'br' || accepted === 'gzip' ? accepted : 'identity';
    let body = variants.identity;
    if (encoding !== 'identity') {
      const pending = (variants.compressed[encoding] ??= compress(variants.identity, encoding));
      // A failure is not kept: the next request tries again.
      body = await pending.catch((error: unknown) => {
        if (variants.compressed[encoding] === pending) delete variants.compressed[encoding];
        throw error;
      });
    }
    const etag = `"${variants.etag}${encoding === 'identity' ? '' : `-${encoding === 'br' ? 'br' : 'gz'}`}"`;
    res.setHeader('Content-Type', file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', etag);
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return true;
    }
    res.setHeader('Content-Length', String(body.length));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
    return true;
  }

  // Listing pages load only <parley-count> (issue 10), a second entry that never pulls the discussion's code.
  router.get(['/parley.js', '/parley-count.js'], (req, res, next) => {
    const file = req.path === '/parley-count.js' ? 'parley-count.js' : 'parley.js';
    send(req, res, path.join(distDir, file), WIDGET_CACHE.entry).then((sent) => sent || next(), next);
  });
  router.get('/assets/:name', (req, res, next) => {
    const name = String(req.params.name);
    if (!CHUNK_NAME.test(name)) return next();
    send(req, res, path.join(distDir, 'assets', name), WIDGET_CACHE.chunk).then((sent) => sent || next(), next);
  });
  return router;
}
