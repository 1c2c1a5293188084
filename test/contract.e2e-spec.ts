import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { OPENAPI_FILE, serialize } from '../scripts/openapi-file.js';
import { openApiDocument } from '../src/setup.js';
import { startApp, testEnv, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startApp(testEnv());
});

afterAll(async () => {
  await t?.close();
});

describe('API description', () => {
  it('keeps the committed openapi.json up to date (run `npm run openapi`)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(serialize(openApiDocument(t.app)));
  });

  it('serves the Swagger UI at /api/docs and the document at /api/docs-json', async () => {
    const ui = await t.client().get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const json = await t.client().get('/api/docs-json');
    expect(json.body.paths['/api/account/register'].post.responses['200'].description).toContain('| 1010 | 账号已存在，请勿重复注册 |');
  });

  it('documents POST parameters once, as a body in each form the server reads (not again as query parameters)', () => {
    const document = openApiDocument(t.app);
    const register = document.paths['/api/account/register'].post!;
    expect(register.parameters ?? []).toEqual([]);
    const body = register.requestBody as { required: boolean; content: Record<string, { schema: { $ref: string } }> };
    expect(body.required).toBe(true);
    expect(Object.keys(body.content)).toEqual(['application/x-www-form-urlencoded', 'application/json', 'multipart/form-data']);
    const schema = document.components!.schemas!.RegisterDto as { properties: object; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['email', 'username', 'password_1', 'password_2', 'vcode']);
    expect(schema.required).toEqual(['email', 'username', 'password_1', 'password_2']);
  });
});

describe('database schema', () => {
  it('is exactly what the entities describe once the migrations ran (nothing for migration:generate to add)', async () => {
    const dataSource = t.app.get(DataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
