import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { Accounts1764000000000 } from './migrations/1764000000000-accounts.js';
import { Videos1764100000000 } from './migrations/1764100000000-videos.js';
import { Renditions1765000000000 } from './migrations/1765000000000-renditions.js';
import { EmailCanonical1766000000000 } from './migrations/1766000000000-email-canonical.js';
import { AccountsV21767000000000 } from './migrations/1767000000000-accounts-v2.js';
import { Visibility1768000000000 } from './migrations/1768000000000-visibility.js';
import { Views1769000000000 } from './migrations/1769000000000-views.js';
import { VideoUsage1770000000000 } from './migrations/1770000000000-video-usage.js';
import { TitleSearch1771000000000 } from './migrations/1771000000000-title-search.js';
import { TitleGrams1772000000000 } from './migrations/1772000000000-title-grams.js';
import { TitleGramCounts1773000000000 } from './migrations/1773000000000-title-gram-counts.js';

/** Every migration, in the order they run. */
export const MIGRATIONS = [
  Accounts1764000000000,
  Videos1764100000000,
  Renditions1765000000000,
  EmailCanonical1766000000000,
  AccountsV21767000000000,
  Visibility1768000000000,
  Views1769000000000,
  VideoUsage1770000000000,
  TitleSearch1771000000000,
  TitleGrams1772000000000,
  TitleGramCounts1773000000000,
];

/**
 * MariaDB answers `mysql://` too, but TypeORM reads its schema right only as `mariadb` (column
 * defaults are reported differently): ask the server which it is.
 */
async function mysqlFlavor(url: string): Promise<'mysql' | 'mariadb'> {
  const { createConnection } = await import('mysql2/promise');
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 5000 });
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
      return String(rows[0]?.version).includes('MariaDB') ? 'mariadb' : 'mysql';
    } finally {
      await connection.end();
    }
  } catch {
    return 'mysql'; // TypeORM's own connection attempt reports the failure
  }
}

/**
 * The SQLite file (and a folder it needs) made readable by the owner only, before SQLite opens
 * it: 0700 / 0600 (SQLite gives its -wal and -shm files the database file's mode). An existing
 * file keeps the mode its owner chose.
 */
function createPrivately(path: string): void {
  if (path === ':memory:') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The one options builder: the app, the worker and the TypeORM CLI (ormconfig.ts) use it. The
 * database knows no feature: Nest apps load the entities their modules register
 * (`autoLoadEntities`, see `typeOrmRoot`); a plain DataSource names them (`entities`).
 */
export async function buildDataSourceOptions(
  config: Pick<AppConfig, 'database'>,
  entities: DataSourceOptions['entities'] = [],
): Promise<DataSourceOptions> {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: ['warn' as const, 'migration' as const],
  };
  if (config.database.type === 'sqlite') {
    createPrivately(config.database.path);
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.database.path,
      // WAL lets several app instances (and the CLI) share the file; wait instead of failing on a lock.
      enableWAL: true,
      timeout: 5000,
    };
  }
  return {
    ...common,
    type: await mysqlFlavor(config.database.url),
    url: config.database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 5000,
    poolSize: 10,
  };
}

/** For `TypeOrmModule.forRootAsync`: the options above with the entities each module registers. */
export async function typeOrmRoot(config: Pick<AppConfig, 'database'>) {
  return { ...(await buildDataSourceOptions(config)), autoLoadEntities: true };
}
