/**
 * The serve baseline: a bare node:http server that answers GET /feed.xml with
 * bytes it holds in memory (the gzip body byline served), the same headers,
 * and 304 for a matching If-None-Match. What is left once byline's own code is
 * taken away: the cost of moving those bytes.
 *
 *   --body FILE --etag ETAG   (tells its parent `{ port }` over IPC)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { body: { type: 'string' }, etag: { type: 'string' } } });
const body = readFileSync(values.body!);
const etag = values.etag!;
const lastModified = new Date().toUTCString();

const server = createServer((req, res) => {
  const headers = {
    'Content-Type': 'application/rss+xml; charset=utf-8',
    ETag: etag,
    'Last-Modified': lastModified,
    'Cache-Control': 'public, max-age=300',
    Vary: 'Accept-Encoding',
    'Access-Control-Allow-Origin': '*',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) }).end(body);
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
