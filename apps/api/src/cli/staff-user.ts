import { loadConfig } from '@renran/config';
import { DEV_DATABASE_URL } from '@renran/database';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../database/migrate.js';
import { typeOrmOptions } from '../database/typeorm-options.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { saveStaffUser, type StaffUserResult } from '../users/staff-account.js';

export type { StaffUserResult };

/**
 * Creates a staff user, or promotes an existing one and sets its password, reading the
 * environment exactly as the API does: an external DATABASE_URL gets its migrations but never
 * the demo users (config.seedDemoData holds only for development on the embedded database).
 */
export async function createStaffUser(
  env: Record<string, string | undefined>,
  username: string,
  password: string,
): Promise<StaffUserResult> {
  const config = loadConfig(env);
  // Without DATABASE_URL: the embedded database of a running `npm start`.
  const databaseUrl = config.databaseUrl ?? DEV_DATABASE_URL;
  const dataSource = await new DataSource(typeOrmOptions(databaseUrl, 2)).initialize();
  try {
    await prepareDatabase(dataSource, config);
    return await saveStaffUser(dataSource.getRepository(UserEntity), username, password);
  } finally {
    await dataSource.destroy();
  }
}
