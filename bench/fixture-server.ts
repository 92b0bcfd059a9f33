/**
 * The benchmarks' feed origin, run as its own process so serving costs no CPU
 * in the process being measured. Serves `/feeds/<i>.xml` for i < --feeds,
 * each answer delayed by --delay-ms, on 127.0.0.1 only.
 *
 * Modes (switched with GET /_mode/<name>):
 *   validators  ETag + Last-Modified, and 304 for a matching If-None-Match /
 *               If-Modified-Since (the cold and warm cycles);
 *   plain       200 with the same bytes and no validators, whatever the
 *               request says (the unchanged cycle).
 * GET /_stats reports requests and body bytes sent since the last /_mode.
 * Tells its parent `{ port }` over IPC once listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { DEFAULT_GENERATOR, generateFeed } from './lib/generate.js';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '500' },
    items: { type: 'string', default: String(DEFAULT_GENERATOR.items) },
    'html-bytes': { type: 'string', default: String(DEFAULT_GENERATOR.htmlBytes) },
    'delay-ms': { type: 'string', default: '100' },
    seed: { type: 'string', default: String(DEFAULT_GENERATOR.seed) },
  },
});
const count = Number(values.feeds);
const delayMs = Number(values['delay-ms']);
const generator = { seed: Number(values.seed), items: Number(values.items), htmlBytes: Number(values['html-bytes']) };
const LAST_MODIFIED = 'Thu, 15 Jan 2026 12:00:00 GMT';

const bodies = Array.from({ length: count }, (_, index) => Buffer.from(generateFeed(index, generator)));
const etags = bodies.map((_, index) => `"bench-${generator.seed}-${index}"`);
let mode: 'validators' | 'plain' = 'validators';
let stats = { requests: 0, ok: 0, notModified: 0, bodyBytes: 0 };

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const control = /^\/_mode\/(validators|plain)$/.exec(url);
  if (control) {
    mode = control[1] as typeof mode;
    stats = { requests: 0, ok: 0, notModified: 0, bodyBytes: 0 };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ mode }));
    return;
  }
  if (url === '/_stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ mode, ...stats }));
    return;
  }
  const match = /^\/feeds\/(\d+)\.xml$/.exec(url);
  const index = match ? Number(match[1]) : -1;
  const body = bodies[index];
  if (!body) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  stats.requests++;
  setTimeout(() => {
    const headers: Record<string, string> = { 'Content-Type': 'application/rss+xml; charset=utf-8' };
    if (mode === 'validators') {
      headers.ETag = etags[index]!;
      headers['Last-Modified'] = LAST_MODIFIED;
      const matches = req.headers['if-none-match'] === etags[index] || req.headers['if-modified-since'] === LAST_MODIFIED;
      if (matches) {
        stats.notModified++;
        res.writeHead(304, headers).end();
        return;
      }
    }
    stats.ok++;
    stats.bodyBytes += body.length;
    res.writeHead(200, { ...headers, 'Content-Length': String(body.length) }).end(body);
  }, delayMs);
}

const server = createServer(answer);
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port, feeds: count, bytes: bodies.reduce((sum, body) => sum + body.length, 0) });
});
// The parent going away (or closing the channel) ends this process: nothing is left listening.
process.on('disconnect', () => process.exit(0));
