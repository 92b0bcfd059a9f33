/**
 * Fetches one https URL twice in a process of its own, started with
 * NODE_EXTRA_CA_CERTS naming the test certificate (Node reads it only at
 * start-up), and prints what came back as JSON.
 */
import { createFetcher } from '../../src/fetch/index.js';

const url = process.argv[2] ?? '';
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 });
try {
  const first = await fetcher.fetch(url);
  const second = await fetcher.fetch(url, { bodySha256: first.bodySha256 });
  const gzipped = await fetcher.fetch(`${url}?gzip`);
  const text = (body: Uint8Array | null): string | null => (body === null ? null : Buffer.from(body).toString('utf8'));
  console.log(
    JSON.stringify({
      first: { status: first.status, body: text(first.body) },
      second: { status: second.status, body: text(second.body) },
      gzipped: { status: gzipped.status, body: text(gzipped.body), bytesReceived: gzipped.bytesReceived },
    }),
  );
} finally {
  fetcher.close();
}
