/**
 * A real HAProxy (Debian's /usr/sbin/haproxy) in front of several test nodes, on a free loopback
 * port, its config in a temporary directory, run in the foreground (`haproxy -f cfg -db`).
 *
 *   startHaproxy(nodes)            → { url, port, close() }
 *   haproxyConfig(port, nodes)     → the config text: the one docs/operations.md ("Several nodes")
 *                                    shows operators, so the documented config is the tested one
 *
 * The config balances by client address (`balance source`, consistent hashing): the widget starts
 * on HTTP long-polling before upgrading to a WebSocket, and every request of one Socket.IO session
 * must reach the node that holds it. Tests that want their clients spread over the nodes give
 * each client its own loopback address (socket.io-client's `localAddress`: 127.0.0.2, .3, …).
 * Health checks ask GET /readyz every 200 ms and mark a node down after two failures; sessions on
 * a node marked down are cut (so their clients reconnect at once), and a connection that finds a
 * node dead is redispatched to another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { untilHealthy } from './loopback-service.js';

export const HAPROXY = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

export interface Haproxy {
  url: string;
  port: number;
  /** The config file it runs (for the failure message of a test). */
  config: string;
  close(): Promise<void>;
}

export interface HaproxyNode {
  name: string;
  /** host:port of a Parley node. */
  address: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function haproxyConfig(port: number, nodes: readonly HaproxyNode[], bind = '127.0.0.1'): string {
  return `global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # WebSockets: an open tunnel may stay quiet this long (Socket.IO pings every 25 s).
  timeout tunnel 1h
  timeout http-keep-alive 5s
  # A connection that finds its node dead is retried on another one.
  retries 2
  option redispatch 1

frontend parley
  bind ${bind}:${port}
  default_backend parley_nodes

backend parley_nodes
  # One Socket.IO session = one node: long-polling requests carry no cookie the widget could
  # send cross-site, so stick by client address.
  balance source
  hash-type consistent
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 200ms fastinter 100ms downinter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
${nodes.map((node) => `  server ${node.name} ${node.address} check`).join('\n')}
`;
}

/** Starts HAProxy in front of `nodes` and waits until it answers /healthz through one of them. */
export async function startHaproxy(nodes: readonly HaproxyNode[]): Promise<Haproxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-haproxy-'));
  const port = await freePort();
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(config, haproxyConfig(port, nodes));
  const child: ChildProcess = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  await untilHealthy('haproxy', child, url, () => stderr);

  return {
    url,
    port,
    config,
    async close() {
      if (child.exitCode === null) {
        // SIGUSR1 would wait for sessions to end; the test is done with them.
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
