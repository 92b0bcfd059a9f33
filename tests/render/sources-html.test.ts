/**
 * The sources health page: every source with its status and diagnostics,
 * hostile text escaped, bad dates shown as text instead of breaking the page.
 */
import { DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../src/model/index.js';
import { renderSourcesHtml } from '../../src/render/index.js';
import { findElements } from './html-support.js';

function makeRow(overrides: Partial<SourceHealth> = {}): SourceHealth {
  return {
    id: 'gogoai',
    name: 'GogoAI News',
    url: 'https://www.gogoai.xin/feed',
    site: 'https://www.gogoai.xin/',
    status: 'ok',
    lastError: null,
    lastSuccessAt: '2024-03-05T09:00:00Z',
    lastAttemptAt: '2024-03-05T09:00:00Z',
    lastHttpStatus: 200,
    consecutiveErrors: 0,
    nextAttemptAt: '2024-03-05T09:15:00Z',
    items: 12,
    bytesFetched: 2048,
    redirectedTo: null,
    ...overrides,
  };
}

describe('renderSourcesHtml', () => {
  it('lists every source with its health details, in the given order', () => {
    const rows = [
      makeRow(),
      makeRow({
        id: 'broken',
        name: 'Broken <i>Feed</i>',
        site: null,
        status: 'backing_off',
        lastSuccessAt: null,
        lastHttpStatus: 503,
        consecutiveErrors: 4,
        lastError: { code: 'http_status', message: 'HTTP 503 <script>x()</script>', at: '2024-03-05T08:00:00Z' },
        redirectedTo: 'https://new.example/feed',
      }),
    ];
    const html = renderSourcesHtml('Byline & Co', rows);
    expect(findElements(html, 'script')).toHaveLength(0);
    expect(findElements(html, 'i')).toHaveLength(0);
    expect(DomUtils.textContent(findElements(html, 'title')[0]!)).toBe('Byline & Co: sources');
    const sections = findElements(html, 'section').map((s) => DomUtils.textContent(s));
    expect(sections).toHaveLength(2);
    expect(sections[0]).toContain('GogoAI News');
    expect(sections[0]).toContain('Items12');
    expect(sections[0]).toContain('Next check2024-03-05 09:15 UTC');
    expect(sections[1]).toContain('Broken <i>Feed</i>');
    expect(sections[1]).toContain('backing off');
    expect(sections[1]).toContain('HTTP status503');
    expect(sections[1]).toContain('Errors in a row4');
    expect(sections[1]).toContain('Last successnever');
    expect(sections[1]).toContain('HTTP 503 <script>x()</script>');
    expect(sections[1]).toContain('https://new.example/feed (update the config)');
    expect(DomUtils.textContent(findElements(html, 'header')[0]!)).toContain('2 sources, 1 failing');
  });

  it('shows a malformed time as text instead of failing the page', () => {
    const html = renderSourcesHtml('B', [makeRow({ lastAttemptAt: 'yesterday' })]);
    expect(DomUtils.textContent(findElements(html, 'section')[0]!)).toContain('Last attemptyesterday');
  });

  it('says so when there are no sources', () => {
    expect(renderSourcesHtml('B', [])).toContain('No sources configured.');
  });
});
