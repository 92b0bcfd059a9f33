/** What is not a feed, what is a broken feed, and that nothing else ever escapes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parseFeed, parseFeedText } from '../../src/parse/index.js';
import { fixtureBytes } from './helpers.js';

/** Deterministic pseudo-random bytes (a fixed LCG, so the test never changes between runs). */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

async function failure(body: Uint8Array | string, contentType: string | null = null): Promise<ParseError> {
  const attempt = typeof body === 'string' ? parseFeedText(body, { contentType }) : parseFeed(body, { contentType });
  const error = await attempt.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

describe('not a feed', () => {
  it.each<[string, () => Uint8Array | string]>([
    ['an HTML page', () => fixtureBytes('html-page.html')],
    ['an HTML fragment without doctype', () => '<html><body><p>hello &nbsp; world<br></body></html>'],
    ['random bytes', () => noise(2048, 7)],
    ['more random bytes', () => noise(512, 12345)],
    ['an empty string', () => ''],
    ['empty bytes', () => new Uint8Array(0)],
    ['only whitespace', () => ' \n\t '],
    ['plain text', () => 'Service temporarily unavailable'],
    ['an XML document that is not a feed', () => '<?xml version="1.0"?><opml version="2.0"><body/></opml>'],
    ['a truncated prolog', () => '<?xml version="1.0"?><rs'],
  ])('%s -> not_a_feed', async (_name, make) => {
    const error = await failure(make(), 'text/html; charset=utf-8');
    expect(error.code).toBe('not_a_feed');
    expect(error.message).toMatch(/^rss: unable to parse feed: /);
  });
});

describe('broken feeds', () => {
  it.each([
    ['a feed root whose first item never closes', '<rss version="2.0"><channel><title>t</title><item><title>x</title>'],
    ['an Atom feed cut inside its first entry', '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</ti'],
    ['a channel with broken markup and no item', '<rss version="2.0"><channel><title>t</wrong></channel></rss>'],
  ])('%s -> parse_error naming the stage', async (_name, text) => {
    const error = await failure(text);
    expect(error.code).toBe('parse_error');
    expect(error.message).toMatch(/^rss: unable to parse feed: /);
    expect(error.cause).toBeDefined();
  });
});

describe('whatever the input', () => {
  it('either parses or throws a ParseError (never anything else)', async () => {
    const fragments = ['<rss version="2.0">', '<channel>', '<item>', '</item>', '<title>', '</title>', '&', '&nbsp;', '<![CDATA[', ']]>', '<feed xmlns="http://www.w3.org/2005/Atom">', '<entry>', '</entry>', '{', '"version": "https://jsonfeed.org/version/1"', '<', '>', 'text', '\u0000'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 25 }), async (parts) => {
        const outcome = await parseFeedText(parts.join('')).then(
          () => 'parsed',
          (error: unknown) => (error instanceof ParseError ? 'parse-error' : error),
        );
        expect(['parsed', 'parse-error']).toContain(outcome);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile input stays cheap', () => {
  it.each([
    ['100k unclosed tags', '<rss version="2.0"><channel>' + '<a b c '.repeat(100_000)],
    ['100k stray `<`', '<rss version="2.0"><channel>' + '<a <b '.repeat(100_000)],
    ['100k unterminated comments', '<rss version="2.0"><channel>' + '<!--'.repeat(100_000)],
    ['100k unterminated namespace declarations', '<rss version="2.0" ' + ' xmlns:a="'.repeat(100_000)],
    ['an XML declaration padded with 500k spaces', `<?xml${' '.repeat(500_000)}<rss/>`],
    ['50k comments then junk after the root', '<rss version="2.0"><channel></channel></rss>' + '<!-- a -->'.repeat(50_000) + 'x'],
  ])('%s: finishes (parsed or ParseError)', { timeout: 20_000 }, async (_name, text) => {
    const outcome = await parseFeedText(text).then(
      () => 'parsed',
      (error: unknown) => (error instanceof ParseError ? 'parse-error' : error),
    );
    expect(['parsed', 'parse-error']).toContain(outcome);
  });

  it('reads past 100k unclosed tags and 100k end tags that close none of them, in linear time', { timeout: 20_000 }, async () => {
    const junk = '<a>'.repeat(100_000) + '</b>'.repeat(100_000);
    const feed = await parseFeedText(`<rss version="2.0"><channel><title>t</title><item><title>a</title></item>${junk}<item><title>b</title></item></channel></rss>`);
    expect(feed.items.map((item) => item.title)).toEqual(['a', 'b']);
  });
});
