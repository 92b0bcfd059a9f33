/**
 * The operator's alerts as an Atom feed (`/alerts.xml`): one entry per health
 * change (a source failing, recovering, gone or moved), so an operator can
 * subscribe in any feed reader and hear about broken sources.
 */
import { z } from 'zod';
import { AlertSchema, WebUrlSchema, type Alert } from '../model/index.js';
import { formatIsoUtc, latestIso } from './dates.js';
import { el, serializeXmlDocument, textEl, type XmlNode } from './xml.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** What the alerts feed says about itself. */
export const AlertsMetaSchema = z.object({
  /** The site's title; the feed is titled "<title>: alerts". */
  title: z.string().trim().min(1),
  /** The site's home page (config `link`). */
  homeUrl: WebUrlSchema,
  /** Where the alerts feed is served. */
  selfUrl: WebUrlSchema,
  /** The sources health page, linked from every entry. */
  sourcesUrl: WebUrlSchema,
  /** Display names by source id; an unknown id is shown as itself. */
  sourceNames: z.record(z.string(), z.string()).default({}),
  /** Feed `updated` when there are no alerts. */
  updated: z.iso.datetime({ offset: true }),
  generator: z.string().trim().min(1).default('byline'),
});
export type AlertsMeta = z.infer<typeof AlertsMetaSchema>;
/** AlertsMeta as callers write it (defaults may be left out). */
export type AlertsMetaInput = z.input<typeof AlertsMetaSchema>;

const KIND_WORDS: Readonly<Record<Alert['kind'], string>> = {
  failing: 'is failing',
  recovered: 'recovered',
  gone: 'is gone',
  moved: 'moved',
};

/**
 * A tag: URI (RFC 4151) for an alert: the site's host, the alert's own date,
 * and its id. The id is stable, so the entry id is too.
 */
function alertId(homeUrl: string, alert: Alert): string {
  const host = new URL(homeUrl).hostname;
  return `tag:${host},${formatIsoUtc(alert.at).slice(0, 10)}:alerts/${encodeURIComponent(alert.id)}`;
}

function entryNode(meta: AlertsMeta, alert: Alert): XmlNode {
  const name = meta.sourceNames[alert.sourceId] ?? alert.sourceId;
  const details = [alert.message, alert.error ? `${alert.error.code}: ${alert.error.message}` : null].filter((line) => line !== null);
  const anchor = `#source-${encodeURIComponent(alert.sourceId)}`;
  return el(
    'entry',
    null,
    textEl('id', alertId(meta.homeUrl, alert)),
    textEl('title', `${name} ${KIND_WORDS[alert.kind]}`, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: `${meta.sourcesUrl}${anchor}` }),
    textEl('updated', formatIsoUtc(alert.at)),
    el('category', { term: alert.kind }),
    textEl('content', details.join('\n'), { type: 'text' }),
  );
}

/**
 * Renders alerts (newest first, as given) as Atom 1.0. Both inputs are
 * validated; the feed's author is the site, as alerts are byline's own words.
 */
export function renderAlertsAtom(meta: AlertsMetaInput, alerts: Alert[]): string {
  const m = AlertsMetaSchema.parse(meta);
  const list = alerts.map((alert) => AlertSchema.parse(alert));
  const root = el(
    'feed',
    { xmlns: ATOM_NS },
    textEl('id', m.selfUrl),
    textEl('title', `${m.title}: alerts`, { type: 'text' }),
    textEl('updated', formatIsoUtc(latestIso(list.map((alert) => alert.at), m.updated))),
    el('link', { rel: 'self', type: 'application/atom+xml', href: m.selfUrl }),
    el('link', { rel: 'alternate', type: 'text/html', href: m.sourcesUrl }),
    el('author', null, textEl('name', m.title), textEl('uri', m.homeUrl)),
    textEl('generator', m.generator),
    ...list.map((alert) => entryNode(m, alert)),
  );
  return serializeXmlDocument(root);
}
