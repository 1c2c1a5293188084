/** Where the committed API description lives and how it is written (shared by the script and its test). */
import { resolve } from 'node:path';

/** npm scripts and the tests run from the project folder. */
export const OPENAPI_FILE = resolve('openapi.json');

export function serialize(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
