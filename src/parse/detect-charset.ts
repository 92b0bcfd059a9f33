/**
 * Guessing the charset of a document that does not say and is not UTF-8
 * (servers of Chinese, Japanese, Korean, Russian, Hebrew and Thai sites still
 * send such feeds). Each candidate decoding is scored by how plausible its
 * non-ASCII characters are as text of the language that charset is used for:
 * frequent characters score high, rare ones low, undecodable bytes negative.
 * A wrong decoding yields rare characters, mixed scripts or capitals in the
 * middle of words, which is what tells candidates apart. Without a clear
 * winner the answer is windows-1252, the web's default for such documents.
 */
import { decodeWith } from './charset.js';
import {
  COMMON_HANGUL,
  COMMON_HEBREW,
  COMMON_RUSSIAN,
  COMMON_SIMPLIFIED,
  COMMON_THAI,
  COMMON_TRADITIONAL,
} from './charset-frequency.js';

/** How many bytes are looked at: plenty for a verdict (feeds repeat their script), cheap for huge documents. */
const SAMPLE_BYTES = 16_384;
/** The best candidate must score at least this (per non-ASCII byte) to beat the windows-1252 default. */
const MIN_SCORE = 0.4;

/** Scores one decoded non-ASCII code point given its neighbours (code points; 0 at the edges). */
type Scorer = (code: number, previous: number, next: number) => number;

const between = (code: number, low: number, high: number): boolean => code >= low && code <= high;
const isAsciiLetter = (code: number): boolean => between(code | 0x20, 0x61, 0x7a);
const isHan = (code: number): boolean => between(code, 0x4e00, 0x9fff) || between(code, 0x3400, 0x4dbf) || between(code, 0xf900, 0xfaff);
const isKana = (code: number): boolean => between(code, 0x3041, 0x3096) || between(code, 0x30a1, 0x30fa) || code === 0x30fc;
const isHalfWidthKatakana = (code: number): boolean => between(code, 0xff61, 0xff9f);
/** Ideographic punctuation and full-width ASCII forms, shared by Chinese and Japanese text. */
const isCjkPunctuation = (code: number): boolean =>
  between(code, 0x3000, 0x303f) || between(code, 0xff01, 0xff5e) || [0x201c, 0x201d, 0x2014, 0x2026, 0xb7].includes(code);
const isCyrillic = (code: number): boolean => between(code, 0x400, 0x4ff);
const isThai = (code: number): boolean => between(code, 0xe01, 0xe5b);
const isThaiMark = (code: number): boolean => code === 0xe31 || between(code, 0xe34, 0xe3a) || between(code, 0xe47, 0xe4e);

/** Punctuation and symbols windows-1252 text uses: smart quotes, dashes, ellipsis, euro, ©, °, «»… */
const LATIN_PUNCTUATION = new Set([
  0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2013, 0x2014, 0x2026, 0x2022, 0x20ac, 0xa0, 0xa9, 0xae, 0xb0, 0xab, 0xbb,
  0xb7, 0x2122,
]);

/** Latin: accented letters inside words of ASCII letters, and windows-1252 punctuation. */
const latin: Scorer = (code, previous, next) => {
  if (LATIN_PUNCTUATION.has(code)) return 1;
  const letter = (between(code, 0xc0, 0x24f) && code !== 0xd7 && code !== 0xf7) || code === 0x152 || code === 0x153;
  if (!letter) return 0;
  return isAsciiLetter(previous) || isAsciiLetter(next) ? 1 : 0.1;
};

function codeSet(characters: ReadonlySet<string>): ReadonlySet<number> {
  return new Set([...characters].map((char) => char.codePointAt(0) ?? 0));
}

/** A script's letters: frequent ones score 1, others `rare`; a letter glued to an ASCII letter is implausible. */
function alphabet(inScript: (code: number) => boolean, common: ReadonlySet<number>, rare: number): Scorer {
  return (code, previous, next) => {
    if (!inScript(code) || isAsciiLetter(previous) || isAsciiLetter(next)) return 0;
    return common.has(code) ? 1 : rare;
  };
}

const russianLetter = alphabet(isCyrillic, codeSet(COMMON_RUSSIAN), 0.4);

