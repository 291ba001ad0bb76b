export default async function globalTeardown() {
  const db = globalThis.__renranTestDb;
  globalThis.__renranTestDb = undefined;
  await db?.stop();
}
