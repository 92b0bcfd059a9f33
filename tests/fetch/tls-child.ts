/**
 * Runs fetches of one https origin in a process of its own, started with
 * NODE_EXTRA_CA_CERTS naming the test certificate (Node reads it only at
 * start-up), and prints what came back as JSON.
 */
import { createFetcher } from '../../src/fetch/index.js';

const base = process.argv[2] ?? '';
const parallel = Number(process.argv[3] ?? 0);
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 10_000, concurrency: 16, perHostConcurrency: 16 });
const text = (body: Uint8Array | null): string | null => (body === null ? null : Buffer.from(body).toString('utf8'));
try {
  const first = await fetcher.fetch(`${base}/feed.xml`);
  const second = await fetcher.fetch(`${base}/feed.xml`, { bodySha256: first.bodySha256 });
  const gzipped = await fetcher.fetch(`${base}/feed.xml?gzip`);
  // The server closes this connection after answering: the next fetch needs a new one.
  await fetcher.fetch(`${base}/feed.xml?close`);
  const resumed = await fetcher.fetch(`${base}/feed.xml`);
  const bodies = await Promise.all(Array.from({ length: parallel }, (_, index) => fetcher.fetch(`${base}/big/${index}`)));
  console.log(
    JSON.stringify({
      first: { status: first.status, body: text(first.body) },
      second: { status: second.status, body: text(second.body) },
      gzipped: { status: gzipped.status, body: text(gzipped.body), bytesReceived: gzipped.bytesReceived },
      resumed: { status: resumed.status, body: text(resumed.body) },
      parallel: bodies.map((result) => result.bodySha256),
    }),
  );
} finally {
  fetcher.close();
}
