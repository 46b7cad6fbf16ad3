/**
 * The OpenAPI 3.1 document of Parley's HTTP API, generated from the route registry
 * (api-routes.ts) and the valibot schemas that validate requests and describe answers, so the
 * document cannot say something the server does not check. Served at `/api/openapi.json`.
 */
import * as v from 'valibot';
import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import { LIMITS } from '../../moderation/limits.js';
import { SiteIdSchema } from '../../moderation/schemas.js';
import * as R from '../../moderation/response-schemas.js';
import { ROUTES, type RouteDescription } from './api-routes.js';

/** Shapes that get a name in `components.schemas` (and are referenced wherever they appear). */
export const NAMED_SCHEMAS: Record<string, v.GenericSchema> = {
  ErrorBody: R.ErrorBodySchema,
  PublicAuthor: R.PublicAuthorSchema,
  AffiliationBadge: R.AffiliationBadgeSchema,
  ProfessionalBadge: R.ProfessionalBadgeSchema,
  ModerationNote: R.ModerationNoteSchema,
  Tombstone: R.TombstoneSchema,
  PostLabel: R.PostLabelSchema,
  Post: R.PostSchema,
  TopicInfo: R.TopicInfoSchema,
  TopicPage: R.TopicPageSchema,
  TopicChanges: R.TopicChangesSchema,
  CreatePostResult: R.CreatePostResultSchema,
  PostResult: R.PostResultSchema,
  PostHistory: R.PostHistorySchema,
  PublicSiteInfo: R.PublicSiteInfoSchema,
  Viewer: R.ViewerSchema,
  Me: R.MeSchema,
  CompanyInfo: R.CompanyInfoSchema,
  FundingOverview: R.FundingOverviewSchema,
  CompanyRegister: R.CompanyRegisterSchema,
  TopicParticipants: R.TopicParticipantsSchema,
  Rule: R.RuleSchema,
  PublicRules: R.PublicRulesSchema,
  PublicAction: R.PublicActionSchema,
  AuditLeaf: R.AuditLeafSchema,
  LogEntry: R.LogEntrySchema,
  LogEntries: R.LogEntriesSchema,
  LogView: R.LogViewSchema,
  CheckpointJson: R.CheckpointJsonSchema,
  TopicSummary: R.TopicSummarySchema,
  TopicList: R.TopicListSchema,
  Ok: R.OkSchema,
  EditResult: R.EditResultSchema,
  SessionTokens: R.SessionTokensSchema,
  CompanyPresence: R.CompanyPresenceSchema,
  LogEntryView: R.LogEntryViewSchema,
  LogKeys: R.LogKeysSchema,
};

const COMPONENTS_REF = '#/components/schemas/';

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a valibot schema, named shapes as `$ref`s. */
export function jsonSchemaOf(schema: v.GenericSchema, typeMode: 'input' | 'output', refBase = COMPONENTS_REF): JsonSchema {
  const config: ConversionConfig = {
    target: 'draft-2020-12',
    typeMode,
    // Transforms, custom checks and trims validate on the server; they have no JSON Schema form.
    errorMode: 'ignore',
    definitions: NAMED_SCHEMAS,
    overrideRef: ({ referenceId }) => refBase + referenceId,
  };
  const json = toJsonSchema(schema, config) as Record<string, unknown>;
  delete json.$schema;
  delete json.$defs;
  return json as JsonSchema;
}

export function namedJsonSchemas(refBase = COMPONENTS_REF): Record<string, JsonSchema> {
  const defs = toJsonSchemaDefs(NAMED_SCHEMAS, {
    target: 'draft-2020-12',
    typeMode: 'output',
    errorMode: 'ignore',
    overrideRef: ({ referenceId }) => refBase + referenceId,
  });
  return defs as Record<string, JsonSchema>;
}

