import { DataSource } from 'typeorm';
import { typeOrmOptions } from './typeorm-options.js';

/** For the TypeORM CLI (`npm run migration:generate`): reads DATABASE_URL. */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  throw new Error('DATABASE_URL must be set for the TypeORM CLI');
}

export default new DataSource(typeOrmOptions(databaseUrl));
