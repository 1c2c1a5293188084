/** Writes client/src/api-types.ts from the committed openapi.json (run after `npm run openapi`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { OPENAPI_FILE } from './openapi-file.js';
import { API_TYPES_FILE, apiTypes } from './api-types-file.js';

writeFileSync(API_TYPES_FILE, await apiTypes(readFileSync(OPENAPI_FILE, 'utf8')));
console.log(`wrote ${API_TYPES_FILE}`);
