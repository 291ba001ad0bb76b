import * as argon2 from 'argon2';

let dummyHash: Promise<string> | undefined;

/** argon2id with the library's defaults (OWASP-recommended parameters). */
export const passwordHasher = {
  hash: (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id }),

  /**
   * Checks a password against a stored hash. With no hash (unknown username) it still spends
   * one verification, so response time does not reveal which accounts exist.
   */
  verify: async (hash: string | undefined, password: string): Promise<boolean> => {
    dummyHash ??= argon2.hash('no such user', { type: argon2.argon2id });
    try {
      const matches = await argon2.verify(hash ?? (await dummyHash), password);
      return hash !== undefined && matches;
    } catch {
      return false;
    }
  },
};
