import 'reflect-metadata';
import { ConfigError, loadConfig } from '@renran/config';
import { DEV_DATABASE_URL } from '@renran/database';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../database/migrate.js';
import { typeOrmOptions } from '../database/typeorm-options.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { passwordHasher } from '../users/password-hasher.js';

/**
 * `npm run user:create-staff -- <username> <password>`: creates a staff user, or promotes an
 * existing one and sets its password. Honours the API's environment (DATABASE_URL, APP_ENV).
 */
async function createStaff(): Promise<void> {
  const [username, password] = process.argv.slice(2);
  if (!username || !/^[A-Za-z0-9_]{3,32}$/.test(username) || !password || password.length < 8) {
    console.error(
      'usage: npm run user:create-staff -- <username 3–32 [A-Za-z0-9_]> <password ≥ 8 chars>',
    );
    process.exit(2);
  }
  const config = loadConfig();
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
      console.log(`promoted existing user ${username} (id ${existing.id}) to staff`);
    } else {
      const user = await users.save(users.create({ username, passwordHash, isStaff: true }));
      console.log(`created staff user ${username} (id ${user.id})`);
    }
  } finally {
    await dataSource.destroy();
  }
}

createStaff().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
