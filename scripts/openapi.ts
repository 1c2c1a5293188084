/**
 * Writes openapi.json (the committed API description, so that API changes show in diffs), or the
 * file named as the first argument (`npm run lint:openapi` lints a fresh copy, leaving the committed one alone).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../src/app.module.js';
import { EnvelopeAdapter } from '../src/common/http/envelope.adapter.js';
import { openApiDocument } from '../src/setup.js';
import { OPENAPI_FILE, serialize } from './openapi-file.js';

async function main(): Promise<void> {
  // The document does not depend on configuration: build the app on a throwaway embedded setup.
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-openapi-'));
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', SMTP_URL: '', NODE_ENV: 'development' });
  const app = await NestFactory.create(AppModule, new EnvelopeAdapter(), { logger: ['error'], bodyParser: false });
  try {
    const file = process.argv[2] ?? OPENAPI_FILE;
    writeFileSync(file, serialize(openApiDocument(app)));
    console.log(`wrote ${file}`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
