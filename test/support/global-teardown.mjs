export default async function globalTeardown() {
  await globalThis.__renranTestDb?.stop();
}
