/**
 * The one config loader: reads every *.yaml / *.yml file of the feeds folder
 * once at start-up and fails fast with every problem named by file and field.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Source } from '../model/index.js';
import { feedKey } from './feed-key.js';
import {
  ConfigSourceSchema,
  SettingsFileSchema,
  SettingsSchema,
  SourcesFileSchema,
  type Config,
  type Settings,
} from './schema.js';

const SETTINGS_FILE = /^byline\.ya?ml$/i;

/**
 * How many alias expansions one file may make. The YAML library's default
 * (100) refuses a folder where a hundred sources share one `credit: *line`;
 * a limit still stops a "billion laughs" file, whose count multiplies.
 */
const MAX_ALIAS_COUNT = 10_000;

/** Renders a zod issue path as `sources[3].url`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function zodIssues(file: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return error.issues.map((issue) => {
    const segments = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return { file, path: formatPath(segments), message: `unknown key(s): ${issue.keys.join(', ')}` };
    }
    return { file, path: formatPath(segments), message: issue.message };
  });
}

function readYaml(absolute: string, shown: string, issues: ConfigIssue[]): unknown {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (cause) {
    issues.push({ file: shown, path: '', message: `cannot read: ${(cause as Error).message}` });
    return undefined;
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const where = error.linePos?.[0] ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      // prettyErrors appends the place and a snippet to the message; the place is given once, before it.
      const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      issues.push({ file: shown, path: where, message: `YAML: ${reason}` });
    }
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (cause) {
    // An alias to nothing, or aliases that expand past the limit, only show when the document is built.
    issues.push({ file: shown, path: '', message: `YAML: ${(cause as Error).message}` });
    return undefined;
  }
}

/**
 * Whether a file in the config folder is read as config: YAML, and not
 * hidden. Hidden files are an editor's or the system's (Emacs's
 * `.#sources.yaml` lock, macOS's `._sources.yaml`), not config.
 */
export function isConfigFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith('.');
}

/**
 * Loads and validates the folder. `dir` is shown in messages as given
 * (`feeds/sources.yaml: sources[3].url: …`). Throws ConfigError listing every issue.
 */
export function loadConfig(dir: string): Config {
  const issues: ConfigIssue[] = [];
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter(isConfigFileName).sort();
  } catch (cause) {
    throw new ConfigError([{ file: dir, path: '', message: `config folder unreadable: ${(cause as Error).message}` }], {
      cause,
    });
  }

  let settings: Settings | undefined;
  let settingsFile: string | undefined;
  const sources: Config['sources'] = [];
  const seen = new Map<string, string>();
  // Enabled sources by feed: two fetching one feed would race for each article's credit (the first commit keeps it).
  const feeds = new Map<string, { id: string; file: string }>();

  for (const name of names) {
    const shown = path.join(dir, name);
    const data = readYaml(path.join(dir, name), shown, issues);
    if (data === undefined) continue;
    const isSettings = SETTINGS_FILE.test(name);
    const parsed = (isSettings ? SettingsFileSchema : SourcesFileSchema).safeParse(data);
    if (!parsed.success) {
      issues.push(...zodIssues(shown, parsed.error));
      continue;
    }
    if (isSettings && settingsFile !== undefined) {
      issues.push({ file: shown, path: '', message: `a second settings file beside ${settingsFile}; keep one` });
      continue;
    }
    if (isSettings) {
      settings = SettingsSchema.parse(stripSources(parsed.data));
      settingsFile = shown;
    }
    (parsed.data.sources ?? []).forEach((raw, index) => {
      const source = ConfigSourceSchema.safeParse(raw);
      if (!source.success) {
        issues.push(...zodIssues(shown, source.error, ['sources', index]));
        return;
      }
      const first = seen.get(source.data.id);
      if (first) {
        issues.push({
          file: shown,
          path: `sources[${index}].id`,
          message: `duplicate id "${source.data.id}" (first defined in ${first})`,
        });
        return;
      }
      seen.set(source.data.id, shown);
      const feed = source.data.enabled ? feedKey(source.data.url) : null;
      const other = feed === null ? undefined : feeds.get(feed);
      if (other) {
        issues.push({
          file: shown,
          path: `sources[${index}].url`,
          message: `the same feed as source "${other.id}" (${other.file}); disable or remove one`,
        });
        return;
      }
      if (feed !== null) feeds.set(feed, { id: source.data.id, file: shown });
      sources.push(source.data);
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return { dir, settings: settings ?? SettingsSchema.parse({}), sources };
}

function stripSources(data: Record<string, unknown>): Record<string, unknown> {
  const { sources: _sources, ...rest } = data;
  return rest;
}

/** Sources the scheduler should fetch. */
export function enabledSources(config: Config): Source[] {
  return config.sources.filter((source) => source.enabled);
}
