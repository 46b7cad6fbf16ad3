/**
 * The AsyncAPI 3.0 document of Parley's Socket.IO events, served at `/api/asyncapi.json`:
 * one line per event below, with the same valibot schemas that validate the payloads (and
 * describe the answers) as the OpenAPI document. The document describes the server, so
 * client → server events are operations it `receive`s, whose `reply` is the Socket.IO
 * acknowledgement (the result or an ErrorBody), and server → client events are ones it `send`s.
 */
import * as v from 'valibot';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { CreatePostSchema, DeskJoinSchema, JoinTopicSchema, LeaveTopicSchema, SetTokenSchema } from '../../moderation/schemas.js';
import {
  QueueChangedSchema, CreatePostResultSchema, DeskJoinedSchema, DeskUpdatedSchema, OkSchema, PostEventSchema, ServerRestartingSchema, SessionEndedSchema, SessionViewerSchema, TopicChangesSchema, TopicEventSchema,
} from '../../moderation/response-schemas.js';
import { jsonSchemaOf, namedJsonSchemas } from '../http/openapi.js';

export interface SocketEventDescription {
  event: string;
  /** From the server's side: `receive` a client's event (answered with an ack), `send` an event to clients. */
  action: 'send' | 'receive';
  summary: string;
  payload: v.GenericSchema;
  /** The acknowledgement's success shape (client events only); a refusal is always an ErrorBody. */
  ack?: v.GenericSchema;
}

export const SOCKET_EVENT_DESCRIPTIONS: SocketEventDescription[] = [
  { event: SOCKET_EVENTS.join, action: 'receive', summary: 'Follow a topic; with `since`, also get what changed after it', payload: JoinTopicSchema, ack: TopicChangesSchema },
  { event: SOCKET_EVENTS.leave, action: 'receive', summary: 'Stop following a topic', payload: LeaveTopicSchema, ack: OkSchema },
  { event: SOCKET_EVENTS.createPost, action: 'receive', summary: 'Post or reply, as POST /posts (the sender gets the post in the ack only)', payload: CreatePostSchema, ack: CreatePostResultSchema },
  { event: SOCKET_EVENTS.setToken, action: 'receive', summary: 'Sign in or out without reconnecting', payload: SetTokenSchema, ack: SessionViewerSchema },
  { event: SOCKET_EVENTS.postCreated, action: 'send', summary: 'A post was created in a followed topic (not sent to the socket that posted it)', payload: PostEventSchema },
  { event: SOCKET_EVENTS.postUpdated, action: 'send', summary: 'A post in a followed topic changed (edit, removal, label)', payload: PostEventSchema },
  { event: SOCKET_EVENTS.topicUpdated, action: 'send', summary: 'A followed topic was locked or unlocked', payload: TopicEventSchema },
  { event: SOCKET_EVENTS.sessionEnded, action: 'send', summary: 'The socket’s sign-in ended (signed out, suspended, expired…): it reads on, signed out; hand it a fresh token with session:token', payload: SessionEndedSchema },
  { event: SOCKET_EVENTS.deskJoin, action: 'receive', summary: 'Follow a company’s desk (its verified staff, moderators and admins)', payload: DeskJoinSchema, ack: DeskJoinedSchema },
  { event: SOCKET_EVENTS.deskUpdated, action: 'send', summary: 'Something on a followed desk changed: re-read GET /companies/{id}/desk', payload: DeskUpdatedSchema },
  { event: SOCKET_EVENTS.moderationJoin, action: 'receive', summary: 'Follow the site’s moderation queue (moderators and admins only; issue 16)', payload: v.strictObject({}), ack: OkSchema },
  { event: SOCKET_EVENTS.queueChanged, action: 'send', summary: 'Something entered or left the moderation queue: re-read GET /moderation/queue', payload: QueueChangedSchema },
  { event: SOCKET_EVENTS.serverRestarting, action: 'send', summary: 'The server is shutting down: reconnect with backoff', payload: ServerRestartingSchema },
];

const REF = '#/components/schemas/';
const key = (event: string) => event.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase());

let cached: object | null = null;

export function asyncApiDocument(): object {
  if (cached) return cached;
  const messages: Record<string, unknown> = {
    error: { name: 'error', title: 'A refusal', payload: { $ref: `${REF}ErrorBody` } },
  };
  const operations: Record<string, unknown> = {};
  for (const e of SOCKET_EVENT_DESCRIPTIONS) {
    const id = key(e.event);
    messages[id] = { name: e.event, summary: e.summary, payload: jsonSchemaOf(e.payload, e.action === 'receive' ? 'input' : 'output', REF) };
    if (e.ack) messages[`${id}Ack`] = { name: `${e.event} ack`, payload: jsonSchemaOf(e.ack, 'output', REF) };
    operations[id] = {
      action: e.action,
      channel: { $ref: '#/channels/socket' },
      summary: e.summary,
      messages: [{ $ref: `#/channels/socket/messages/${id}` }],
      ...(e.ack
        ? { reply: { channel: { $ref: '#/channels/socket' }, messages: [{ $ref: `#/channels/socket/messages/${id}Ack` }, { $ref: '#/channels/socket/messages/error' }] } }
        : {}),
    };
  }
  cached = {
    asyncapi: '3.0.0',
    info: {
      title: 'Parley live updates',
      version: '1',
      description:
        'Socket.IO 4 on the server’s origin, default path `/socket.io/`. Connect with `io(url, { auth: { site, token? } })`; a refused ' +
        'handshake is a `connect_error` whose `data` is an ErrorBody. Each message is a Socket.IO event named by `name`. This document ' +
        'describes the server: it receives the client events, each with an acknowledgement callback that gets the reply or an ErrorBody, ' +
        'and sends the others. Rooms are per site and topic: you receive events ' +
        'of the topics you joined. See docs/api.md (Socket.IO).',
      license: { name: 'AGPL-3.0-or-later' },
    },
    defaultContentType: 'application/json',
    channels: {
      socket: { address: '/socket.io/', title: 'One Socket.IO connection to a site', messages },
    },
    operations,
    components: { schemas: namedJsonSchemas(REF) },
  };
  return cached;
}
