/**
 * The web client's API types, generated from openapi.json (openapi-typescript), where they live
 * and how they are made (shared by `npm run openapi:types` and the test that keeps them current).
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { resolve } from 'node:path';
import ts from 'typescript';

/** npm scripts and the tests run from the project folder. */
export const API_TYPES_FILE = resolve('client/src/api-types.ts');

const HEADER = `/**
 * The API's types, generated from openapi.json by \`npm run openapi:types\` (openapi-typescript):
 * do not edit. The shapes are defined once on the server (src/videos/video.response.ts,
 * src/account/profile.response.ts); client/src/api.ts names the ones the client uses.
 */

`;

/** The types of the document `json` (openapi.json's text), formatted as the repository's Prettier has it. */
export async function apiTypes(json: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(json) as Parameters<typeof openapiTS>[0], {
    silent: true,
    // Files are sent as Blobs (a File in the browser), not strings.
    transform: (schema) => (schema.format === 'binary' ? ts.factory.createTypeReferenceNode('Blob') : undefined),
  });
  const source = HEADER + astToString(ast);
  return format(source, { ...(await resolveConfig(API_TYPES_FILE)), filepath: API_TYPES_FILE });
}