const AUTH_TEXT: Record<NonNullable<RouteDescription['auth']>, string> = {
  none: 'No sign-in needed.',
  optional: 'No sign-in needed; with a token the answer may include what only you may see.',
  token: 'Needs a sign-in token.',
  moderator: 'Needs a token of a moderator (or admin) of the site.',
  admin: 'Needs a token of an admin of the site.',
  staff: 'Needs a token of verified company staff (moderators and admins may also use it).',
  feed: 'Needs the company’s feed token in `X-Parley-Feed-Token` (or a verified staff member’s token).',
};

function operationOf(route: RouteDescription) {
  const parameters: unknown[] = [];
  for (const name of route.path.match(/\{([^}]+)\}/g) ?? []) {
    const param = name.slice(1, -1);
    parameters.push({
      name: param,
      in: 'path',
      required: true,
      schema: param === 'site' ? jsonSchemaOf(SiteIdSchema, 'input') : { type: 'string', maxLength: param === 'topic' ? LIMITS.topicIdMaxChars : 200 },
      ...(param === 'topic' ? { description: 'URL-encoded topic id' } : {}),
    });
  }
  if (route.query) {
    const query = jsonSchemaOf(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      // A number sent as text ("20") converts to `anyOf: [number, string]` beside `type: integer`: in a query
      // string every value is text, so the parameter is simply an integer.
      const { anyOf, ...plain } = schema as { anyOf?: unknown; type?: unknown };
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: anyOf && plain.type ? plain : schema });
    }
  }
  const security =
    route.auth === 'optional' ? [{}, { bearer: [] }]
    : route.auth === 'feed' ? [{ feedToken: [] }, { bearer: [] }]
    : route.auth && route.auth !== 'none' ? [{ bearer: [] }]
    : [];

  const success = route.status ?? 200;
  const responses: Record<string, unknown> = {};
  if (success >= 300 && success < 400) {
    // A browser-facing redirect: nothing to read but where it goes.
    responses[String(success)] = { description: 'Redirect', headers: { Location: { required: true, schema: { type: 'string' } } } };
  } else {
    const content = route.produces
      ? { [route.produces]: { schema: { type: 'string' } } }
      : { 'application/json': { schema: route.response ? jsonSchemaOf(route.response, 'output') : { type: 'object' } } };
    responses[String(success)] = { description: route.response || route.produces ? 'Success' : 'Success (a JSON object; see docs/api.md)', content };
    if (route.created && success !== 200) responses['200'] = { description: 'The same request again: nothing new was created', content };
  }
  const errorBody = { 'application/json': { schema: { $ref: `${COMPONENTS_REF}ErrorBody` } } };
  // A page for people (the first-run setup page) says why it refuses as a page, not as JSON.
  responses['4XX'] = route.produces === 'text/html'
    ? { description: 'Refused: a page saying why', content: { 'text/html': { schema: { type: 'string' } } } }
    : { description: 'Refused: see error.code', content: errorBody };
  responses['5XX'] = { description: 'internal or unavailable', content: errorBody };

  return {
    summary: route.summary,
    description: AUTH_TEXT[route.auth ?? 'none'],
    operationId: `${route.method}${route.path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: route.tag ? [route.tag] : [],
    parameters,
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: route.body === 'text'
              ? { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } }
              : { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } },
          },
        }
      : {}),
    security,
    responses,
  };
}

/** The document: the server's routes and those its plug-ins mount (the demo's, say). */
export function openApiDocument(pluginRoutes: readonly RouteDescription[] = []): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...ROUTES, ...pluginRoutes]) {
    (paths[route.path] ??= {})[route.method] = operationOf(route);
  }
  const document = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Parley',
      version: '1',
      description:
        'Self-hosted discussions for patient organisations. Every path is per site (`/api/sites/{site}`). ' +
        'Errors are `{error: {code, message}}`; request bodies are JSON (`Content-Type: application/json`), at most ' +
        `${LIMITS.requestBodyMaxBytes / 1024} KiB. Live updates travel over Socket.IO: see /api/asyncapi.json. Prose: docs/api.md.`,
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    paths,
    components: {
      schemas: namedJsonSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The host site’s token, or a Parley access token (POST /session)' },
        feedToken: { type: 'apiKey', in: 'header', name: 'X-Parley-Feed-Token' },
      },
    },
  };
  return document;
}
