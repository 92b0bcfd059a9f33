/**
 * Publishing: reads what the outputs need from the store once (a snapshot),
 * then renders any published path from it: the subscription feeds, the
 * newsletter profile, archive pages, the HTML pages, the XSL, OPML and the
 * alerts feed. The server renders paths lazily per snapshot; `byline build`
 * renders them all. Credit is taken from the current config, so editing a
 * source's name or credit line updates its items without changing a GUID.
 */
import type { Config } from '../config/index.js';
import type { Alert, Article, SourceHealth } from '../model/index.js';
import {
  FEED_XSL,
  renderAlertsAtom,
  renderArchiveIndexHtml,
  renderAtom,
  renderIndexHtml,
  renderJsonFeed,
  renderOpml,
  renderRss,
  renderSourcesHtml,
  type FeedMeta,
  type OpmlSource,
} from '../render/index.js';
import type { Store } from '../store/index.js';
import { createArchiveIndex, planArchive, readLayout, type ArchiveIndex, type ArchivePlan } from './archive.js';
import { sourceHealth } from './health.js';
import { withLearnedImage, type ImageLengths } from './image-lengths.js';
import { selectNewsletter } from './newsletter.js';
import {
  ARCHIVE_DIR,
  archivePaths,
  archiveUrls,
  feedMeta,
  OUTPUT_FILES,
  subscriptionUrls,
  urlOf,
  withCurrentCredit,
  type OutputName,
} from './publish-meta.js';

export { ARCHIVE_DIR, OUTPUT_FILES, feedMeta, outputsRevision, publishedFeedUrls, withCurrentCredit } from './publish-meta.js';
export type { OutputName } from './publish-meta.js';

/** Alerts listed in the alerts feed. */
const ALERTS_LISTED = 100;

/** What publishing reads besides config and store. */
export interface PublishOptions {
  /** The clock; decides which archive pages are complete. */
  now?: () => Date;
  /** Image lengths and types learned by HEAD requests; read only here. */
  imageLengths?: Pick<ImageLengths, 'get' | 'typeOf'> | null;
  /** Remembers firstSeen per article across builds (one per process). */
  archiveIndex?: ArchiveIndex;
}

/** Everything the outputs are rendered from, read from the store at one moment. */
export interface PublishSnapshot {
  config: Config;
  store: Store;
  /** The subscription feeds' metadata (with the archive link). */
  meta: FeedMeta;
  /** The subscription feeds' items, newest first by min(published, firstSeen). */
  articles: Article[];
  /** The newsletter profile's items, newest first by firstSeen. */
  newsletter: Article[];
  archive: ArchivePlan;
  health: SourceHealth[];
  alerts: Alert[];
  /** Current credit and learned image length applied to a stored article. */
  prepare(article: Article): Article;
}

/** Reads a snapshot of everything the outputs depend on. */
export async function loadSnapshot(config: Config, store: Store, options: PublishOptions = {}): Promise<PublishSnapshot> {
  const byId = new Map(config.sources.map((source) => [source.id, source]));
  const sourceIds = config.sources.map((source) => source.id);
  const { maxItems, archivePageSize } = config.settings.output;
  const lengths = options.imageLengths ?? null;
  const prepare = (article: Article): Article => withLearnedImage(withCurrentCredit(article, byId.get(article.sourceId)), lengths);
  const index = options.archiveIndex ?? createArchiveIndex();
  const [stored, newsletter, health, alerts, entries, layout] = await Promise.all([
    store.listNewest({ sourceIds, limit: maxItems }),
    selectNewsletter(store, sourceIds, maxItems),
    sourceHealth(config, store),
    store.listAlerts(sourceIds, ALERTS_LISTED),
    index.entries(store, sourceIds),
    readLayout(store),
  ]);
  // An unreadable record is replaced after the next cycle (fixArchivePages); until then the pages are planned afresh.
  const archive = planArchive(entries, archivePageSize, (options.now ?? (() => new Date()))(), layout.layout ?? { pages: [] });
  const articles = stored.map(prepare);
  const paging =
    archive.pageCount > 0 ? { archive: false, current: null, prevArchive: archiveUrls(config, archive.pageCount), nextArchive: null } : null;
  return {
    config,
    store,
    meta: feedMeta(config, articles, paging),
    articles,
    newsletter: newsletter.map(prepare),
    archive,
    health,
    alerts,
    prepare,
  };
}

/** Every path the snapshot publishes, relative to `link` (the fixed outputs, then the archive). */
export function outputPaths(snapshot: PublishSnapshot): string[] {
  const pages = Array.from({ length: snapshot.archive.pageCount }, (_, i) => Object.values(archivePaths(i + 1))).flat();
  return [...Object.values(OUTPUT_FILES), `${ARCHIVE_DIR}/index.html`, ...pages];
}

function sourceRows(health: SourceHealth[]) {
  return health.map((row) => ({
    id: row.id,
    name: row.name,
    site: row.site,
    status: row.status,
    lastError: row.lastError ? { code: row.lastError.code, message: row.lastError.message } : null,
    items: row.items,
    lastSuccessAt: row.lastSuccessAt,
  }));
}

/**
 * The enabled sources at the address each feed lives at now: where a
 * permanent redirect the fetcher remembers leads (the health view works it
 * out from the stored state, as the fetcher does), else the configured URL.
 * A reader importing the list then subscribes where the feed is, not to an
 * address that only redirects.
 */
function opmlSources(config: Config, health: readonly SourceHealth[]): OpmlSource[] {
  const movedTo = new Map(health.map((row) => [row.id, row.redirectedTo]));
  return config.sources.filter((source) => source.enabled).map((source) => ({ ...source, url: movedTo.get(source.id) ?? source.url }));
}

