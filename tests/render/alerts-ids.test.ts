/**
 * Entry ids of the alerts feed: tag: URIs (RFC 4151) under the site's DNS
 * name, which subscribers' readers key on and which therefore never change;
 * for a site whose link is an IP literal, which RFC 4151 does not allow as a
 * tagging authority, name-based urn:uuid ids (RFC 9562, version 5), as stable.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertsAtom } from '../../src/render/index.js';
import { childNamed, childrenNamed, expectWellFormed } from './xml-support.js';

/** RFC 4151's tagURI, with the date as written there (YYYY, YYYY-MM or YYYY-MM-DD). */
const DNS_COMPONENT = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const TAG_URI = new RegExp(
  `^tag:(?:${DNS_COMPONENT}(?:\\.${DNS_COMPONENT})*|[^@\\s,]+@${DNS_COMPONENT}(?:\\.${DNS_COMPONENT})*),\\d{4}(?:-\\d{2}(?:-\\d{2})?)?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?%]*$`,
);
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const IPV4 = /^tag:\d{1,3}(?:\.\d{1,3}){3},/;

const at = '2026-11-25T10:00:00.000Z';
const alerts = [
  { id: `lab:failing:${at}`, sourceId: 'lab', kind: 'failing' as const, at, message: 'Lab started failing.', error: null },
  { id: `lab:moved:${at}`, sourceId: 'lab', kind: 'moved' as const, at, message: 'Lab moved.', error: null },
];

async function idsFor(homeUrl: string): Promise<string[]> {
  const meta = { title: 'Byline', homeUrl, selfUrl: `${homeUrl}alerts.xml`, sourcesUrl: `${homeUrl}sources.html`, updated: at };
  const feed = await expectWellFormed(renderAlertsAtom(meta, alerts));
  return childrenNamed(feed, 'entry').map((entry) => childNamed(entry, 'id').text);
}

describe('alerts feed entry ids', () => {
  it.each(['http://127.0.0.1:8080/', 'http://[::1]:8080/', 'http://10.0.0.7/'])('are valid and stable for an IP-literal link: %s', async (home) => {
    const ids = await idsFor(home);
    for (const id of ids) {
      expect(id.startsWith('tag:') ? TAG_URI.test(id) && !IPV4.test(id) : UUID_URN.test(id), id).toBe(true);
    }
    expect(new Set(ids).size).toBe(2);
    expect(await idsFor(home)).toEqual(ids);
  });

  it('differ between two sites on one address', async () => {
    const [one] = await idsFor('http://127.0.0.1:8080/');
    const [other] = await idsFor('http://127.0.0.1:8081/');
    expect(one).not.toBe(other);
  });

  it.each([
    ['https://byline.example/', 'tag:byline.example,2026-11-25:alerts/lab%3Afailing%3A2026-11-25T10%3A00%3A00.000Z'],
    ['http://localhost:8080/', 'tag:localhost,2026-11-25:alerts/lab%3Afailing%3A2026-11-25T10%3A00%3A00.000Z'],
    ['https://News.Example.COM/byline/', 'tag:news.example.com,2026-11-25:alerts/lab%3Afailing%3A2026-11-25T10%3A00%3A00.000Z'],
  ])('stay as they were for a DNS name: %s', async (home, id) => {
    const [first] = await idsFor(home);
    expect(first).toBe(id);
    expect(TAG_URI.test(first!)).toBe(true);
  });
});
