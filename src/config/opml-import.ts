/**
 * Turning the feeds of an OPML subscription list into source entries for a
 * new file of the config folder: each gets a slug id of its own, its title as
 * name and its web page as site; a feed the config already has (by URL), one
 * listed twice, one that is not http(s) or that a source cannot have is left
 * out with the reason. Pure: the caller reads the OPML and writes the file.
 */
import { stringify } from 'yaml';
import { WebUrlSchema, type OpmlFeed } from '../model/index.js';
import { feedKey } from './feed-key.js';
import { ConfigSourceSchema, type Config } from './schema.js';

type ConfigSource = Config['sources'][number];

/** What an import adds, and what it leaves out and why. */
export interface OpmlImport {
  sources: ConfigSource[];
  skipped: { url: string; reason: string }[];
}

const MAX_ID_LENGTH = 40;

/** Lower-case ASCII letters and digits joined by `-`, or '' when the text has none (a Chinese title). */
function slug(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  if (!words) return '';
  let id = '';
  for (const word of words) {
    const next = id === '' ? word : `${id}-${word}`;
    if (next.length > MAX_ID_LENGTH) break;
    id = next;
  }
  return id || words[0]!.slice(0, MAX_ID_LENGTH);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The title's slug, else the host's, made unique against `taken` with -2, -3, … */
function uniqueId(feed: OpmlFeed, taken: Set<string>): string {
  const base = slug(feed.title) || slug(hostOf(feed.htmlUrl ?? '') || hostOf(feed.xmlUrl)) || 'source';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** The sources to add for `feeds`, given the sources the config folder already has. */
export function sourcesFromOpml(feeds: readonly OpmlFeed[], existing: readonly ConfigSource[]): OpmlImport {
  const taken = new Set(existing.map((source) => source.id));
  const known = new Map(existing.map((source) => [feedKey(source.url), `already configured as "${source.id}"`]));
  const sources: ConfigSource[] = [];
  const skipped: OpmlImport['skipped'] = [];
  for (const feed of feeds) {
    const url = feedKey(feed.xmlUrl);
    const seen = known.get(url);
    if (seen) {
      skipped.push({ url: feed.xmlUrl, reason: seen });
      continue;
    }
    // A list from elsewhere names web feeds; a file: URL in it would have byline read a local path.
    if (!/^https?:\/\//i.test(feed.xmlUrl)) {
      skipped.push({ url: feed.xmlUrl, reason: 'not an http(s) URL' });
      continue;
    }
    const site = feed.htmlUrl !== null && WebUrlSchema.safeParse(feed.htmlUrl).success ? feed.htmlUrl : null;
    const candidate = {
      id: uniqueId(feed, taken),
      name: feed.title || hostOf(feed.htmlUrl ?? '') || hostOf(feed.xmlUrl) || feed.xmlUrl,
      url: feed.xmlUrl,
      ...(site !== null ? { site } : {}),
    };
    const parsed = ConfigSourceSchema.safeParse(candidate);
    if (!parsed.success) {
      taken.delete(candidate.id);
      skipped.push({ url: feed.xmlUrl, reason: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
      continue;
    }
    known.set(url, `listed twice (imported as "${parsed.data.id}")`);
    sources.push(parsed.data);
  }
  return { sources, skipped };
}

/** A sources file holding `sources`, under a comment that says where they came from. */
export function sourcesFileText(sources: readonly ConfigSource[], header: string): string {
  const entries = sources.map(({ enabled, ...rest }) => (enabled ? rest : { ...rest, enabled }));
  const comment = header
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${comment}\n${stringify({ sources: entries }, { lineWidth: 0 })}`;
}
