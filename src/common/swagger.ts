import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtension, ApiOkResponse, ApiQuery, type ApiResponseSchemaHost } from '@nestjs/swagger';
import type { ErrnoEntry } from './errno.js';

export type SchemaObject = ApiResponseSchemaHost['schema'];

const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'];

/** Documents parameters that may come in the query (as the seed has them) or in any body form. */
export function ApiParams(dto: Type, names: string[]) {
  return applyDecorators(
    ...names.map((name) =>
      ApiQuery({ name, required: false, type: String, description: `也可放在请求体中 (may also be sent in the body)` }),
    ),
    ApiConsumes(...BODY_TYPES),
    ApiBody({ type: dto, required: false }),
  );
}

/**
 * Documents the answer of an endpoint: the success message, every errno it can answer with its
 * message (as a table in the description and as `x-errno`), and the success data fields.
 */
export function ApiErrnos(success: ErrnoEntry, errors: ErrnoEntry[], data: Record<string, SchemaObject> = {}) {
  const all = [success, ...errors];
  const table = ['| errno | msg | en |', '|---|---|---|', ...all.map((e) => `| ${e.errno} | ${e.zh} | ${e.en} |`)].join('\n');
  return applyDecorators(
    ApiExtension(
      'x-errno',
      all.map((e) => ({ errno: e.errno, msg: e.zh })),
    ),
    ApiOkResponse({
      description: `HTTP 200 for every outcome; branch on \`errno\`.\n\n${table}`,
      schema: {
        type: 'object',
        required: ['errno', 'msg'],
        properties: {
          errno: { type: 'integer', enum: [...new Set(all.map((e) => e.errno))], example: 0 },
          msg: { type: 'string', example: success.zh },
          ...data,
        },
      },
    }),
  );
}
