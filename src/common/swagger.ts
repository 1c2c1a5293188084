import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
  type ApiResponseSchemaHost,
} from '@nestjs/swagger';
import { Errno, type ErrnoEntry } from './errno.js';

export type SchemaObject = ApiResponseSchemaHost['schema'];
type HeaderObject = { description: string; schema: SchemaObject };

/** A data field of an answer: an inline schema, a response class (`$ref`), or `[Class]` for an array of them. */
export type DataField = SchemaObject | Type | [Type];

const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'];

function isClass(value: unknown): value is Type {
  return typeof value === 'function';
}

function fieldSchema(field: DataField): SchemaObject {
  if (Array.isArray(field)) return { type: 'array', items: { $ref: getSchemaPath(field[0]) } };
  return isClass(field) ? { $ref: getSchemaPath(field) } : field;
}

function classesOf(data: Record<string, DataField>): Type[] {
  return Object.values(data).flatMap((field) => (Array.isArray(field) ? field : isClass(field) ? [field] : []));
}

/**
 * Documents the parameters of a POST as its request body, in each form the server reads
 * (urlencoded, JSON, multipart). The server also takes them from the query string (the seed
 * contract writes them there) and the body wins; they are not documented twice, so that Swagger
 * UI and generated clients have one place to put them (a query box next to a pre-filled body
 * sent the body's example instead of what was typed).
 */
export function ApiFormBody(dto: Type) {
  return applyDecorators(
    ApiConsumes(...BODY_TYPES),
    ApiBody({
      type: dto,
      required: true,
      description: 'urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins).',
    }),
  );
}

/** An operation that needs no login (`security: [{}]`). */
export const ApiPublic = () => ApiSecurity({});

function envelope(entries: ErrnoEntry[]): SchemaObject {
  return {
    type: 'object',
    required: ['errno', 'msg'],
    properties: {
      errno: { type: 'integer', enum: [...new Set(entries.map((e) => e.errno))] },
      msg: { type: 'string', example: entries[0].zh },
    },
  };
}

function errnoTable(entries: ErrnoEntry[]): string {
  return ['| errno | msg | en |', '|---|---|---|', ...entries.map((e) => `| ${e.errno} | ${e.zh} | ${e.en} |`)].join('\n');
}

/**
 * Documents the answer of an endpoint: HTTP 200 with either the success (errno 0, `msg` and the
 * data fields, all present) or a refusal (one of `errors`, `msg` only), every errno with its
 * message as a table in the description and as `x-errno`. A typed client narrows on `errno`.
 */
export function ApiErrnos(
  success: ErrnoEntry,
  errors: ErrnoEntry[],
  data: Record<string, DataField> = {},
  headers: Record<string, HeaderObject> = {},
) {
  const all = [success, ...errors];
  return applyDecorators(
    ApiExtraModels(...classesOf(data)),
    ApiExtension(
      'x-errno',
      all.map((e) => ({ errno: e.errno, msg: e.zh })),
    ),
    ApiOkResponse({
      description: `HTTP 200 for every outcome; branch on \`errno\`.\n\n${errnoTable(all)}`,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      schema: { oneOf: [successSchema(success, data), { ...envelope(errors), title: 'refusal' }] },
    }),
  );
}

/** `{errno: 0, msg, ...data}`, every data field present. */
function successSchema(success: ErrnoEntry, data: Record<string, DataField>): SchemaObject {
  const ok = envelope([success]);
  const fields = Object.fromEntries(Object.entries(data).map(([name, field]) => [name, fieldSchema(field)]));
  return { ...ok, title: 'success', required: ['errno', 'msg', ...Object.keys(fields)], properties: { ...ok.properties, ...fields } };
}

/** A success answered with a status of its own and no refusal in the same status (tus's final PATCH). */
export function ApiSuccess(
  status: number,
  description: string,
  success: ErrnoEntry,
  data: Record<string, DataField>,
  headers: Record<string, HeaderObject> = {},
) {
  return applyDecorators(
    ApiExtraModels(...classesOf(data)),
    ApiResponse({
      status,
      description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { 'application/json': { schema: successSchema(success, data) } },
    }),
  );
}

/** The JSON `{errno, msg}` of an answer with a real HTTP status (byte endpoints, tus). */
export function ApiErrnoStatus(status: number, description: string, errors: ErrnoEntry[], headers: Record<string, HeaderObject> = {}) {
  return ApiResponse({
    status,
    description: `${description}\n\n${errnoTable(errors)}`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/json': { schema: envelope(errors) } },
  });
}

const BINARY: SchemaObject = { type: 'string', format: 'binary' };
const STRING: SchemaObject = { type: 'string' };

/**
 * Documents a byte endpoint (GET and HEAD): 200 with the whole object, 206 with a range, 304 when
 * the client's copy is current, and its refusals as JSON with a real status (a player reads the
 * status): 404 (`notFound`) and 416 for a range outside the object.
 */
export function ApiBytes(types: string[], notFound: ErrnoEntry[]) {
  const content = Object.fromEntries(types.map((type) => [type, { schema: BINARY }]));
  const validators = {
    ETag: { description: 'strong validator: the object never changes under it', schema: STRING },
    'Last-Modified': { description: 'HTTP date', schema: STRING },
    'Cache-Control': { description: 'public; immutable for renditions, revalidated for the original and the cover', schema: STRING },
    'Accept-Ranges': { description: '`bytes`', schema: STRING },
  };
  return applyDecorators(
    ApiHeader({ name: 'Range', required: false, description: 'one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix`' }),
    ApiHeader({ name: 'If-Range', required: false, description: 'the ETag (or date) of the copy a range completes' }),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of a cached copy (304 when current)' }),
    ApiHeader({ name: 'If-Modified-Since', required: false, description: 'the Last-Modified of a cached copy (304 when current)' }),
    ApiResponse({
      status: 200,
      description: 'The whole object (HEAD: the headers only). Also the answer to a malformed or multi-range `Range`.',
      headers: { ...validators, 'Content-Length': { description: 'bytes', schema: { type: 'integer' } } },
      content,
    }),
    ApiResponse({
      status: 206,
      description: 'The requested range (`Range`, and `If-Range` still matching).',
      headers: { ...validators, 'Content-Range': { description: '`bytes first-last/size`', schema: STRING } },
      content,
    }),
    ApiResponse({ status: 304, description: 'Not modified: the copy named by `If-None-Match` / `If-Modified-Since` is current.' }),
    ApiErrnoStatus(404, 'No such video (or not made yet): JSON.', notFound),
    ApiErrnoStatus(416, 'The range starts past the end of the object: JSON.', [Errno.BadRequest], {
      'Content-Range': { description: '`bytes */size`', schema: STRING },
    }),
  );
}
