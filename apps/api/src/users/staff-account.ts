import type { Repository } from 'typeorm';
import type { UserEntity } from './entities/user.entity.js';
import { passwordHasher } from './password-hasher.js';

export interface StaffUserResult {
  id: number;
  created: boolean;
}

/** Creates a staff user, or promotes an existing one and sets its password. */
export async function saveStaffUser(
  users: Repository<UserEntity>,
  username: string,
  password: string,
): Promise<StaffUserResult> {
  const passwordHash = await passwordHasher.hash(password);
  const existing = await users.findOneBy({ username });
  if (existing) {
    await users.update(existing.id, { isStaff: true, passwordHash });
    return { id: existing.id, created: false };
  }
  const user = await users.save(users.create({ username, passwordHash, isStaff: true }));
  return { id: user.id, created: true };
}
