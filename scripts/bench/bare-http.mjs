#!/usr/bin/env node
// The floor of `GET /article/detail/:id/` in `npm run bench`: a bare node:http server answering
// the article JSON's exact bytes (read once from a file), with no framework at all.
// Usage: node scripts/bench/bare-http.mjs <port> <json file>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const bytes = readFileSync(file);
const server = createServer((request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
  });
  response.end(bytes);
});
server.listen(Number(port), '127.0.0.1', () => console.log(`bare http on 127.0.0.1:${port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
