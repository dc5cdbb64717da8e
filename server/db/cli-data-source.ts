// For the TypeORM CLI: `npm run migration:generate -- migrations/Name`.
import { DataSource } from 'typeorm';
import { config } from '../config.js';
import { dataSourceOptions } from './data-source.js';

const database = config().database;
if (database.kind !== 'mariadb') throw new Error('DATABASE_URL must name the MariaDB database to generate against');
export default new DataSource(dataSourceOptions(database));
