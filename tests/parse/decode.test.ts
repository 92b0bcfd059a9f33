/** Bytes -> text: BOMs, HTTP charset, XML declaration, HTML meta, UTF-8 detection and the fallbacks. */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, parseFeed } from '../../src/parse/index.js';
import { expectValidRawFeed } from './helpers.js';

const bytes = (text: string, encoding: string): Buffer => iconv.encode(text, encoding);
const concat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts);
const channel = (title: string, declaration = '<?xml version="1.0"?>') =>
  `${declaration}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;

async function titleOf(body: Uint8Array, contentType: string | null = null): Promise<{ title: string | null; encoding: string }> {
  const { feed, encoding } = await parseFeed(body, { contentType });
  expectValidRawFeed(feed);
  expect(feed.items[0]?.title).toBe(feed.title);
  return { title: feed.title, encoding };
}

describe('declared only in the XML declaration', () => {
  it('decodes a GBK feed and does not let the declaration re-decode the text', async () => {
    const title = '人工智能新闻';
    const body = bytes(channel(title, '<?xml version="1.0" encoding="GBK"?>'), 'gbk');
    expect(await titleOf(body)).toEqual({ title, encoding: 'gbk' });
    expect(decodeFeedBytes(body).text).not.toMatch(/encoding=/);
  });

  it.each([
    ['GB2312', 'gbk', '人工智能'],
    ['GB18030', 'gb18030', '人工智能𠀀'],
    ['Big5', 'big5', '人工智慧新聞'],
    ['Shift_JIS', 'shift_jis', '人工知能ニュース'],
    ['EUC-JP', 'euc-jp', '人工知能ニュース'],
    ['EUC-KR', 'euc-kr', '인공지능 뉴스'],
    ['KOI8-R', 'koi8-r', 'Новости ИИ'],
    ['KOI8-U', 'koi8-u', 'Новини ШІ їжак'],
    ['windows-1251', 'windows-1251', 'Новости ИИ'],
    ['ISO-8859-2', 'iso-8859-2', 'Zażółć gęślą jaźń'],
    ['windows-1250', 'windows-1250', 'Zażółć gęślą jaźń'],
    ['ISO-8859-15', 'iso-8859-15', 'Prix: 5 €'],
  ])('%s', async (label, expected, title) => {
    const body = bytes(channel(title, `<?xml version="1.0" encoding="${label}"?>`), label);
    expect(await titleOf(body)).toEqual({ title, encoding: expected });
  });
});

describe('GBK and GB2312 labels', () => {
  // Sites in China labelled gb2312 or gbk write emoji, rarer hanzi and the euro sign as GB18030 does.
  it.each([
    ['the XML declaration', '<?xml version="1.0" encoding="gb2312"?>', null],
    ['the Content-Type', '<?xml version="1.0"?>', 'text/xml; charset=GBK'],
  ])('read the four-byte and extended sequences of GB18030 when in %s', async (_where, declaration, contentType) => {
    const title = '机器之心发布报告 😀 㐀 €';
    const body = bytes(channel(title, declaration), 'gb18030');
    expect(await titleOf(body, contentType)).toEqual({ title, encoding: 'gbk' });
  });
});

describe('HTTP charset', () => {
  it('decodes windows-1251 with no declaration when the HTTP charset says so', async () => {
    const title = 'Искусственный интеллект';
    const body = bytes(channel(title), 'windows-1251');
    expect(await titleOf(body, 'application/rss+xml; charset=windows-1251')).toEqual({ title, encoding: 'windows-1251' });
  });

  it('wins over the XML declaration, quoted and spaced as servers write it', async () => {
    const title = 'Новости';
    const body = bytes(channel(title, '<?xml version="1.0" encoding="iso-8859-5"?>'), 'koi8-r');
    expect(await titleOf(body, 'text/xml; charset = "KOI8-R"')).toEqual({ title, encoding: 'koi8-r' });
  });

  it('is ignored when unknown or refused (UTF-7), falling back to the declaration', async () => {
    const title = 'Zażółć';
    const body = bytes(channel(title, '<?xml version="1.0" encoding="iso-8859-2"?>'), 'iso-8859-2');
    for (const contentType of ['text/xml; charset=x-no-such-thing', 'text/xml; charset=utf-7', 'text/xml; charset=']) {
      expect(await titleOf(body, contentType)).toEqual({ title, encoding: 'iso-8859-2' });
    }
  });

  it.each([
    ['ISO-8859-2', 'iso-8859-2', 'Zażółć gęślą jaźń'],
    ['windows-1250', 'windows-1250', 'Příliš žluťoučký kůň'],
    ['ISO-8859-7', 'iso-8859-7', 'Καλημέρα κόσμε'],
    ['windows-1256', 'windows-1256', 'مرحبا بالعالم'],
    ['ISO-8859-9', 'iso-8859-9', 'Türkçe ğüşıöç İstanbul'],
    ['ISO-8859-15', 'iso-8859-15', 'Prix: 10 € für Käse'],
  ])('a UTF-8 charset the bytes disprove gives way to the %s declaration', async (label, expected, title) => {
    const body = bytes(channel(title, `<?xml version="1.0" encoding="${label}"?>`), label);
    expect(await titleOf(body, 'application/rss+xml; charset=UTF-8')).toEqual({ title, encoding: expected });
  });

  it('loses to a BOM (a real-world mismatch)', async () => {
    const title = 'Überblick – KI';
    const body = concat(Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(channel(title), 'utf8'));
    expect(await titleOf(body, 'text/xml; charset=windows-1252')).toEqual({ title, encoding: 'utf-8' });
  });
});

describe('byte order marks and BOM-less UTF-16/32', () => {
  const title = 'Ünïcödé — 人工智能';
  it.each([
    ['UTF-16 LE with BOM', 'utf-16le', Buffer.from([0xff, 0xfe]), 'utf-16le'],
    ['UTF-16 BE with BOM', 'utf-16be', Buffer.from([0xfe, 0xff]), 'utf-16be'],
    ['UTF-16 LE without BOM', 'utf-16le', Buffer.alloc(0), 'utf-16le'],
    ['UTF-16 BE without BOM', 'utf-16be', Buffer.alloc(0), 'utf-16be'],
    ['UTF-32 LE with BOM', 'utf-32le', Buffer.from([0xff, 0xfe, 0, 0]), 'utf-32le'],
    ['UTF-32 BE without BOM', 'utf-32be', Buffer.alloc(0), 'utf-32be'],
  ])('%s', async (_name, encoding, bom, expected) => {
    const body = concat(bom, bytes(channel(title, '<?xml version="1.0" encoding="UTF-16"?>'), encoding));
    expect(await titleOf(body, 'application/xml; charset=utf-8')).toEqual({ title, encoding: expected });
  });
});

describe('no usable declaration', () => {
  it.each([
    ['valid UTF-8 -> UTF-8', Buffer.from(channel('Café ☕'), 'utf8'), 'Café ☕', 'utf-8'],
    ['invalid UTF-8 -> windows-1252', bytes(channel('Café – €5'), 'windows-1252'), 'Café – €5', 'windows-1252'],
    [
      'a bogus declared charset -> UTF-8 when valid',
      Buffer.from(channel('테스트', '<?xml version="1.0" encoding="bogus"?>'), 'utf8'),
      '테스트',
      'utf-8',
    ],
    [
      'a bogus declared charset -> windows-1252 when not UTF-8',
      bytes(channel('Prés', '<?xml version="1.0" encoding="bogus"?>'), 'latin1'),
      'Prés',
      'windows-1252',
    ],
    [
      'a UTF-16 declaration on single-byte text is ignored',
      Buffer.from(channel('plain', '<?xml version="1.0" encoding="utf-16"?>'), 'utf8'),
      'plain',
      'utf-8',
    ],
  ])('%s', async (_name, body, title, encoding) => {
    expect(await titleOf(body)).toEqual({ title, encoding });
  });
});

describe('mislabelled documents', () => {
  it.each(['text/xml; charset=ISO-8859-1', 'text/xml;charset=iso-8859-1', 'application/xml; charset=us-ascii'])(
    'reads a GBK feed by its declaration when the server adds its default %s',
    async (contentType) => {
      const title = '机器之心：大模型竞争加剧';
      const body = bytes(channel(title, '<?xml version="1.0" encoding="gb2312"?>'), 'gbk');
      expect(await titleOf(body, contentType)).toEqual({ title, encoding: 'gbk' });
    },
  );

  it('still takes the HTTP charset over a declaration when it is not the Latin-1 default', async () => {
    const title = 'Новости';
    const body = bytes(channel(title, '<?xml version="1.0" encoding="gb2312"?>'), 'windows-1251');
    expect(await titleOf(body, 'text/xml; charset=windows-1251')).toEqual({ title, encoding: 'windows-1251' });
  });

  it('reads UTF-8 bytes declared as ISO-8859-1 as UTF-8', async () => {
    const body = Buffer.from(channel('Euro € und Umlaute ä', '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'utf8');
    expect(await titleOf(body)).toEqual({ title: 'Euro € und Umlaute ä', encoding: 'utf-8' });
  });

  it.each([
    ['GB2312 in the declaration', '<?xml version="1.0" encoding="gb2312"?>', null],
    ['GBK in the Content-Type', '<?xml version="1.0"?>', 'application/rss+xml; charset=GBK'],
    ['Big5 in the declaration', '<?xml version="1.0" encoding="big5"?>', null],
  ])('reads UTF-8 bytes labelled with a Chinese charset (%s) as UTF-8', (_name, prolog, contentType) => {
    const body = Buffer.from(channel('机器之心：新模型发布', prolog), 'utf8');
    const decoded = decodeFeedBytes(body, contentType);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('机器之心：新模型发布');
  });

  it('still reads real GBK and Big5 bytes with their labels', () => {
    const gbk = bytes(channel('机器之心：新模型发布', '<?xml version="1.0" encoding="gbk"?>'), 'gbk');
    expect(decodeFeedBytes(gbk).text).toContain('机器之心：新模型发布');
    const big5 = bytes(channel('機器之心：新模型發布', '<?xml version="1.0" encoding="big5"?>'), 'big5');
    expect(decodeFeedBytes(big5).text).toContain('機器之心：新模型發布');
  });

  it('reads Latin-1 bytes declared as UTF-8, with no valid multi-byte sequence, as windows-1252', async () => {
    const body = bytes(channel('Café crème', '<?xml version="1.0" encoding="utf-8"?>'), 'latin1');
    expect(await titleOf(body)).toEqual({ title: 'Café crème', encoding: 'windows-1252' });
  });

  it('keeps UTF-8 (with U+FFFD) when a UTF-8 document has a few broken bytes', () => {
    const body = concat(Buffer.from('<rss><channel><title>ok ✓ ', 'utf8'), Buffer.from([0xff]), Buffer.from('</title></channel></rss>'));
    const decoded = decodeFeedBytes(body);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('\uFFFD');
  });
});

describe('windows-1252 and HTML', () => {
  it('maps 0x80–0x9F to the windows-1252 characters (and undefined bytes to their C1 code point)', () => {
    const decoded = decodeFeedBytes(Buffer.from([0x80, 0x93, 0x94, 0x81, 0x20]), 'text/plain; charset=iso-8859-1');
    expect(decoded).toEqual({ text: '\u20ac\u201c\u201d\u0081 ', encoding: 'windows-1252' });
  });

  it('reads an HTML page’s <meta charset>', () => {
    const page = `<!DOCTYPE html><html><head><meta charset="shift_jis"><title>人工知能</title></head></html>`;
    expect(decodeFeedBytes(bytes(page, 'shift_jis'))).toEqual({ text: page, encoding: 'shift_jis' });
  });

  it('never throws and always names an encoding, whatever the bytes and header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(fc.string({ maxLength: 40 })), (body, contentType) => {
        const decoded = decodeFeedBytes(body, contentType);
        expect(typeof decoded.text).toBe('string');
        expect(decoded.encoding).toMatch(/\S/);
      }),
    );
  });
});
