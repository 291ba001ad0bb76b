import 'reflect-metadata';
import { ConfigError } from '@renran/config';
import { createStaffUser } from './staff-user.js';

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
  const { id, created } = await createStaffUser(process.env, username, password);
  console.log(
    created
      ? `created staff user ${username} (id ${id})`
      : `promoted existing user ${username} (id ${id}) to staff`,
  );
}

createStaff().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
