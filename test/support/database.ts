import { DataSource, type DataSourceOptions } from 'typeorm';
import { User } from '../../src/account/user.entity.js';
import { buildDataSourceOptions } from '../../src/database/typeorm-options.js';
import { Video } from '../../src/videos/video.entity.js';

/**
 * A real SQLite database in memory, built by the project's own options builder and migrations
 * (so a service spec meets the schema and unique indexes production has). Close it in afterEach.
 */
export async function memoryDatabase(): Promise<DataSource> {
  const options = await buildDataSourceOptions({ database: { type: 'sqlite', path: ':memory:' } }, [User, Video]);
  return new DataSource({ ...options, logging: false }).initialize();
}

/**
 * The database the suite runs on: MariaDB when DATABASE_URL names it (as in CI's second run),
 * else SQLite in memory; migrated, with `entities`. Close it in afterEach.
 */
export async function suiteDatabase(entities: DataSourceOptions['entities']): Promise<DataSource> {
  const url = process.env.DATABASE_URL;
  const database = url && /^(mysql|mariadb):/.test(url) ? { type: 'mysql' as const, url } : { type: 'sqlite' as const, path: ':memory:' };
  const options = await buildDataSourceOptions({ database }, entities);
  return new DataSource({ ...options, logging: false }).initialize();
}
