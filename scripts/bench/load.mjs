#!/usr/bin/env node
// The load generator of `npm run bench`, run as its own process so that it never shares an
// event loop with what it measures. Reads one JSON job from argv[2], runs autocannon against
// 127.0.0.1 and prints one JSON line with the figures.
//
// Job: { url, method?, connections, duration (s), amount?, headers?, body?,
//        headerSets?: [{...}] (rotated per request, e.g. one token per reader),
//        paths?: [..] (rotated per request, each on the url's origin),
//        bodies?: [..] (rotated per request), bodiesFile?: path of a JSON array of strings
//        (each sent once, in order, across all connections: distinct signed notices; the run
//        stops early when they are used up),
//        expectStatus?: number, expectBody?: string }
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const job = JSON.parse(process.argv[2]);
if (!new URL(job.url).hostname.match(/^127\.0\.0\.1$/)) {
  throw new Error(`the bench only loads 127.0.0.1, not ${job.url}`);
}

const bodies = job.bodiesFile ? JSON.parse(readFileSync(job.bodiesFile, 'utf8')) : job.bodies;
const headerSets = job.headerSets;
let next = 0;
let mismatched = 0;
let unexpectedStatus = 0;
const statusCounts = {};

let instance;
const request = {
  method: job.method ?? 'GET',
  setupRequest: (req) => {
    const index = next++;
    if (job.bodiesFile && index >= bodies.length) {
      // Every notice was sent once: end the run rather than repeat one.
      setImmediate(() => instance?.stop());
      return { ...req, body: bodies[bodies.length - 1] };
    }
    const out = { ...req };
    if (job.paths) out.path = job.paths[index % job.paths.length];
    if (headerSets) out.headers = { ...req.headers, ...headerSets[index % headerSets.length] };
    if (bodies) out.body = bodies[index % bodies.length];
    return out;
  },
  onResponse: (status, body) => {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (job.expectStatus !== undefined && status !== job.expectStatus) unexpectedStatus++;
    if (job.expectBody !== undefined && body !== job.expectBody) mismatched++;
  },
};

const result = await new Promise((done, fail) => {
  instance = autocannon(
    {
      url: job.url,
      method: job.method ?? 'GET',
      headers: job.headers ?? {},
      body: job.body,
      connections: job.connections,
      duration: job.duration,
      timeout: 30,
      requests: [request],
    },
    (error, answer) => (error ? fail(error) : done(answer)),
  );
});

console.log(
  JSON.stringify({
    requests: result.requests.total,
    duration: result.duration,
    rps: result.requests.total / result.duration,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpectedStatus,
    mismatched,
    statusCounts,
    bytes: result.throughput.total,
  }),
);
