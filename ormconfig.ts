import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/typeorm-options.js';

/** The DataSource the TypeORM CLI uses (migration:generate, migration:run): the app's own options. */
export default new DataSource({ ...(await buildDataSourceOptions(loadConfig())), migrationsRun: false });
