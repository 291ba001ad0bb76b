// The article page: `GET /p/1` logged out (the anonymous page cache) and logged in, against a
// bare page of the same Nuxt server padded to the same size.
import { CONNECTIONS, DURATION, log, sleep, SSR_ARTICLE, WARMUP } from '../options.mjs';
import { load, metered, sideBySide } from '../measure.mjs';

export async function articlePage(ctx) {
  const { webUrl, db, readers, rss } = ctx;
  const pageUrl = `${webUrl}/p/${SSR_ARTICLE}`;
  const size = async (url) => {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return Buffer.byteLength(await response.text());
  };
  const pageBytes = await size(pageUrl);
  const emptyBytes = await size(`${webUrl}/__bench/bare?bytes=0`);
  const fill = Math.max(0, pageBytes - emptyBytes);
  const bareUrlPage = `${webUrl}/__bench/bare?bytes=${fill}`;
  const bareBytes = await size(bareUrlPage);
  const pageJob = (url, duration, headers) => ({
    url,
    connections: CONNECTIONS.ssr,
    duration,
    expectStatus: 200,
    ...(headers ? { headers } : {}),
  });
  // The stored count after the API's once-a-second write of the reads it counted.
  const storedReads = async () => {
    await sleep(1500);
    const { rows } = await db.query('SELECT read_count FROM articles WHERE id = $1', [SSR_ARTICLE]);
    return rows[0].read_count;
  };
  log(`article page SSR: warm-up; ${rss()}`);
  await load(pageJob(pageUrl, WARMUP));
  await load(pageJob(bareUrlPage, WARMUP));
  log(`article page SSR: ${DURATION} s each at ${CONNECTIONS.ssr} connections`);
  const readsBefore = await storedReads();
  const { measured: page, baseline: bare } = await sideBySide(
    (duration) => pageJob(pageUrl, duration),
    (duration) => pageJob(bareUrlPage, duration),
  );
  const readsCounted = (await storedReads()) - readsBefore;
  // Requests still in flight when a run stops are answered but not in autocannon's count.
  if (Math.abs(readsCounted - page.requests) > 2 * CONNECTIONS.ssr) {
    console.warn(
      `⚠ the article page counted ${readsCounted} reads for ${page.requests} pages served`,
    );
  }
  // Logged-in readers (each request one of the readers' session cookies): the anonymous page
  // cache never serves them. In turns with the bare page, for the rate and p99 targets.
  const loggedInJob = (duration) => ({
    ...pageJob(pageUrl, duration),
    headerSets: readers.map((reader) => ({ cookie: `renran_token=${reader.token}` })),
  });
  await load(loggedInJob(WARMUP));
  log(`article page, logged in: ${DURATION} s each at ${CONNECTIONS.ssr} connections`);
  const { measured: loggedIn, baseline: bareForLoggedIn } = await sideBySide(
    loggedInJob,
    (duration) => pageJob(bareUrlPage, duration),
  );
  // What the page then asks for a logged-in reader once shown: who they are and their view of
  // the supporters (the two requests in rotation, through the site's /api proxy).
  const payloadJob = (duration) => ({
    ...loggedInJob(duration),
    paths: ['/api/session/me', `/api/article/${SSR_ARTICLE}/rewards`],
  });
  await load(payloadJob(WARMUP));
  log(`the logged-in reader's own parts: ${DURATION / 2} s`);
  const payload = await metered(() => load(payloadJob(DURATION / 2)));
  return {
    page,
    payload,
    bare,
    loggedIn,
    bareForLoggedIn,
    readsCounted,
    pageBytes,
    bareBytes,
    pageJob,
    pageUrl,
  };
}
