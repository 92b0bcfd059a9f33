import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { DEFAULT_FOOTER_TEMPLATE } from '../../src/model/index.js';
import { ConfigError } from '../../src/errors.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-config-');

function folder(files: Record<string, string>): string {
  const dir = path.join(tempDir(), 'feeds');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorOf(dir: string): ConfigError {
  try {
    loadConfig(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const GOOD_SOURCE = 'sources:\n  - id: gogoai\n    name: GogoAI News\n    url: https://www.gogoai.xin/feed\n';

describe('loadConfig', () => {
  it('applies every default when byline.yaml is absent', () => {
    const config = loadConfig(folder({ 'sources.yaml': GOOD_SOURCE }));
    expect(config.settings.schedule).toBe('*/15 * * * *');
    expect(config.settings.fetch).toMatchObject({
      timeoutMs: 20_000,
      maxBytes: 15 * 1024 * 1024,
      concurrency: 16,
      perHostConcurrency: 2,
      allowPrivateAddresses: false,
    });
    expect(config.settings.output).toMatchObject({ maxItems: 100, footer: DEFAULT_FOOTER_TEMPLATE });
    expect(config.settings.retention).toEqual({ maxItemsPerSource: 200, maxAgeDays: 90 });
    expect(config.sources).toEqual([
      { id: 'gogoai', name: 'GogoAI News', url: 'https://www.gogoai.xin/feed', enabled: true },
    ]);
  });

  it('reads settings and sources from every yaml file, in name order', () => {
    const config = loadConfig(
      folder({
        'byline.yaml': 'title: Test\nfetch:\n  concurrency: 4\nsources:\n  - { id: a, name: A, url: "file:///tmp/a.xml" }\n',
        'b.yml': 'sources:\n  - { id: b, name: B, url: "https://b.example/feed", enabled: false, schedule: "0 * * * *" }\n',
        'notes.txt': 'ignored',
      }),
    );
    expect(config.settings.title).toBe('Test');
    expect(config.settings.fetch.concurrency).toBe(4);
    expect(config.settings.fetch.perHostConcurrency).toBe(2);
    expect(config.sources.map((s) => [s.id, s.enabled, s.schedule])).toEqual([
      ['b', false, '0 * * * *'],
      ['a', true, undefined],
    ]);
  });

  it.each([
    [
      'a bad source URL, naming file and field path',
      { 'sources.yaml': GOOD_SOURCE + '  - { id: x, name: X, url: "ftp://x.example/feed" }\n' },
      /feeds[/\\]sources\.yaml: sources\[1\]\.url: invalid URL/,
    ],
    ['an unknown key in a source', { 'sources.yaml': 'sources:\n  - { id: x, name: X, url: "https://x.example", colour: red }\n' }, /sources\[0\]: unknown key\(s\): colour/],
    ['an unknown settings key', { 'byline.yaml': 'titel: typo\n' }, /byline\.yaml: unknown key\(s\): titel/],
    ['settings keys outside byline.yaml', { 'more.yaml': 'title: no\n' }, /more\.yaml: unknown key\(s\): title/],
    ['an unknown language code', { 'byline.yaml': 'output:\n  language: xx\n' }, /byline\.yaml: output\.language: not a known language tag/],
    ['a bad cron expression', { 'byline.yaml': 'schedule: every minute\n' }, /byline\.yaml: schedule: invalid cron/],
    ['a wrong type deep in settings', { 'byline.yaml': 'fetch:\n  timeoutMs: soon\n' }, /byline\.yaml: fetch\.timeoutMs: /],
    ['an alias to nothing', { 'sources.yaml': 'sources:\n  - *nope\n' }, /sources\.yaml: YAML: /],
    [
      'aliases that expand without end',
      { 'sources.yaml': `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`).join('\n')}\n` },
      /sources\.yaml: YAML: .*alias/i,
    ],
    ['two settings files', { 'byline.yaml': 'title: A\n', 'byline.yml': 'title: B\n' }, /byline\.yml: a second settings file beside .*byline\.yaml/],
    ['a User-Agent that would break the request', { 'byline.yaml': 'fetch:\n  userAgent: "bot\\r\\nX-Evil: 1"\n' }, /byline\.yaml: fetch\.userAgent: must not contain control characters/],
    ['a blank User-Agent', { 'byline.yaml': 'fetch:\n  userAgent: "   "\n' }, /byline\.yaml: fetch\.userAgent: /],
    [
      'two sources on one feed told apart only by a fragment',
      { 'sources.yaml': GOOD_SOURCE + '  - { id: again, name: Again, url: "https://www.gogoai.xin/feed#latest" }\n' },
      /sources\[1\]\.url: the same feed as source "gogoai"/,
    ],
    [
      'an interval floor above its ceiling',
      { 'byline.yaml': 'fetch:\n  minIntervalMinutes: 100\n  maxIntervalMinutes: 10\n' },
      /byline\.yaml: fetch\.minIntervalMinutes: must not be more than maxIntervalMinutes/,
    ],
    ['an id that is not a slug', { 'sources.yaml': 'sources:\n  - { id: "Not OK", name: X, url: "https://x.example" }\n' }, /sources\[0\]\.id: must be a slug/],
    ['a missing name', { 'sources.yaml': 'sources:\n  - { id: x, url: "https://x.example" }\n' }, /sources\[0\]\.name: /],
    ['a site that is not http(s)', { 'sources.yaml': 'sources:\n  - { id: x, name: X, url: "https://x.example", site: "javascript:alert(1)" }\n' }, /sources\[0\]\.site: invalid URL/],
    ['broken YAML with its line', { 'sources.yaml': 'sources:\n  - id: x\n   name: bad indent\n' }, /sources\.yaml: line \d+, column \d+: YAML: /],
    ['a duplicate key in YAML', { 'byline.yaml': 'title: a\ntitle: b\n' }, /byline\.yaml: .*YAML: /],
  ])('fails fast on %s', (_name, files, pattern) => {
    const error = errorOf(folder(files));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(pattern);
  });

  it('names the line and column of a YAML error once, before its reason', () => {
    const error = errorOf(folder({ 'sources.yaml': 'sources:\n  - id: a\n    name: A\n    name: B\n    url: https://a.example/\n' }));
    expect(error.issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual(['line 4, column 5: YAML: Map keys must be unique']);
  });

  it('folds line breaks and tabs in the site title and source names into single spaces', () => {
    const config = loadConfig(
      folder({
        'byline.yaml': 'title: |\n  Byline\r\n  \tAI news\n',
        'sources.yaml': 'sources:\n  - id: a\n    name: "  Alpha\\rBeta \\r\\n\\tGamma\\n"\n    url: https://a.example/feed\n',
      }),
    );
    expect(config.settings.title).toBe('Byline AI news');
    expect(config.sources[0]?.name).toBe('Alpha Beta Gamma');
    expect(errorOf(folder({ 'sources.yaml': 'sources:\n  - { id: a, name: "\\r\\n", url: "https://a.example/feed" }\n' })).message).toMatch(
      /sources\[0\]\.name: must not be empty/,
    );
  });

  it('reads a hundred aliases of one credit line, and leaves hidden files alone', () => {
    const many = Array.from({ length: 150 }, (_, i) => `  - { id: s${i}, name: S${i}, url: "https://s${i}.example/feed", credit: *credit }`).join('\n');
    const config = loadConfig(
      folder({
        'sources.yaml': `sources:\n  - { id: first, name: First, url: "https://first.example/feed", credit: &credit "Please credit us." }\n${many}\n`,
        '.#sources.yaml': 'not: [valid',
        '._sources.yaml': 'binary junk',
      }),
    );
    expect(config.sources).toHaveLength(151);
    expect(config.sources.at(-1)?.credit).toBe('Please credit us.');
  });

  it('reports duplicate ids across files with both places', () => {
    const error = errorOf(
      folder({ 'a.yaml': GOOD_SOURCE, 'b.yaml': GOOD_SOURCE.replace('GogoAI News', 'Again') }),
    );
    expect(error.message).toMatch(/b\.yaml: sources\[0\]\.id: duplicate id "gogoai" \(first defined in .*a\.yaml\)/);
  });

  it('refuses two enabled sources on one feed, however its URL is written', () => {
    const error = errorOf(
      folder({
        'a.yaml': GOOD_SOURCE,
        'b.yaml': 'sources:\n  - { id: mirror, name: Mirror, url: "HTTPS://WWW.GOGOAI.XIN/feed" }\n  - { id: other, name: Other, url: "https://other.example/feed" }\n',
      }),
    );
    expect(error.issues).toEqual([
      { file: expect.stringMatching(/b\.yaml$/), path: 'sources[0].url', message: expect.stringMatching(/^the same feed as source "gogoai" \(.*a\.yaml\); disable or remove one$/) },
    ]);
  });

  it('lets a disabled source keep the URL of an enabled one', () => {
    const config = loadConfig(folder({ 'a.yaml': GOOD_SOURCE, 'b.yaml': 'sources:\n  - { id: old, name: Old, url: "https://www.gogoai.xin/feed", enabled: false }\n' }));
    expect(config.sources.map((source) => [source.id, source.enabled])).toEqual([
      ['gogoai', true],
      ['old', false],
    ]);
  });

  it('collects every problem of every file in one error', () => {
    const error = errorOf(
      folder({
        'a.yaml': 'sources:\n  - { id: a, name: A, url: "nope" }\n  - { id: b, name: "", url: "https://b.example" }\n',
        'byline.yaml': 'output:\n  maxItems: 0\n',
      }),
    );
    expect(error.issues.map((issue) => `${path.basename(issue.file)} ${issue.path}`)).toEqual([
      'a.yaml sources[0].url',
      'a.yaml sources[1].name',
      'byline.yaml output.maxItems',
    ]);
  });

  it('fails on a missing folder, naming it', () => {
    const error = errorOf(path.join(tempDir(), 'nope'));
    expect(error.message).toMatch(/nope: config folder unreadable/);
  });

  it('accepts the shipped feeds/ folder with at least 12 credited sources', () => {
    const config = loadConfig(path.resolve(import.meta.dirname, '../../feeds'));
    expect(config.sources.length).toBeGreaterThanOrEqual(12);
    for (const source of config.sources) {
      expect(source.site, source.id).toMatch(/^https:\/\//);
      expect(source.credit, source.id).toBeTruthy();
    }
    expect(config.sources.some((source) => /[\u4e00-\u9fff]/.test(source.name))).toBe(true);
  });
});
