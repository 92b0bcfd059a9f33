/**
 * End to end, in process: fixture HTTP server -> fetch -> parse -> normalize
 * -> SQLite store -> every output format. Nothing is mocked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { sourceHealth } from '../../src/jobs/health.js';
import { renderOutputs, type Outputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { BROKEN_SOURCES, fixture, GOOD_SOURCES, serveFixtures, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-e2e-');
let server: FixtureServer;
let dir: string;
const open: Context[] = [];

beforeEach(async () => {
  server = await startFixtureServer();
  serveFixtures(server);
  dir = tempDir();
});
afterEach(async () => {
  for (const context of open.splice(0)) await context.close();
  await server.close();
});

async function context(): Promise<Context> {
  const ctx = await openContext({
    config: path.join(dir, 'feeds'),
    store: `sqlite:${path.join(dir, 'cache', 'byline.sqlite')}`,
  }, { create: true });
  open.push(ctx);
  return ctx;
}

async function cycle(ctx: Context) {
  return runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
}

const FOOTER_HOSTS: Record<string, string> = {
  lab: 'Frontier Lab (lab.example)',
  cloud: 'Cloud AI Blog (cloud.example)',
  preprints: 'Preprints cs.AI (preprints.example)',
  press: 'AI Desk Daily (press.example)',
  cn: 'GogoAI 中文 (news.example.cn)',
  hostile: 'Hostile Blog (hostile.example)',
};

async function parsedOutputs(outputs: Outputs) {
  const parser = new Parser({ customFields: { item: [['source', 'source', { keepArray: false }]] } });
  return { rss: await parser.parseString(outputs.rss), atom: await parser.parseString(outputs.atom), json: JSON.parse(outputs.json) };
}

describe('a cycle over the fixture sources', () => {
  it('stores every entry and publishes each with its credit in all three formats', async () => {
    writeConfig(dir, server, GOOD_SOURCES);
    const ctx = await context();
    const report = await cycle(ctx);
    // Outcomes arrive in completion order; compare by source.
    expect(report.outcomes.map((o) => [o.sourceId, o.status, o.error]).sort()).toEqual(
      GOOD_SOURCES.map((s) => [s.id, 'updated', null]).sort(),
    );
    const outputs = await renderOutputs(ctx.config, ctx.store);
    const { rss, atom, json } = await parsedOutputs(outputs);
    // 2 lab + 2 cloud + 2 preprints + 2 press + 1 cn + 2 hostile
    expect(rss.items).toHaveLength(11);
    expect(atom.items).toHaveLength(11);
    expect(json.items).toHaveLength(11);

    for (const item of json.items as Array<Record<string, any>>) {
      const credit = item._byline;
      expect(credit.source.feed_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(credit.original_url).toBe(item.url);
      expect(item.content_html).toContain(`📌 Source: ${FOOTER_HOSTS[credit.source.id]}`);
      expect(item.content_html).toContain(`🔗 Original: <a href="${item.url.replace(/&/g, '&amp;')}"`);
    }
    // RSS: <source url> on every item, footer in content:encoded.
    expect(outputs.rss.match(/<item>/g)).toHaveLength(11);
    expect(outputs.rss.match(/<source url="http:\/\/127\.0\.0\.1:\d+\/[\w.]+">[^<]+<\/source>/g)).toHaveLength(11);
    for (const item of rss.items as Array<Record<string, any>>) expect(item['content:encoded']).toContain('📌 Source: ');
    // Atom: atom:source with id, title, updated and links, rights = credit line.
    expect(outputs.atom.match(/<source>/g)).toHaveLength(11);
    expect(outputs.atom).toContain('<rights type="text">Please credit Frontier Lab when republishing.</rights>');
    for (const entry of atom.items) expect(entry.content).toContain('📌 Source: ');
  });

  it('resolves relative links, decodes GBK, strips tracking and hostile markup', async () => {
    writeConfig(dir, server, GOOD_SOURCES);
    const ctx = await context();
    await cycle(ctx);
    const json = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json);
    const byTitle = new Map<string, Record<string, any>>(json.items.map((item: Record<string, any>) => [item.title, item]));

    const cn = byTitle.get('大模型推理成本下降一半');
    expect(cn, 'GBK title decoded to text').toBeDefined();
    expect(cn!.content_html).toContain('推理成本');
    expect(cn!._byline.via).toEqual([{ name: 'GogoAI News', url: null, feed_url: 'https://www.gogoai.xin/feed' }]);

    const gpus = byTitle.get('GPUs on demand in every region')!;
    expect(gpus.url).toBe('https://cloud.example/blog/posts/2026/gpus-everywhere.html');
    expect(gpus.content_html).toContain('href="https://cloud.example/blog/posts/2026/pricing.html"');
    expect(gpus.content_html).toContain('src="https://cloud.example/blog/img/gpu.png"');
    expect(byTitle.get('Undated post about agents')!.url).toBe('https://cloud.example/blog/posts/agents.html');

    const model = byTitle.get('Introducing Model & Tools 5')!;
    expect(model.url).toBe('https://lab.example/news/model-5?id=5');
    expect(model.content_html).toContain('src="https://lab.example/img/model-5.png"');
    expect(model.image).toBe('https://lab.example/img/model-5-hero.jpg');
    expect(model.authors).toEqual([{ name: 'Ada Researcher' }]);

    expect(byTitle.get('Chip makers sign a new deal')!.url).toBe('https://press.example/ai/chips-deal');
    expect(byTitle.get('Chip makers sign a new deal')!.content_html).not.toContain('pixel.gif');

    const hostile = json.items.filter((item: Record<string, any>) => item._byline.source.id === 'hostile');
    expect(hostile.map((item: Record<string, any>) => item.url).sort()).toEqual([
      'https://hostile.example/post-1',
      'https://hostile.example/post-2',
    ]);
    const hostileHtml = hostile.map((item: Record<string, any>) => `${item.title} ${item.content_html} ${item.summary}`).join('\n');
    expect(hostileHtml).not.toMatch(/<script|onerror|onclick|onload|javascript:|<iframe|<form|<svg|<style|style=/i);
    expect(hostileHtml).toContain('Hello');
  });

  it('keeps articles, GUIDs and first-seen dates across a restart, and sends conditional headers', async () => {
    writeConfig(dir, server, GOOD_SOURCES);
    const first = await context();
    await cycle(first);
    const before = JSON.parse((await renderOutputs(first.config, first.store)).json);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await context();
    const report = await cycle(second);
    expect(report.outcomes.every((o) => o.status === 'not_modified')).toBe(true);
    const after = JSON.parse((await renderOutputs(second.config, second.store)).json);
    expect(after.items.map((i: Record<string, any>) => [i.id, i.url, i.date_published])).toEqual(
      before.items.map((i: Record<string, any>) => [i.id, i.url, i.date_published]),
    );
    const labRequests = server.requests.filter((r) => r.path === '/lab.xml');
    expect(labRequests).toHaveLength(2);
    expect(labRequests[0]!.headers['if-none-match']).toBeUndefined();
    expect(labRequests[1]!.headers['if-none-match']).toMatch(/^"/);
    expect(labRequests[1]!.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 12:00:00 GMT');
    expect(labRequests[1]!.headers['user-agent']).toMatch(/byline/i);
  });

  it('records broken sources in health and leaves the others intact', async () => {
    writeConfig(dir, server, [...GOOD_SOURCES, ...BROKEN_SOURCES]);
    const ctx = await context();
    const report = await cycle(ctx);
    const status = Object.fromEntries(report.outcomes.map((o) => [o.sourceId, [o.status, o.error?.code ?? null]]));
    expect(status).toMatchObject({
      lab: ['updated', null],
      missing: ['failed', 'http_status'],
      'html-page': ['failed', 'not_a_feed'],
      truncated: ['failed', 'parse_error'],
    });
    const health = await sourceHealth(ctx.config, ctx.store);
    const missing = health.find((row) => row.id === 'missing')!;
    expect(missing).toMatchObject({ status: 'failing', consecutiveErrors: 1, lastHttpStatus: 404, items: 0 });
    expect(missing.lastError?.message).toMatch(/HTTP 404 from 127\.0\.0\.1/);
    expect(JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items).toHaveLength(11);
  });

  it('fetches a private feed with the credentials in its URL, and publishes that URL without them', async () => {
    const auth = `Basic ${Buffer.from('reader:hunter2').toString('base64')}`;
    server.route('/private.xml', (req, res) => {
      if (req.headers.authorization !== auth) return void res.writeHead(401).end();
      // Relative links resolve against the feed's address, which holds the credentials.
      const body = fixture('lab-rss2.xml')
        .replace('<link>https://lab.example/news/</link>', '<link>/news/</link>')
        .replace('<link>https://lab.example/news/safety-4</link>', '<link>safety-4</link>');
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(body);
    });
    // Moved on the same server: the relative Location keeps the credentials, and so does the URL byline remembers.
    server.route('/private-old.xml', (_req, res) => void res.writeHead(301, { Location: '/private.xml' }).end());
    // The site behind the same login, pasted with it: published as the credit's link, so without them too.
    const site = server.url('/news/');
    writeConfig(dir, server, [{ id: 'private', name: 'Private Lab', path: '/private-old.xml', site: site.replace('http://', 'http://reader:hunter2@') }]);
    const sources = path.join(dir, 'feeds', 'sources.yaml');
    writeFileSync(sources, readFileSync(sources, 'utf8').replace('url: http://', 'url: http://reader:hunter2@'));
    const ctx = await context();
    expect((await cycle(ctx)).outcomes.map((o) => [o.status, o.error])).toEqual([['updated', null]]);

    const outputs = await renderOutputs(ctx.config, ctx.store);
    const publicUrl = server.url('/private.xml');
    expect(JSON.parse(outputs.json).items[0]._byline.source.feed_url).toBe(publicUrl);
    expect(outputs.rss).toContain(`<source url="${publicUrl}">`);
    expect(outputs.alerts).toContain(`moved permanently to ${publicUrl}`);
    expect(outputs.rss).toContain(`<link>${server.url('/news/safety-4')}</link>`);
    for (const name of ['rss', 'atom', 'json', 'newsletter', 'opml', 'sources', 'html', 'alerts'] as const) expect(outputs[name]).not.toContain('hunter2');
    const index = await ctx.store.getIndex('private');
    const stored = await ctx.store.getArticles(index.map(({ id }) => ({ sourceId: 'private', id })));
    expect(JSON.stringify([...stored.values()])).not.toContain('hunter2');
    const [health] = await sourceHealth(ctx.config, ctx.store);
    expect([health!.url, health!.redirectedTo, health!.site]).toEqual([server.url('/private-old.xml'), publicUrl, site]);
    expect(JSON.parse(outputs.json).items[0]._byline.source.home_page_url).toBe(site);
  });

  it('keeps what a source stored when it starts failing', async () => {
    writeConfig(dir, server, GOOD_SOURCES);
    const ctx = await context();
    await cycle(ctx);
    server.route('/lab.xml', { body: 'Internal error', status: 500, type: 'text/plain', validators: false });
    server.route('/cloud.xml', { body: '<html><body>maintenance</body></html>', type: 'text/html', validators: false });
    const report = await cycle(ctx);
    expect(report.outcomes.filter((o) => o.status === 'failed').map((o) => o.sourceId).sort()).toEqual(['cloud', 'lab']);
    const json = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json);
    expect(json.items).toHaveLength(11);
    const health = await sourceHealth(ctx.config, ctx.store);
    expect(health.find((row) => row.id === 'lab')).toMatchObject({ status: 'failing', items: 2, lastHttpStatus: 500 });
  });

  it('stores a link two sources list once, credited to the source that had it first, also when the other edits it', async () => {
    const mirrorFeed = (title: string): string => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Mirror</title><link>https://mirror.example/</link><description>d</description>
<item><title>${title}</title><link>https://lab.example/news/safety-4</link><guid isPermaLink="false">mirror-1</guid><pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate><description>copied</description></item>
<item><title>Mirror's own story</title><link>https://mirror.example/own</link><guid isPermaLink="false">mirror-2</guid><pubDate>Wed, 25 Nov 2026 08:00:00 GMT</pubDate><description>own</description></item>
</channel></rss>`;
    const labOnly = GOOD_SOURCES.filter((s) => s.id === 'lab');
    writeConfig(dir, server, labOnly);
    await cycle(await context());
    server.route('/mirror.xml', { body: mirrorFeed('Copied safety report'), type: 'application/rss+xml' });
    writeConfig(dir, server, [...labOnly, { id: 'mirror', name: 'Mirror', path: '/mirror.xml' }]);
    const ctx = await context();
    for (const title of ['Copied safety report', 'Copied safety report, edited']) {
      server.route('/mirror.xml', { body: mirrorFeed(title), type: 'application/rss+xml' });
      const report = await cycle(ctx);
      expect(report.outcomes.map((o) => o.status)).not.toContain('failed');
      const items = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as Array<Record<string, any>>;
      const safety = items.filter((i) => i.url === 'https://lab.example/news/safety-4');
      expect(safety.map((i) => [i.title, i._byline.source.id])).toEqual([['Safety report for Model 4', 'lab']]);
      expect(items.filter((i) => i._byline.source.id === 'mirror').map((i) => i.title)).toEqual(["Mirror's own story"]);
      expect(items).toHaveLength(3);
    }
    expect((await ctx.store.getIndex('mirror')).length).toBe(1);
  });

  it('picks up an edited entry without a new GUID, and a changed credit line without refetching', async () => {
    writeConfig(dir, server, GOOD_SOURCES);
    const ctx = await context();
    await cycle(ctx);
    const before = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json);
    server.route('/lab.xml', {
      body: fixture('lab-rss2.xml').replace('Safety report for Model 4', 'Safety report for Model 4 (updated)').replace('lab-post-4', 'lab-post-4-v2'),
      type: 'application/rss+xml',
    });
    await cycle(ctx);
    const after = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json);
    expect(after.items).toHaveLength(before.items.length);
    const edited = after.items.find((i: Record<string, any>) => i.title === 'Safety report for Model 4 (updated)');
    const original = before.items.find((i: Record<string, any>) => i.title === 'Safety report for Model 4');
    expect(edited.id).toBe(original.id);

    // The operator renames the source and changes its credit line: same GUIDs, new credit, no fetch needed.
    const renamed = GOOD_SOURCES.map((s) => (s.id === 'lab' ? { ...s, name: 'Frontier Lab Inc.', credit: 'Credit Frontier Lab Inc.' } : s));
    writeConfig(dir, server, renamed);
    const restarted = await context();
    const requestsBefore = server.requests.length;
    const relabelled = JSON.parse((await renderOutputs(restarted.config, restarted.store)).json);
    expect(server.requests.length).toBe(requestsBefore);
    expect(relabelled.items.map((i: Record<string, any>) => i.id)).toEqual(after.items.map((i: Record<string, any>) => i.id));
    const lab = relabelled.items.filter((i: Record<string, any>) => i._byline.source.id === 'lab');
    expect(lab).toHaveLength(2);
    for (const item of lab) {
      expect(item._byline.source.name).toBe('Frontier Lab Inc.');
      expect(item.content_html).toContain('Credit Frontier Lab Inc.');
    }
  });
});