function renderFixed(s: PublishSnapshot, name: OutputName): string {
  const { config, meta } = s;
  switch (name) {
    case 'rss':
      return renderRss(meta, s.articles);
    case 'atom':
      return renderAtom(meta, s.articles);
    case 'json':
      return renderJsonFeed(meta, s.articles);
    case 'html':
      return renderIndexHtml(meta, s.articles, sourceRows(s.health));
    case 'newsletter': {
      const self = urlOf(config, OUTPUT_FILES.newsletter);
      const newsletterMeta = { ...feedMeta(config, s.newsletter), selfUrls: { ...meta.selfUrls, rss: self } };
      return renderRss(newsletterMeta, s.newsletter, 'newsletter');
    }
    case 'xsl':
      return FEED_XSL;
    case 'opml':
      return renderOpml(config.settings.title, opmlSources(config, s.health));
    case 'sources':
      return renderSourcesHtml(config.settings.title, s.health);
    case 'alerts':
      return renderAlertsAtom(
        {
          title: config.settings.title,
          homeUrl: config.settings.link,
          selfUrl: urlOf(config, OUTPUT_FILES.alerts),
          sourcesUrl: urlOf(config, OUTPUT_FILES.sources),
          sourceNames: Object.fromEntries(config.sources.map((source) => [source.id, source.name])),
          updated: meta.updated,
          generator: meta.generator,
        },
        s.alerts,
      );
  }
}

async function pageArticles(s: PublishSnapshot, page: number): Promise<Article[]> {
  const entries = s.archive.entriesOf(page);
  const stored = await s.store.getArticles(entries);
  // Newest first inside the page, like every other feed.
  return entries
    .map((entry) => stored.get(entry.id))
    .filter((article): article is Article => article !== undefined)
    .map(s.prepare)
    .reverse();
}

async function renderArchivePage(s: PublishSnapshot, page: number, format: 'rss' | 'atom' | 'json'): Promise<string> {
  const { config } = s;
  const articles = await pageArticles(s, page);
  const base = feedMeta(config, articles, {
    archive: true,
    current: subscriptionUrls(config),
    prevArchive: page > 1 ? archiveUrls(config, page - 1) : null,
    nextArchive: page < s.archive.pageCount ? archiveUrls(config, page + 1) : null,
  });
  const meta: FeedMeta = {
    ...base,
    title: `${base.title} (archive page ${page})`,
    selfUrls: { ...base.selfUrls, ...archiveUrls(config, page) },
  };
  if (format === 'rss') return renderRss(meta, articles);
  if (format === 'atom') return renderAtom(meta, articles);
  return renderJsonFeed(meta, articles);
}

function renderArchiveIndex(s: PublishSnapshot): string {
  const rows = Array.from({ length: s.archive.pageCount }, (_, i) => {
    const entries = s.archive.entriesOf(i + 1);
    return {
      page: i + 1,
      urls: archiveUrls(s.config, i + 1),
      // A page whose items retention deleted is still listed: the pages after it keep their numbers.
      from: entries[0]?.firstSeen ?? null,
      to: entries.at(-1)?.firstSeen ?? null,
      items: entries.length,
    };
  });
  return renderArchiveIndexHtml(s.meta, rows, s.archive.pageSize);
}

const ARCHIVE_PAGE = new RegExp(`^${ARCHIVE_DIR}/([1-9][0-9]{0,8})\\.(xml|atom|json)$`);
const FORMAT_BY_EXTENSION = { xml: 'rss', atom: 'atom', json: 'json' } as const;

const FIXED_PATHS: ReadonlySet<string> = new Set([...Object.values(OUTPUT_FILES), `${ARCHIVE_DIR}/index.html`]);

/**
 * Whether a snapshot with `archivePages` complete archive pages publishes
 * `path`: exactly the paths {@link renderPath} renders rather than answering
 * `null`. Knowing the page count is enough, so the server can turn away a
 * page number past it without reading or rendering anything.
 */
export function isPublished(path: string, archivePages: number): boolean {
  if (FIXED_PATHS.has(path)) return true;
  const match = ARCHIVE_PAGE.exec(path);
  return match !== null && Number(match[1]) <= archivePages;
}

/**
 * Renders one published path (as listed by {@link outputPaths}); `null` when
 * the snapshot publishes nothing there (e.g. an archive page not complete yet).
 */
export async function renderPath(snapshot: PublishSnapshot, path: string): Promise<string | null> {
  // The one gate, so the server's check without a render can never disagree with a render.
  if (!isPublished(path, snapshot.archive.pageCount)) return null;
  const fixed = (Object.entries(OUTPUT_FILES) as [OutputName, string][]).find(([, file]) => file === path);
  if (fixed) return renderFixed(snapshot, fixed[0]);
  if (path === `${ARCHIVE_DIR}/index.html`) return renderArchiveIndex(snapshot);
  // Neither fixed nor the index, yet published: an archive page within the count.
  const match = ARCHIVE_PAGE.exec(path)!;
  const page = Number(match[1]);
  return renderArchivePage(snapshot, page, FORMAT_BY_EXTENSION[match[2] as keyof typeof FORMAT_BY_EXTENSION]);
}

/** The fixed outputs by name. */
export type Outputs = Record<OutputName, string>;

/** Renders every fixed output from the store (archive pages: see {@link renderPath}). */
export async function renderOutputs(config: Config, store: Store, options: PublishOptions = {}): Promise<Outputs> {
  const snapshot = await loadSnapshot(config, store, options);
  const names = Object.keys(OUTPUT_FILES) as OutputName[];
  return Object.fromEntries(names.map((name) => [name, renderFixed(snapshot, name)])) as Outputs;
}
