/**
 * Where the shared real-world corpus lives (../shared/corpus beside the
 * project) and how to reach the Python feedparser reference: one batched
 * process per request, JSON in on stdin and JSON out on stdout. Shared by the
 * corpus tests and `npm run corpus`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The project root (two levels above tests/corpus/lib). */
export const PROJECT_ROOT = path.resolve(HERE, '../../..');

/** The shared corpus folder. */
export const CORPUS = path.resolve(PROJECT_ROOT, '../shared/corpus');

/** The system Python that has Debian's python3-feedparser (not a pyenv shim on PATH). */
export const PYTHON = '/usr/bin/python3';

const TOOL = path.join(HERE, '..', 'feedparser_tool.py');

/** Absolute path of a corpus-relative path. */
export function corpusPath(relative: string): string {
  return path.join(CORPUS, relative);
}

/** Whether the corpus (its realworld.tsv listing) is present. */
export function corpusPresent(): boolean {
  return existsSync(path.join(CORPUS, 'realworld.tsv'));
}

let feedparserVersion: string | null | undefined;

/** feedparser's version when /usr/bin/python3 can import it, else null (checked once). */
export function feedparserAvailable(): string | null {
  if (feedparserVersion === undefined) {
    const probe = existsSync(PYTHON)
      ? spawnSync(PYTHON, ['-c', 'import feedparser; print(feedparser.__version__)'], { encoding: 'utf8' })
      : null;
    feedparserVersion = probe?.status === 0 ? probe.stdout.trim() : null;
  }
  return feedparserVersion;
}

/** Why a feedparser comparison cannot run here, or null when it can. */
export function referenceMissing(): string | null {
  if (!corpusPresent()) return `${CORPUS} not found`;
  if (feedparserAvailable() === null) return `${PYTHON} cannot import feedparser (install python3-feedparser)`;
  return null;
}

/**
 * Runs one mode of tests/corpus/feedparser_tool.py on a whole batch, in the
 * background (byline can work meanwhile). Rejects with Python's stderr when the
 * tool fails, so a broken reference never reads as a passing comparison.
 */
export function runFeedparserTool<T>(mode: 'realworld' | 'cases' | 'evaluate', request: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // -B: no __pycache__ beside the committed scripts.
    const child = spawn(PYTHON, ['-B', TOOL, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`feedparser_tool.py ${mode} failed (${code}): ${Buffer.concat(err).toString('utf8').slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as T);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** One row of realworld.tsv. */
export interface RealWorldFeed {
  /** Corpus-relative path. */
  file: string;
  format: string;
  site: string;
}

/** The feeds realworld.tsv lists, columns found by its `# cols:` header. */
export function realWorldFeeds(): RealWorldFeed[] {
  const lines = readFileSync(path.join(CORPUS, 'realworld.tsv'), 'utf8').split('\n');
  const header = lines.find((line) => line.startsWith('# cols:'));
  const columns = header?.replace('# cols:', '').trim().split(/\s+/) ?? [];
  const siteColumn = columns.indexOf('site');
  return lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const cells = line.split('\t');
      return { file: cells[0] ?? '', format: cells[1] ?? '', site: cells[siteColumn] ?? cells.at(-1) ?? '' };
    });
}
