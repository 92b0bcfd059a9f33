/**
 * `byline import FILE.opml [--to NAME]`: adds the feeds of an OPML
 * subscription list to the config folder as a new sources file, which an
 * operator then reviews like any other (credit lines, ids). It never edits or
 * overwrites a file, and it writes nothing the loader would refuse.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isConfigFileName, loadConfig, sourcesFileText, sourcesFromOpml } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { parseOpml } from '../../parse/index.js';
import { loadFrom, type GlobalOptions } from '../context.js';

export interface ImportOptions extends GlobalOptions {
  file: string;
  /** File name to create in the config folder (the CLI's default is `imported.yaml`). */
  to: string;
}

function readOpml(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new UsageError(`${file}: unreadable: ${(cause as Error).message}`, { cause });
  }
}

export function importCommand(options: ImportOptions): number {
  const config = loadFrom(options);
  const feeds = parseOpml(readOpml(options.file));
  if (feeds === null) throw new UsageError(`${options.file}: not a whole OPML document (no <opml> root element, or it never ends: the file may be cut short)`);

  // A name the loader skips (a hidden one), or a path into another folder: its sources would never be read.
  if (/[/\\]/.test(options.to) || !isConfigFileName(options.to)) {
    throw new UsageError(`--to ${options.to}: expected a file name ending in .yaml or .yml, without a folder or a leading dot`);
  }
  const target = path.join(config.dir, options.to);
  const { sources, skipped } = sourcesFromOpml(feeds, config.sources);
  for (const { url, reason } of skipped) console.log(`skipped ${url}: ${reason}`);
  if (sources.length === 0) {
    console.log(`nothing to import: none of the ${feeds.length} feed(s) in ${options.file} is new`);
    return 0;
  }
  if (existsSync(target)) {
    console.error(`byline: ${target} already exists; choose another name with --to`);
    return 1;
  }
  const header = [
    `Imported from ${path.basename(options.file)} on ${new Date().toISOString().slice(0, 10)}: ${sources.length} source(s).`,
    'Review the ids and names, and add each publisher\'s credit line (credit:) where it asks for one.',
  ].join('\n');
  writeFileSync(target, sourcesFileText(sources, header), { flag: 'wx' });
  try {
    // The folder as the next start will read it: a file it would refuse is taken back at once.
    loadConfig(config.dir);
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  }
  console.log(`imported ${sources.length} source(s) into ${target}; ${skipped.length} skipped`);
  return 0;
}
