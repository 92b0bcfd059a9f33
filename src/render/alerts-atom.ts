/**
 * The operator's alerts as an Atom feed (`/alerts.xml`): one entry per health
 * change (a source failing, recovering, gone or moved), so an operator can
 * subscribe in any feed reader and hear about broken sources.
 */
import { createHash } from 'node:crypto';
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

const DNS_COMPONENT = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/** RFC 4151's DNSname, less the all-numeric names that are IPv4 addresses, not names anyone owns. */
const DNS_NAME = new RegExp(`^(?!\\d+(?:\\.\\d+){3}$)${DNS_COMPONENT}(?:\\.${DNS_COMPONENT})*$`);

/** RFC 9562's namespace for names that are URLs. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/** A name-based (version 5, SHA-1) UUID URN: the same name always gives the same id. */
function uuidV5Urn(name: string): string {
  const bytes = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An alert's entry id, stable as long as the site's link is. Under a DNS name
 * it is a tag: URI (RFC 4151) of the host, the alert's own date and its id;
 * subscribers' readers key on those, so they never change. RFC 4151 takes only
 * a domain name or an e-mail address as the tagging authority, so a link whose
 * host is an IP literal (a site on 127.0.0.1:8080 or [::1]) gets a version 5
 * UUID of its origin (the port included, as two sites may share an address)
 * and the alert's id instead.
 */
function alertId(homeUrl: string, alert: Alert): string {
  const url = new URL(homeUrl);
  if (DNS_NAME.test(url.hostname)) {
    return `tag:${url.hostname},${formatIsoUtc(alert.at).slice(0, 10)}:alerts/${encodeURIComponent(alert.id)}`;
  }
  return uuidV5Urn(`${url.origin}/alerts/${alert.id}`);
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
