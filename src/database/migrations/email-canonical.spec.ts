import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../typeorm-options.js';
import { Accounts1764000000000 } from './1764000000000-accounts.js';
import { EmailCanonical1766000000000 } from './1766000000000-email-canonical.js';

/** The upgrade path: rows written before the canonical form, then the migration (SQLite; MariaDB in hardening.e2e-spec). */
describe('EmailCanonical1766000000000', () => {
  let data: DataSource;

  beforeEach(async () => {
    const options = await buildDataSourceOptions({ database: { type: 'sqlite', path: ':memory:' } });
    data = await new DataSource({ ...options, migrations: [Accounts1764000000000], logging: false }).initialize();
  });

  afterEach(() => data.destroy());

  const insert = (uid: number, email: string) =>
    data.query("INSERT INTO users (uid, username, email, password_hash, created_at) VALUES (?, 'u', ?, 'x', '2020-01-01 00:00:00')", [
      uid,
      email,
    ]);

  it('rewrites each email to NFC and lower case, leaving one whose canonical form another account holds', async () => {
    await insert(1111111111, 'MIXED@Example.com');
    await insert(2222222222, 'ren\u00e9@example.com');
    await insert(3333333333, 'rene\u0301@example.com');
    await insert(4444444444, 'a\u0308lso@EXAMPLE.com');
    const runner = data.createQueryRunner();
    try {
      await new EmailCanonical1766000000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await data.query<{ uid: number; email: string }[]>('SELECT uid, email FROM users ORDER BY uid');
    expect(rows.map((row) => row.email)).toEqual([
      'mixed@example.com',
      'ren\u00e9@example.com',
      'rene\u0301@example.com',
      '\u00e4lso@example.com',
    ]);
  });
});
