import { loadConfig } from '@renran/config';
import { DEV_DATABASE_URL } from '@renran/database';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../database/migrate.js';
import { typeOrmOptions } from '../database/typeorm-options.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { passwordHasher } from '../users/password-hasher.js';

export interface StaffUserResult {
  id: number;
  created: boolean;
}

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
    const users = dataSource.getRepository(UserEntity);
    const passwordHash = await passwordHasher.hash(password);
    const existing = await users.findOneBy({ username });
    if (existing) {
      await users.update(existing.id, { isStaff: true, passwordHash });
      return { id: existing.id, created: false };
    }
    const user = await users.save(users.create({ username, passwordHash, isStaff: true }));
    return { id: user.id, created: true };
  } finally {
    await dataSource.destroy();
  }
}
