/**
 * A site that moved (to https, to or from `www.`) changes every alias key
 * made of a link at once (see pipeline/moved-keys.ts). When a source that has
 * stored articles finds at least half of a fetch's items unknown, the earlier
 * forms of those items' keys are looked up, and the articles of this source
 * they name are read, for the plan to merge the moved items into. Half, not
 * all: an item whose link is not the site's (a repository, a partner's page)
 * stays known through a move. A routine fetch brings a few new items among
 * known ones and asks nothing more; a moved link is only followed to an
 * article of the same source.
 */
import type { Article, Candidate, SourceState } from '../model/index.js';
import { movedHits, movedKeyVariants } from '../pipeline/index.js';
import type { Store } from '../store/index.js';

export interface MovedArticles {
  /** Alias key of this fetch -> id of this source's article its earlier form names. */
  hits: Map<string, string>;
  /** Those articles, by id. */
  articles: Map<string, Article>;
}

const NONE: MovedArticles = { hits: new Map(), articles: new Map() };

/**
 * The moved articles of a fetch, given what the store answered for its
 * candidates' keys (`aliasHits`). A source's first fetch, and a fetch that
 * knows more than half of its items, asks the store nothing more.
 */
export async function movedArticles(
  store: Store,
  sourceId: string,
  candidates: readonly Candidate[],
  aliasHits: ReadonlyMap<string, string>,
  previous: SourceState,
): Promise<MovedArticles> {
  if (previous.itemsStored === 0) return NONE;
  const strangers = candidates.filter((candidate) => !candidate.aliasKeys.some((key) => aliasHits.has(key)));
  if (strangers.length === 0 || strangers.length * 2 < candidates.length) return NONE;
  const unknown = [...new Set(strangers.flatMap((candidate) => candidate.aliasKeys))];
  const variants = [...new Set(unknown.flatMap(movedKeyVariants))];
  if (variants.length === 0) return NONE;
  const found = movedHits(unknown, await store.resolveAliases(variants));
  if (found.size === 0) return NONE;
  const articles = await store.getArticles([...new Set(found.values())].map((id) => ({ sourceId, id })));
  const hits = new Map([...found].filter(([, id]) => articles.has(id)));
  return { hits, articles };
}
