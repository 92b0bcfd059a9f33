/**
 * `byline fetch` when the publisher's own feed takes an article over from an
 * alerts feed that stored it first: one log line names the article and both
 * sources, and the built feed credits the publisher.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT, ALERT_SOURCES, PUB_ITEM, alertsFeed, publisherFeed } from '../helpers/alert-feeds.js';
import { runCli } from '../helpers/cli.js';
import { useCliWorkspace } from '../helpers/cli-workspace.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { writeConfig } from '../helpers/fixture-feeds.js';

let server: FixtureServer;
let cwd: string;
const tempDir = useCliWorkspace('byline-takeover-cli-', (workspace) => ({ server, cwd } = workspace));

describe('byline fetch', () => {
  it("logs each article the publisher's own feed takes over from an alert", async () => {
    writeConfig(cwd, server, ALERT_SOURCES);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([]) });
    const first = await runCli(['fetch'], cwd);
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain('event=takeover');

    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    const second = await runCli(['fetch'], cwd);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout).toMatch(/ event=takeover guid="tag:byline,2026:[a-z2-7]{26}" from=alerts to=pub\n/);

    const out = tempDir();
    expect((await runCli(['build', '--out', out], cwd)).code).toBe(0);
    const feed = JSON.parse(readFileSync(path.join(out, 'feed.json'), 'utf8')) as { items: Array<{ title: string; _byline: { source: { id: string } } }> };
    expect(feed.items.map((item) => [item.title, item._byline.source.id])).toEqual([[PUB_ITEM.title, 'pub']]);
  });
});
