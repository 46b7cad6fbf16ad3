/**
 * The moderators' queue follows the server live (issue 16): its own socket, signed in with the
 * moderator's token, joins `moderation:join`; every `queue:changed` counts as news, which the
 * queue shows as "N new" without reloading under the moderator's hands.
 */
import { io, type Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import type { QueueChanged } from '../../moderation/spam-schemas.js';
import { isFailure, type Outcome } from '../client/outcome.js';


export interface QueueLive {
  close(): void;
}

/** Follows `site`'s queue: `live(true|false)` on (dis)connection, `changed(msg)` on each change. */
export function followQueue(server: string, site: string, token: string, on: { live(live: boolean): void; changed(msg: QueueChanged): void }): QueueLive {
  const socket: Socket = io(server, { transports: ['polling', 'websocket'], auth: { site, token } });
  socket.on('connect', async () => {
    const res = (await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.moderationJoin, {}).catch(() => null)) as Outcome<unknown> | null;
    on.live(!!res && !isFailure(res));
  });
  socket.on('disconnect', () => on.live(false));
  socket.on(SOCKET_EVENTS.queueChanged, (msg: QueueChanged) => {
    if (msg?.site === site) on.changed(msg);
  });
  return {
    close() {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
