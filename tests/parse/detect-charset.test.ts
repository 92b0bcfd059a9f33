/**
 * Charset detection for documents that declare nothing and are not UTF-8:
 * each language's text in its legacy charsets is recognised, Latin text stays
 * windows-1252, and a handful of stray bytes is no evidence for anything else.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectLegacyCharset } from '../../src/parse/detect-charset.js';
import { decodeFeedBytes } from '../../src/parse/index.js';

const SAMPLES: ReadonlyArray<readonly [charset: string, codec: string, text: string]> = [
  ['gbk', 'cp936', '人工智能公司今天发布了新的大模型，研究人员表示这将改变整个行业。'],
  ['big5', 'big5', '人工智慧公司今天發佈了新的大型模型，研究人員表示這將改變整個產業。'],
  ['shift_jis', 'shift_jis', '人工知能の会社は今日、新しい大規模モデルを発表しました。'],
  ['euc-jp', 'euc-jp', '人工知能の会社は今日、新しい大規模モデルを発表しました。'],
  ['euc-kr', 'euc-kr', '인공지능 회사가 오늘 새로운 대형 모델을 발표했습니다.'],
  ['windows-1251', 'windows-1251', 'Компания представила новую модель искусственного интеллекта.'],
  ['koi8-r', 'koi8-r', 'Компания представила новую модель искусственного интеллекта.'],
  ['windows-1255', 'windows-1255', 'החברה הציגה היום מודל חדש של בינה מלאכותית.'],
  ['windows-874', 'windows-874', 'บริษัทเปิดตัวโมเดลปัญญาประดิษฐ์ใหม่ในวันนี้'],
  ['windows-1252', 'windows-1252', 'La société a présenté un nouveau modèle d’intelligence artificielle — très intéressant.'],
  ['windows-1252', 'windows-1252', 'Die Firma hat heute ein neues Modell für künstliche Intelligenz vorgestellt. Größe: 5 €'],
  ['windows-1252', 'windows-1252', 'A empresa apresentou hoje um novo modelo de inteligência artificial. Não é só isso.'],
];

function document(text: string, codec: string): Uint8Array {
  return new Uint8Array(iconv.encode(`<rss version="2.0"><channel><title>${text}</title></channel></rss>`, codec));
}

describe('detectLegacyCharset', () => {
  it.each(SAMPLES)('recognises %s text', (charset, codec, text) => {
    expect(detectLegacyCharset(document(text, codec))).toBe(charset);
  });

  it.each(SAMPLES)('decodeFeedBytes reads undeclared %s text right', (charset, codec, text) => {
    const decoded = decodeFeedBytes(document(text, codec));
    expect(decoded.encoding).toBe(charset);
    expect(decoded.text).toContain(text);
  });

  it('takes a few stray high bytes for windows-1252', () => {
    expect(detectLegacyCharset(Buffer.from([0x3c, 0x61, 0x3e, 0xa4, 0x3c, 0x2f, 0x61, 0x3e]))).toBe('windows-1252');
  });

  it('answers windows-1252 for ASCII', () => {
    expect(detectLegacyCharset(Buffer.from('<rss><channel><title>plain</title></channel></rss>'))).toBe('windows-1252');
  });

  it('looks at a bounded sample of a large document', () => {
    const large = document(`${'Компания представила новую модель. '.repeat(4000)}`, 'koi8-r');
    expect(large.length).toBeGreaterThan(65_536);
    expect(detectLegacyCharset(large)).toBe('koi8-r');
  });
});
