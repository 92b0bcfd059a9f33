/**
 * Turning the feeds of an OPML subscription list into source entries for a
 * new file of the config folder: each gets a slug id of its own, its title as
 * name and its web page as site; a feed the config already has (by URL), one
 * listed twice, one that is not http(s) or that a source cannot have is left
 * out with the reason. Pure: the caller reads the OPML and writes the file.
 */
import { stringify } from 'yaml';
import { WebUrlSchema, withoutCredentials, type OpmlFeed } from '../model/index.js';
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

/** The id a feed would like: its title's slug, else its host's. */
function baseId(feed: OpmlFeed): string {
  return slug(feed.title) || slug(hostOf(feed.htmlUrl ?? '') || hostOf(feed.xmlUrl)) || 'source';
}

/**
 * Picks ids free in `taken`: a base as it is, else base-2, base-3, … (the
 * first free). The caller adds each id it keeps to `taken`, which must only
 * grow. Per base, the picker remembers where its last search stopped, since
 * every id below that was taken and still is: a list of n feeds with one title
 * costs O(n) lookups, where searching from -2 each time cost O(n²).
 */
export function createIdPicker(taken: ReadonlySet<string>): (base: string) => string {
  // 1 stands for the base itself.
  const from = new Map<string, number>();
  return (base) => {
    let n = from.get(base) ?? 1;
    while (taken.has(n === 1 ? base : `${base}-${n}`)) n++;
    from.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}

/** The sources to add for `feeds`, given the sources the config folder already has. */
export function sourcesFromOpml(feeds: readonly OpmlFeed[], existing: readonly ConfigSource[]): OpmlImport {
  const taken = new Set(existing.map((source) => source.id));
  const pickId = createIdPicker(taken);
  const known = new Map(existing.map((source) => [feedKey(source.url), `already configured as "${source.id}"`]));
  const sources: ConfigSource[] = [];
  const skipped: OpmlImport['skipped'] = [];
  // The list is printed: a private feed's user and password stay in the file they came from.
  const skip = (xmlUrl: string, reason: string): void => void skipped.push({ url: withoutCredentials(xmlUrl), reason });
  for (const feed of feeds) {
    const url = feedKey(feed.xmlUrl);
    const seen = known.get(url);
    if (seen) {
      skip(feed.xmlUrl, seen);
      continue;
    }
    // A list from elsewhere names web feeds; a file: URL in it would have byline read a local path.
    if (!/^https?:\/\//i.test(feed.xmlUrl)) {
      skip(feed.xmlUrl, 'not an http(s) URL');
      continue;
    }
    const site = feed.htmlUrl !== null && WebUrlSchema.safeParse(feed.htmlUrl).success ? feed.htmlUrl : null;
    const candidate = {
      id: pickId(baseId(feed)),
      name: feed.title || hostOf(feed.htmlUrl ?? '') || hostOf(feed.xmlUrl) || feed.xmlUrl,
      url: feed.xmlUrl,
      ...(site !== null ? { site } : {}),
    };
    const parsed = ConfigSourceSchema.safeParse(candidate);
    if (!parsed.success) {
      // Its id stays free for the next feed.
      skip(feed.xmlUrl, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      continue;
    }
    taken.add(candidate.id);
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
