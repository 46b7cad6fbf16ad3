/**
 * The yardstick for fan-out: a bare Socket.IO server with the same wire contract as Parley
 * for the events the benchmark uses (`topic:join`, `post:create` with ack, `post:created`
 * broadcast to the topic's room), doing nothing else: no validation, sign-in, storage or
 * Markdown. It builds a post of the same shape as Parley's, so payloads match in size.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';
import { serveCommands } from './protocol.js';

let seq = 0;

serveCommands({
  async listen({ host = '127.0.0.1' }) {
    const server = http.createServer();
    const io = new Server(server, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
    io.on('connection', (socket) => {
      const site = String(socket.handshake.auth?.site ?? 'bench');
      socket.on('topic:join', async (payload: { topic: string }, ack?: (r: unknown) => void) => {
        await socket.join(`t:${site}:${payload.topic}`);
        ack?.({ topic: { site, id: payload.topic, title: null, rev: seq, postCount: seq, locked: false }, posts: [], truncated: false });
      });
      socket.on('post:create', (payload: { topic: string; body: string }, ack?: (r: unknown) => void) => {
        seq++;
        const id = randomBytes(12).toString('base64url');
        const post = {
          id, site, topic: payload.topic, parent: null, root: id, depth: 0, seq, rev: seq,
          author: { id: 'bare-author-id-000000', name: 'Bench Poster', kind: 'member' },
          body: payload.body, html: `<p>${payload.body}</p>\n`,
          createdAt: new Date().toISOString(), editedAt: null, status: 'visible',
        };
        io.to(`t:${site}:${payload.topic}`).emit('post:created', { post });
        ack?.({ post, created: true });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return { url: `http://${host}:${(server.address() as AddressInfo).port}`, pid: process.pid };
  },
});
