/**
 * A command line byline cannot use exits 2 with the usage on stderr, having
 * done nothing; invalid config (here a store setting that names no store,
 * from --store or BYLINE_STORE alike) exits 78, EX_CONFIG, also having done
 * nothing; a failure while running exits 1. Scripts and service managers
 * tell "fix the invocation", "fix the config" and "try again later" by that
 * code alone.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-cli-usage-');
let cwd: string;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
});
beforeEach(() => {
  cwd = tempDir();
});

const USAGE_ERRORS: [string, string[], RegExp][] = [
  ['an unknown command', ['publish'], /unknown command 'publish'/],
  ['no command at all', [], /Usage: byline/],
  ['an unknown global flag', ['--verbose', 'sources'], /unknown option '--verbose'/],
  ['an unknown flag of run', ['run', '--prot', '8080'], /unknown option '--prot'/],
  ['an unknown flag of fetch', ['fetch', '--force'], /unknown option '--force'/],
  ['an unknown flag of build', ['build', '--out', 'site', '--clean'], /unknown option '--clean'/],
  ['an unknown flag of sources', ['sources', '--yaml'], /unknown option '--yaml'/],
  ['an unknown flag of import', ['import', 'list.opml', '--into', 'x.yaml'], /unknown option '--into'/],
  ['an unknown flag of check', ['check', '--strict'], /unknown option '--strict'/],
  ['a missing argument', ['import'], /missing required argument 'file'/],
  ['a missing required flag', ['build'], /required option '--out <dir>' not specified/],
  ['a flag without its value', ['sources', '--store'], /option '--store <url>' argument missing/],
  ['a malformed port', ['run', '--port', '80a'], /'--port <port>' argument '80a' is invalid/],
  ['an argument too many', ['sources', 'all'], /too many arguments for 'sources'/],
];

describe('a command line byline cannot use', () => {
  it.each(USAGE_ERRORS)('%s exits 2, with the usage on stderr, having done nothing', async (_name, args, message) => {
    const result = await runCli(args, cwd, { BYLINE_STORE: '', BYLINE_CONFIG: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: byline/);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--help is no error', async () => {
    for (const args of [['--help'], ['sources', '--help'], ['help', 'fetch']]) {
      const result = await runCli(args, cwd);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: byline/);
    }
  });
});

const STORE_SETTINGS: [string, string[], Record<string, string>, string][] = [
  ['a --store naming no store', ['sources', '--store', 'cache/byline.sqlite'], {}, '--store: store: unsupported store URL cache/byline.sqlite (expected sqlite:… or redis://…)'],
  ['a --store naming no store, to a command that never opens one', ['check', '--store', 'postgres://db'], {}, '--store: store: unsupported store URL postgres://db'],
  ['a BYLINE_STORE naming no store', ['sources'], { BYLINE_STORE: 'cache/byline.sqlite' }, 'BYLINE_STORE: store: unsupported store URL cache/byline.sqlite (expected sqlite:… or redis://…)'],
  ['a BYLINE_STORE naming no store, to a command that creates the store', ['fetch'], { BYLINE_STORE: 'sqlite://host/byline.sqlite' }, 'BYLINE_STORE: store(sqlite): expected sqlite:///absolute/path'],
  ['a BYLINE_STORE naming no store, to build', ['build', '--out', 'site'], { BYLINE_STORE: 'postgres://db' }, 'BYLINE_STORE: store: unsupported store URL postgres://db'],
  ['a BYLINE_STORE naming no store, to check', ['check'], { BYLINE_STORE: 'postgres://db' }, 'BYLINE_STORE: store: unsupported store URL postgres://db'],
];

describe('a store setting that names no store', () => {
  it.each(STORE_SETTINGS)('%s exits 78 as invalid config, naming where it came from, having done nothing', async (_name, args, env, message) => {
    mkdirSync(path.join(cwd, 'feeds'));
    writeFileSync(path.join(cwd, 'feeds', 'sources.yaml'), 'sources:\n  - { id: a, name: A, url: "http://127.0.0.1:9/feed.xml" }\n');
    const result = await runCli(args, cwd, { BYLINE_STORE: '', BYLINE_CONFIG: '', ...env });
    expect(result.code).toBe(78);
    expect(result.stderr.startsWith(`byline: invalid config\n${message}`)).toBe(true);
    expect(result.stderr).not.toMatch(/Usage: byline/);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual(['feeds']);
  });

  it('is not refused when --store overrides it', async () => {
    mkdirSync(path.join(cwd, 'feeds'));
    writeFileSync(path.join(cwd, 'feeds', 'sources.yaml'), 'sources:\n  - { id: a, name: A, url: "http://127.0.0.1:9/feed.xml" }\n');
    const result = await runCli(['check', '--store', 'sqlite:cache/byline.sqlite'], cwd, { BYLINE_STORE: 'postgres://db', BYLINE_CONFIG: '' });
    expect(result.code).toBe(0);
  });
});

describe('a failure while running', () => {
  it('still exits 1: a store that cannot be opened', async () => {
    mkdirSync(path.join(cwd, 'feeds'));
    writeFileSync(path.join(cwd, 'feeds', 'sources.yaml'), 'sources:\n  - { id: a, name: A, url: "http://127.0.0.1:9/feed.xml" }\n');
    writeFileSync(path.join(cwd, 'cache'), 'a file where the store folder should go');
    const result = await runCli(['fetch', '--store', 'sqlite:cache/byline.sqlite'], cwd);
    expect(result.stderr).toMatch(/^byline: store_error: store\(sqlite\): cannot open .*cache[/\\]byline\.sqlite/);
    expect(result.code).toBe(1);
  });
});
