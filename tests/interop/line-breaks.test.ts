/**
 * Python feedparser reads a carriage return in a published title, source name
 * or item title back as it was rendered: a literal CR would come back as a
 * line feed (XML end-of-line handling), so the writer escapes it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderRss } from '../../src/render/index.js';
import { useTempDirs } from '../helpers/tmp.js';
import { makeArticle, makeMeta } from '../render/fixtures.js';
import { hasFeedparser, PYTHON, run } from './external-tools.js';

const READ_TITLES = `
import feedparser, json, sys
d = feedparser.parse(sys.argv[1])
e = d.entries[0]
print(json.dumps({"bozo": bool(d.bozo), "feed": d.feed.get("title"), "title": e.get("title"), "source": (e.get("source") or {}).get("title")}))
`;

describe.skipIf(!hasFeedparser)(`line breaks in titles through Python feedparser${hasFeedparser ? '' : ' (skipped: /usr/bin/python3 has no feedparser)'}`, () => {
  const tempDir = useTempDirs('byline-line-breaks-');

  it.each([
    ['RSS', renderRss],
    ['Atom', renderAtom],
  ])('%s: the feed title, item title and source name come back exactly', async (_format, render) => {
    const article = makeArticle({ title: 'Model\rrelease\r\nnotes', credit: { sourceName: 'Alpha\rBeta' } });
    const file = path.join(tempDir(), 'feed.xml');
    writeFileSync(file, render(makeMeta({ title: 'Byline\rnews' }), [article]));
    const result = await run(PYTHON, ['-c', READ_TITLES, file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ bozo: false, feed: 'Byline\rnews', title: 'Model\rrelease\r\nnotes', source: 'Alpha\rBeta' });
  });
});
