/**
 * Publishing: reads the newest articles from the store and renders every
 * output. Credit is taken from the current config, so editing a source's name
 * or credit line updates its items without changing a single GUID.
 */
import type { Config } from '../config/index.js';
import type { Article, Source, SourceState } from '../model/index.js';
import { renderAtom, renderIndexHtml, renderJsonFeed, renderRss, type FeedMeta } from '../render/index.js';
import type { Store } from '../store/index.js';
import { sourceHealth } from './health.js';

export const OUTPUT_FILES = {
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
  html: 'index.html',
} as const;

export type OutputName = keyof typeof OUTPUT_FILES;
export type Outputs = Record<OutputName, string>;

const VERSION = '0.1.0';

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

/** The channel-level metadata every renderer needs, derived from settings. */
export function feedMeta(config: Config, articles: readonly Article[]): FeedMeta {
  const { settings } = config;
  const at = (file: string): string => new URL(file, settings.link).toString();
  const newest = articles.reduce<string | null>((max, a) => {
    const time = a.updated ?? a.published;
    return max === null || time > max ? time : max;
  }, null);
  return {
    title: settings.title,
    description: settings.description,
    homeUrl: settings.link,
    selfUrls: { rss: at(OUTPUT_FILES.rss), atom: at(OUTPUT_FILES.atom), json: at(OUTPUT_FILES.json), html: at('') },
    language: settings.output.language ?? null,
    updated: newest ?? new Date(0).toISOString(),
    generator: `byline ${VERSION}`,
    hubUrl: null,
    footerTemplate: settings.output.footer,
    stylesheetUrl: null,
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

/** Renders every output from the store. */
export async function renderOutputs(config: Config, store: Store): Promise<Outputs> {
  const byId = new Map(config.sources.map((source) => [source.id, source]));
  const sourceIds = config.sources.map((source) => source.id);
  const [stored, health] = await Promise.all([
    store.listNewest({ sourceIds, limit: config.settings.output.maxItems }),
    sourceHealth(config, store),
  ]);
  const articles = stored.map((article) => withCurrentCredit(article, byId.get(article.sourceId)));
  const meta = feedMeta(config, articles);
  const rows = health.map((row) => ({
    id: row.id,
    name: row.name,
    site: row.site,
    status: row.status,
    lastError: row.lastError ? { code: row.lastError.code, message: row.lastError.message } : null,
    items: row.items,
    lastSuccessAt: row.lastSuccessAt,
  }));
  return {
    rss: renderRss(meta, articles),
    atom: renderAtom(meta, articles),
    json: renderJsonFeed(meta, articles),
    html: renderIndexHtml(meta, articles, rows),
  };
}
