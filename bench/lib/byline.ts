/**
 * byline as the benchmarks run it: the compiled build in dist/ (what `npm
 * start` runs), loaded at run time and typed by the sources it was built from.
 * `ensureBuilt` rebuilds dist/ first when any source file is newer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './child.js';

const SRC = path.join(ROOT, 'src');
// BYLINE_DIST lets a benchmark run against a private build while dist/ is in use elsewhere.
const DIST = process.env.BYLINE_DIST ? path.resolve(process.env.BYLINE_DIST) : path.join(ROOT, 'dist');

/** The CLI entry, for steps that run byline as a user would. */
export const BYLINE_BIN = path.join(DIST, 'cli', 'main.js');

/** Imports `dist/<relative>`; `T` is the type of the matching source module. */
export async function fromDist<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(path.join(DIST, relative)).href)) as T;
}

function staleFiles(dir: string): string[] {
  const stale: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) stale.push(...staleFiles(file));
    else if (entry.name.endsWith('.ts')) {
      const built = path.join(DIST, path.relative(SRC, file)).replace(/\.ts$/, '.js');
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs) stale.push(file);
    }
  }
  return stale;
}

/** Builds dist/ when it is missing or older than src/; returns a note for the report, or null. */
export function ensureBuilt(): string | null {
  const stale = staleFiles(SRC);
  if (stale.length === 0) return null;
  console.error(`bench: building dist/ (${stale.length} source file(s) newer than the build)`);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', DIST], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // tsc still emits on type errors; the figures are then of what was emitted, and the report says so.
  return build.status === 0 ? null : `dist/ built with type errors (tsc exit ${build.status})`;
}
