/**
 * The sources as OPML 2.0 (`/opml.xml`), so a reader can subscribe to each
 * original publisher directly. Only sources with a web feed URL are listed: a
 * `file:` URL means nothing to anyone else and would reveal a local path.
 */
import { withoutCredentials, type Source } from '../model/index.js';
import { isWebUrl } from './html-escape.js';
import { el, serializeXmlDocument, textEl } from './xml.js';

/** What the OPML needs of a source; `url` is where its feed lives now (the caller works that out). */
export type OpmlSource = Pick<Source, 'id' | 'name' | 'url' | 'site'>;

/** Renders the given sources, in the order given, as an OPML 2.0 subscription list titled `title`. */
export function renderOpml(title: string, sources: readonly OpmlSource[]): string {
  const outlines = sources
    .filter((source) => isWebUrl(source.url))
    .map((source) =>
      el('outline', {
        type: 'rss',
        text: source.name,
        title: source.name,
        xmlUrl: withoutCredentials(source.url),
        htmlUrl: isWebUrl(source.site) ? source.site : undefined,
      }),
    );
  const root = el('opml', { version: '2.0' }, el('head', null, textEl('title', title)), el('body', null, ...outlines));
  return serializeXmlDocument(root);
}