/** Cyrillic, where case tells KOI8-R from windows-1251: capitals begin words, they do not sit inside them. */
const cyrillic: Scorer = (code, previous, next) => {
  const lower = between(code, 0x410, 0x42f) ? code + 0x20 : code === 0x401 ? 0x451 : code;
  const score = russianLetter(lower, previous, next);
  if (lower === code) return score;
  return isCyrillic(previous) ? 0 : score * 0.5;
};

const hebrew = alphabet((code) => between(code, 0x5d0, 0x5ea), codeSet(COMMON_HEBREW), 0.4);

const COMMON_THAI_CODES = codeSet(COMMON_THAI);
/** Thai: frequent letters score high; a vowel or tone mark needs a consonant (or another mark) to sit on. */
const thai: Scorer = (code, previous) => {
  if (!isThai(code)) return 0;
  if (isThaiMark(code) && !(between(previous, 0xe01, 0xe2e) || isThaiMark(previous))) return -1;
  return COMMON_THAI_CODES.has(code) ? 1 : 0.3;
};

function chinese(characters: ReadonlySet<string>): Scorer {
  const common = codeSet(characters);
  return (code) => (common.has(code) ? 1 : isHan(code) ? 0.2 : isCjkPunctuation(code) ? 1 : 0);
}

const japanese: Scorer = (code) => {
  if (isKana(code) || isCjkPunctuation(code)) return 1;
  if (isHan(code)) return 0.3;
  // Half-width katakana are what stray bytes decode to in Shift_JIS.
  return isHalfWidthKatakana(code) ? -0.3 : 0;
};

const COMMON_HANGUL_CODES = codeSet(COMMON_HANGUL);
const korean: Scorer = (code) => (COMMON_HANGUL_CODES.has(code) ? 1 : between(code, 0xac00, 0xd7a3) ? 0.3 : 0);

interface Candidate {
  charset: string;
  multiByte: boolean;
  score: Scorer;
}

/** windows-1252 first: it wins ties. */
const CANDIDATES: readonly Candidate[] = [
  { charset: 'windows-1252', multiByte: false, score: latin },
  { charset: 'gbk', multiByte: true, score: chinese(COMMON_SIMPLIFIED) },
  { charset: 'big5', multiByte: true, score: chinese(COMMON_TRADITIONAL) },
  { charset: 'shift_jis', multiByte: true, score: japanese },
  { charset: 'euc-jp', multiByte: true, score: japanese },
  { charset: 'euc-kr', multiByte: true, score: korean },
  { charset: 'windows-1251', multiByte: false, score: cyrillic },
  { charset: 'koi8-r', multiByte: false, score: cyrillic },
  { charset: 'windows-1255', multiByte: false, score: hebrew },
  { charset: 'windows-874', multiByte: false, score: thai },
];

/** Fewer non-ASCII bytes than this are no evidence: a stray byte stays windows-1252. */
const MIN_EVIDENCE_BYTES = 8;

/** Mean score per non-ASCII byte of one candidate decoding. */
function plausibility(text: string, candidate: Candidate): number {
  let total = 0;
  let bytes = 0;
  let previous = 0;
  for (let index = 0; index < text.length; ) {
    const code = text.codePointAt(index) ?? 0;
    const size = code > 0xffff ? 2 : 1;
    const next = text.codePointAt(index + size) ?? 0;
    if (code >= 0x80) {
      const width = candidate.multiByte && !isHalfWidthKatakana(code) ? 2 : 1;
      let score: number;
      if (code === 0xfffd) score = -2;
      else if (between(code, 0xe000, 0xf8ff) || between(code, 0x80, 0x9f)) score = -1;
      else score = candidate.score(code, previous, next);
      total += score * width;
      bytes += width;
    }
    previous = code;
    index += size;
  }
  return bytes < MIN_EVIDENCE_BYTES ? 0 : total / bytes;
}

/** The most plausible legacy charset for bytes that are not UTF-8 (canonical name). */
export function detectLegacyCharset(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let best = { charset: 'windows-1252', score: MIN_SCORE };
  for (const candidate of CANDIDATES) {
    const score = plausibility(decodeWith(sample, candidate.charset), candidate);
    if (score > best.score) best = { charset: candidate.charset, score };
  }
  return best.charset;
}
