/**
 * Where every published document lives and what each says about itself,
 * derived from the settings: output file names, absolute URLs under the
 * configured `link`, channel metadata, and the credit an article carries
 * under the current config.
 */
import type { Config } from '../config/index.js';
import type { Article, Source, SourceState } from '../model/index.js';
import { isKnownLanguageTag, type FeedMeta, type FormatUrls, type Paging } from '../render/index.js';

/** File names of the fixed outputs (relative to `link`, and to the `build` folder). */
export const OUTPUT_FILES = {
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
  html: 'index.html',
  newsletter: 'newsletter.xml',
  xsl: 'feed.xsl',
  opml: 'opml.xml',
  sources: 'sources.html',
  alerts: 'alerts.xml',
} as const;

export type OutputName = keyof typeof OUTPUT_FILES;

/** The folder of archive pages; `archive/<n>.xml` (RSS), `.atom` and `.json`, numbered from 1 = oldest. */
export const ARCHIVE_DIR = 'archive';

const VERSION = '0.1.0';

/** The absolute URL of an output path under the configured `link`. */
export function urlOf(config: Config, file: string): string {
  return new URL(file, config.settings.link).toString();
}

/** The three formats of archive page `page`, as paths relative to `link`. */
export function archivePaths(page: number): FormatUrls {
  return { rss: `${ARCHIVE_DIR}/${page}.xml`, atom: `${ARCHIVE_DIR}/${page}.atom`, json: `${ARCHIVE_DIR}/${page}.json` };
}

/** The three formats of archive page `page`, as absolute URLs. */
export function archiveUrls(config: Config, page: number): FormatUrls {
  const paths = archivePaths(page);
  return { rss: urlOf(config, paths.rss), atom: urlOf(config, paths.atom), json: urlOf(config, paths.json) };
}

/** The subscription feeds' URLs. */
export function subscriptionUrls(config: Config): FormatUrls {
  return { rss: urlOf(config, OUTPUT_FILES.rss), atom: urlOf(config, OUTPUT_FILES.atom), json: urlOf(config, OUTPUT_FILES.json) };
}

/** Every feed that changes when items are added: what a WebSub hub is told about. */
export function publishedFeedUrls(config: Config): string[] {
  const { rss, atom, json } = subscriptionUrls(config);
  return [rss, atom, json, urlOf(config, OUTPUT_FILES.newsletter)];
}

/** Applies the source's current config to an article's stored credit. */
export function withCurrentCredit(article: Article, source: Source | undefined): Article {
  if (!source) return article;
  return {
    ...article,
    credit: {
      ...article.credit,
      sourceName: source.name,
      sourceSite: source.site ?? article.credit.sourceSite,
      creditLine: source.credit ?? null,
      license: source.license ?? null,
    },
  };
}

/**
 * The subscription feeds' metadata. `paging` links the newest complete archive
 * page when there is one. A configured language that is not an ISO 639 tag is
 * left out rather than published invalid.
 */
export function feedMeta(config: Config, articles: readonly Article[], paging: Paging | null = null): FeedMeta {
  const { settings } = config;
  // When the items last changed: an item's update, or its arrival. A back-dated item changes the
  // feed when it is first seen, and the newsletter dates its items by that.
  const newest = articles.reduce<string | null>((max, a) => {
    const changed = a.updated ?? a.published;
    const time = Date.parse(a.firstSeen) > Date.parse(changed) ? a.firstSeen : changed;
    return max === null || Date.parse(time) > Date.parse(max) ? time : max;
  }, null);
  const language = settings.output.language && isKnownLanguageTag(settings.output.language) ? settings.output.language : null;
  return {
    title: settings.title,
    description: settings.description,
    homeUrl: settings.link,
    selfUrls: {
      ...subscriptionUrls(config),
      html: urlOf(config, ''),
      newsletter: urlOf(config, OUTPUT_FILES.newsletter),
      opml: urlOf(config, OUTPUT_FILES.opml),
    },
    language,
    updated: newest ?? new Date(0).toISOString(),
    generator: `byline ${VERSION}`,
    hubUrl: settings.output.hubUrl ?? null,
    footerTemplate: settings.output.footer,
    // Path-absolute: browsers apply a stylesheet only from the document's own origin.
    stylesheetUrl: new URL(OUTPUT_FILES.xsl, settings.link).pathname,
    paging,
  };
}

/** A cheap fingerprint of everything the outputs depend on; unchanged => cached bytes are still right. */
export function outputsRevision(config: Config, states: ReadonlyMap<string, SourceState>): string {
  return config.sources
    .map((source) => {
      const state = states.get(source.id);
      return `${source.id}:${state?.revision ?? 0}:${state?.status ?? 'new'}:${state?.lastAttemptAt ?? ''}`;
    })
    .join('|');
}
