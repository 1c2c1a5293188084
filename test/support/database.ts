import { DataSource, type DataSourceOptions } from 'typeorm';
import { User } from '../../src/account/user.entity.js';
import { buildDataSourceOptions, MIGRATIONS } from '../../src/database/typeorm-options.js';
import { randomToken } from '../../src/infra/random-token.js';
import { PreparedStatements } from '../../src/database/prepared-statements.js';
import { VideoRepository } from '../../src/videos/video.repository.js';
import { Video } from '../../src/videos/video.entity.js';

type VideoFields = Parameters<VideoRepository['build']>[0];

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

/**
 * SQLite in memory migrated up to `migration`, not including it: a migration's spec writes the
 * rows it must find, then runs it. Close it in a finally.
 */
export async function databaseBefore(migration: (typeof MIGRATIONS)[number]): Promise<DataSource> {
  const options = await buildDataSourceOptions({ database: { type: 'sqlite', path: ':memory:' } });
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration));
  return new DataSource({ ...options, migrations: before, logging: false }).initialize();
}

/** What an upload gives VideoRepository.build, for a row whose bytes do not matter. */
export function videoFields(uid: number, fields: Partial<VideoFields> = {}): VideoFields {
  const id = fields.id ?? randomToken(10, 'hex');
  return {
    id,
    uid,
    title: 'clip',
    description: '',
    visibility: 'public',
    size: 1,
    mime: 'video/mp4',
    sha256: 'f'.repeat(64),
    duration: null,
    width: null,
    height: null,
    codec: null,
    status: 'ready',
    failure: null,
    storageKey: `videos/${id}`,
    coverKey: null,
    run: null,
    renditionKey: null,
    renditionBytes: 0,
    stage: null,
    percent: null,
    createdAt: new Date(1_700_000_000_000),
    ...fields,
  };
}

/** A VideoRepository on the suite's database (suiteDatabase), new for each test of the calling block. */
export function useVideoRepository(): { db: DataSource; rows: VideoRepository } {
  const suite = {} as { db: DataSource; rows: VideoRepository };
  beforeEach(async () => {
    suite.db = await suiteDatabase([Video]);
    suite.rows = new VideoRepository(suite.db.getRepository(Video), new PreparedStatements(suite.db));
  });
  afterEach(() => suite.db.destroy());
  return suite;
}
