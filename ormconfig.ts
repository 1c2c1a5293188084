import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { User } from './src/account/user.entity.js';
import { buildDataSourceOptions } from './src/database/typeorm-options.js';
import { SessionRecord } from './src/session/session.entity.js';
import { Video } from './src/videos/video.entity.js';

/** The DataSource the TypeORM CLI uses (migration:generate, migration:run): the app's own options and every entity. */
export default new DataSource({ ...(await buildDataSourceOptions(loadConfig(), [User, SessionRecord, Video])), migrationsRun: false });
