/** The built `byline` binary, run as an operator would, against a fixture server. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { BROKEN_SOURCES, GOOD_SOURCES, writeConfig } from '../helpers/fixture-feeds.js';
import { useCliWorkspace } from '../helpers/cli-workspace.js';
import { makeArticle } from '../helpers/articles.js';
import { initialSourceState } from '../../src/model/index.js';
import { openSqliteStore } from '../../src/store/index.js';

let server: FixtureServer;
let cwd: string;
const tempDir = useCliWorkspace('byline-cli-', (workspace) => ({ server, cwd } = workspace));


describe('byline check', () => {
  it('accepts a valid folder', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    const result = await runCli(['check'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/feeds: ok, 6 source\(s\), 6 enabled/);
  });

  it('fails with exit 78 (EX_CONFIG) naming the file and the field, and fetch refuses the same config', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    writeFileSync(path.join(cwd, 'feeds', 'more.yaml'), 'sources:\n  - { id: a, name: A, url: "https://a.example" }\n  - { id: bad, name: Bad, url: "ftp://x.example/feed" }\n');
    const broken = await runCli(['check'], cwd);
    expect(broken.code).toBe(78);
    expect(broken.stderr).toBe('byline: invalid config\nfeeds/more.yaml: sources[1].url: invalid URL (expected http, https or file)\n');
    const fetched = await runCli(['fetch'], cwd);
    expect(fetched.code).toBe(78);
    expect(server.requests).toHaveLength(0);
  });

  it('takes an empty BYLINE_CONFIG for an unset one', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    const result = await runCli(['check'], cwd, { BYLINE_CONFIG: '', BYLINE_STORE: '' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/feeds: ok, 6 source\(s\)/);
  });

  it('names a missing config folder', async () => {
    const result = await runCli(['check', '--config', 'nowhere'], cwd);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/nowhere: config folder unreadable/);
  });
});

describe('a failure byline did not foresee', () => {
  it('is one line, and the stack trace only on request', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    // build reads an existing store only.
    await (await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') })).close();
    writeFileSync(path.join(cwd, 'in-the-way'), 'a file where the output folder should go');
    const plain = await runCli(['build', '--out', 'in-the-way'], cwd, { BYLINE_DEBUG: '' });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^byline: EEXIST: file already exists, mkdir '.*in-the-way'\n$/);
    const debug = await runCli(['build', '--out', 'in-the-way'], cwd, { BYLINE_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^byline: Error: EEXIST[^\n]*\n\s+at /);
  });
});

describe('byline import', () => {
  it('adds the feeds of an OPML list as a new sources file, and only the new ones', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    await (await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') })).close();
    expect((await runCli(['build', '--out', 'site'], cwd)).code).toBe(0);
    // byline's own subscription list, into another config folder.
    const opml = path.join(cwd, 'site', 'opml.xml');
    const other = tempDir();
    mkdirSync(path.join(other, 'feeds'));
    writeFileSync(path.join(other, 'feeds', 'byline.yaml'), 'title: Another aggregate\n');
    const imported = await runCli(['import', opml], other);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`imported ${GOOD_SOURCES.length} source(s) into feeds/imported.yaml; 0 skipped\n`);
    expect(imported.code).toBe(0);
    const file = readFileSync(path.join(other, 'feeds', 'imported.yaml'), 'utf8');
    for (const source of GOOD_SOURCES) expect(file).toContain(`url: ${server.url(source.path)}`);
    expect((await runCli(['check'], other)).stdout).toMatch(/feeds: ok, 6 source\(s\), 6 enabled/);

    const again = await runCli(['import', opml], other);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^skipped http:\/\/127\.0\.0\.1:\d+\/\S+: already configured as "[a-z0-9-]+"\n/);
    expect(again.stdout).toMatch(/nothing to import: none of the 6 feed\(s\) in .*opml\.xml is new\n$/);
  });

  it('refuses what is not OPML (exit 2, naming the file) and never overwrites a file (exit 1)', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    writeFileSync(path.join(cwd, 'subs.opml'), '<rss version="2.0"><channel/></rss>');
    const notOpml = await runCli(['import', 'subs.opml'], cwd);
    expect(notOpml.code).toBe(2);
    // The file is an argument, not config: not reported as invalid config.
    const refusal = 'byline: subs.opml: not a whole OPML document (no <opml> root element, or it never ends: the file may be cut short)\n';
    expect(notOpml.stderr).toBe(refusal);
    writeFileSync(path.join(cwd, 'subs.opml'), '<opml version="2.0"><body><outline text="New" xmlUrl="https://new.example/feed"/>');
    const cut = await runCli(['import', 'subs.opml'], cwd);
    expect([cut.code, cut.stderr]).toEqual([2, refusal]);

    writeFileSync(path.join(cwd, 'subs.opml'), '<opml version="2.0"><body><outline text="New" xmlUrl="https://new.example/feed"/></body></opml>');
    writeFileSync(path.join(cwd, 'feeds', 'taken.yaml'), 'sources: []\n');
    const taken = await runCli(['import', 'subs.opml', '--to', 'taken.yaml'], cwd);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('byline: feeds/taken.yaml already exists; choose another name with --to\n');
    expect(readFileSync(path.join(cwd, 'feeds', 'taken.yaml'), 'utf8')).toBe('sources: []\n');
  });

  it('refuses a hidden file name, which the config loader would never read (exit 2)', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    writeFileSync(path.join(cwd, 'subs.opml'), '<opml version="2.0"><body><outline text="New" xmlUrl="https://new.example/feed"/></body></opml>');
    const hidden = await runCli(['import', 'subs.opml', '--to', '.later.yaml'], cwd);
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toBe('byline: --to .later.yaml: expected a file name ending in .yaml or .yml, without a folder or a leading dot\n');
    expect(existsSync(path.join(cwd, 'feeds', '.later.yaml'))).toBe(false);
  });
});

describe('byline fetch, sources and build', () => {
  it('fetches, reports each source, then builds credited files', async () => {
    writeConfig(cwd, server, [...GOOD_SOURCES, BROKEN_SOURCES[0]!]);
    const fetched = await runCli(['fetch'], cwd);
    expect(fetched.code).toBe(0);
    for (const source of GOOD_SOURCES) expect(fetched.stdout).toMatch(new RegExp(`source=${source.id} status=updated new=\\d+`));
    expect(fetched.stdout).toMatch(/source=missing status=failed .*code=http_status/);
    expect(fetched.stdout).toMatch(/fetched 7 source\(s\): 11 new item\(s\), 1 failed/);
    expect(existsSync(path.join(cwd, 'cache', 'byline.sqlite'))).toBe(true);

    const sources = await runCli(['sources', '--json'], cwd);
    expect(sources.code).toBe(0);
    const rows = JSON.parse(sources.stdout) as Array<Record<string, any>>;
    expect(rows.map((row) => [row.id, row.status, row.items])).toEqual([
      ['lab', 'ok', 2],
      ['cloud', 'ok', 2],
      ['preprints', 'ok', 2],
      ['press', 'ok', 2],
      ['cn', 'ok', 1],
      ['hostile', 'ok', 2],
      ['missing', 'failing', 0],
    ]);
    expect(rows[6]!.lastError).toMatchObject({ code: 'http_status' });
    for (const key of ['id', 'name', 'url', 'status', 'lastError', 'lastSuccessAt', 'items']) expect(rows[0]).toHaveProperty(key);

    const table = await runCli(['sources'], cwd);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+ITEMS\s+LAST OK\s+NEXT\s+HTTP\s+PROBLEM$/);
    expect(table.stdout).toMatch(/missing\s+failing\s+0\s+-\s+in \d+\w\s+404\s+http_status: HTTP 404 from 127\.0\.0\.1/);

    const built = await runCli(['build', '--out', 'public'], cwd);
    expect(built.code).toBe(0);
    for (const file of ['feed.xml', 'atom.xml', 'feed.json', 'index.html']) {
      const text = readFileSync(path.join(cwd, 'public', file), 'utf8');
      expect(text, file).toContain('Frontier Lab');
      expect(text, file).toContain('大模型推理成本下降一半');
    }
    expect(readFileSync(path.join(cwd, 'public', 'index.html'), 'utf8')).toContain('Please credit Frontier Lab when republishing.');
  });

  it('records the completed archive pages when it builds, and writes them', async () => {
    writeConfig(cwd, server, [GOOD_SOURCES[0]!], 'output:\n  archivePageSize: 10\n');
    // 25 articles first seen a day ago: two pages are complete, and nothing has recorded them yet.
    const store = await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') });
    const seen = (i: number) => new Date(Date.now() - 86_400_000 + i * 60_000).toISOString();
    const articles = Array.from({ length: 25 }, (_, i) => makeArticle({ id: `a${String(i).padStart(2, '0')}`, sourceId: 'lab', published: seen(i), firstSeen: seen(i) }));
    await store.commitSource({ sourceId: 'lab', state: { ...initialSourceState('lab'), status: 'ok' }, upserts: articles, deletes: [], aliases: {} });
    await store.close();

    const built = await runCli(['build', '--out', 'public'], cwd);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('recorded 2 completed archive page(s)');
    for (const page of ['1', '2']) expect(existsSync(path.join(cwd, 'public', 'archive', `${page}.xml`))).toBe(true);
    const after = await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') });
    try {
      expect((await after.getArchiveLayout()).pages).toHaveLength(2);
    } finally {
      await after.close();
    }
    // Recorded already: a second build records nothing new.
    expect((await runCli(['build', '--out', 'public'], cwd)).stdout).not.toContain('recorded');
  });

  it('exits 1 when every source failed', async () => {
    writeConfig(cwd, server, BROKEN_SOURCES);
    const result = await runCli(['fetch'], cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/3 failed/);
  });
});

describe('byline run', () => {
  it('serves the three feeds, the page and /healthz, and stops on SIGTERM', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    const { child, match, output } = await startCli(['run', '--port', '0'], cwd, /event=listening url=(\S+)/);
    try {
      const base = match[1]!;
      await expect.poll(() => output(), { timeout: 10_000 }).toMatch(/event=cycle sources=6/);
      const feeds = [
        ['feed.xml', 'application/rss+xml'],
        ['atom.xml', 'application/atom+xml'],
        ['feed.json', 'application/feed+json'],
        ['', 'text/html'],
      ];
      for (const [file, type] of feeds) {
        const response = await fetch(new URL(file!, base));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain(type);
        expect(await response.text()).toContain('Frontier Lab');
      }
      expect(await (await fetch(new URL('healthz', base))).json()).toMatchObject({ ok: true, store: 'sqlite', sources: 6 });
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
