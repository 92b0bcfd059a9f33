/**
 * `byline build` run twice over the same store writes the same set of files
 * and the same GUIDs (byte-identical feeds, in fact): a static host can
 * rebuild on every cycle without readers ever seeing an item twice.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { GOOD_SOURCES, serveFixtures, writeConfig } from '../helpers/fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-rebuild-');
let server: FixtureServer;

beforeEach(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
  server = await startFixtureServer();
  serveFixtures(server);
});
afterEach(() => server.close());

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

const guids = (xml: string): string[] => [...xml.matchAll(/<(?:guid|id)\b[^>]*>([^<]+)</g)].map((m) => m[1]!);

describe('byline build, twice', () => {
  it('writes the same files with the same GUIDs', async () => {
    const cwd = tempDir();
    writeConfig(cwd, server, GOOD_SOURCES);
    expect((await runCli(['fetch'], cwd)).code).toBe(0);
    expect((await runCli(['build', '--out', 'one'], cwd)).code).toBe(0);
    expect((await runCli(['build', '--out', 'two'], cwd)).code).toBe(0);

    const written = files(path.join(cwd, 'one')).sort();
    expect(written).toEqual(files(path.join(cwd, 'two')).sort());
    for (const file of ['feed.xml', 'atom.xml', 'feed.json', 'newsletter.xml', 'index.html', 'feed.xsl', 'opml.xml', 'sources.html', 'alerts.xml', 'archive/index.html']) {
      expect(written).toContain(file);
    }
    const read = (dir: string, file: string): string => readFileSync(path.join(cwd, dir, file), 'utf8');
    for (const file of ['feed.xml', 'atom.xml']) expect(guids(read('one', file)).length).toBeGreaterThan(1);
    // The newsletter leaves out items first seen more than a day after publication, and the fixture feeds'
    // dates are fixed: how many it holds depends on the day the test runs, not on the build.
    for (const file of ['feed.xml', 'atom.xml', 'newsletter.xml']) expect(guids(read('two', file))).toEqual(guids(read('one', file)));
    const ids = (dir: string) => (JSON.parse(read(dir, 'feed.json')) as { items: Array<{ id: string }> }).items.map((item) => item.id);
    expect(ids('one')).toHaveLength(11);
    expect(ids('two')).toEqual(ids('one'));
    for (const file of written) expect(read('two', file), file).toBe(read('one', file));
  });
});
