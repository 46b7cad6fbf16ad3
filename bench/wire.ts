/**
 * What goes over the wire (`npm run bench -- wire`): bytes of the widget's files and of a
 * topic's first page (JSON), uncompressed, gzip and brotli as the
 * server sends them (each beside gzip -9 and brotli 11 of the same bytes, the bound), and
 * the time they take: the one-off compression of parley.js on its first request after a
 * start, later requests for it, and a topic page with and without compression.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './lib/proc.js';
import { histogram, record, round, summary } from './lib/stats.js';
import { BENCH_SITE, post, posterSocket, startParley } from './lib/targets.js';
import { ensureBundle } from './widget.js';

interface Sent {
  status: number;
  encoding: string;
  bytes: number;
  ms: number;
}

function get(url: string, acceptEncoding: string | null): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http.get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'identity'), bytes, ms: performance.now() - started }));
    }).on('error', reject);
  });
}

function fetchBody(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}

const bestBrotli = (body: Buffer) =>
  zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length;

export async function wire(options: { quick: boolean; log: (line: string) => void }) {
  const build = ensureBundle(options.log);
  const target = await startParley();
  try {
    const site = `${target.url}/api/sites/${BENCH_SITE.id}`;
    // A topic with a full first page of ordinary posts.
    const poster = await posterSocket(target, 'wire-poster');
    for (let i = 0; i < 60; i++) {
      await post(poster, 'wire', `Message ${i}: how are you managing the evenings? We found that a short walk after dinner and the radio on low helps my mother settle; some days nothing helps.`);
    }
    poster.close();

    // The one-off compression of parley.js: its first brotli request after the start.
    const cold = await get(`${target.url}/parley.js`, 'br, gzip');
    const warm = histogram();
    for (let i = 0; i < (options.quick ? 20 : 100); i++) record(warm, (await get(`${target.url}/parley.js`, 'br, gzip')).ms);

    const chunks = fs.readdirSync(path.join(ROOT, 'dist/assets')).filter((name) => name.endsWith('.js'));
    const resources: Array<{ name: string; urls: string[] }> = [
      { name: 'parley.js', urls: [`${target.url}/parley.js`] },
      { name: `lazy chunks (${chunks.length})`, urls: chunks.map((name) => `${target.url}/assets/${name}`) },
      { name: 'a topic\'s first page (JSON)', urls: [`${site}/topics/wire/posts`] },
    ];
    const sizes = [];
    for (const resource of resources) {
      const row = { resource: resource.name, identity: 0, gzip: 0, br: 0, gzip9: 0, br11: 0 };
      for (const url of resource.urls) {
        const body = await fetchBody(url);
        row.identity += body.length;
        row.gzip9 += zlib.gzipSync(body, { level: 9 }).length;
        row.br11 += bestBrotli(body);
        const gz = await get(url, 'gzip');
        const br = await get(url, 'br, gzip');
        row.gzip += gz.bytes;
        row.br += br.bytes;
      }
      sizes.push(row);
    }

    // A topic page: what compressing answers on the fly costs per request.
    const page = { identity: histogram(), br: histogram() };
    for (let i = 0; i < (options.quick ? 30 : 200); i++) {
      record(page.identity, (await get(`${site}/topics/wire/posts`, null)).ms);
      record(page.br, (await get(`${site}/topics/wire/posts`, 'br, gzip')).ms);
    }

    return {
      ...(build.stale ? { notes: [build.stale] } : {}),
      sizes,
      parleyJs: { coldMs: round(cold.ms, 1), coldEncoding: cold.encoding, warm: summary(warm) },
      topicPage: { identity: summary(page.identity), br: summary(page.br) },
    };
  } finally {
    await target.stop();
  }
}
