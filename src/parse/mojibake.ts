/**
 * Two kinds of mojibake feeds carry that can be undone without guessing,
 * because the broken form is never meant literally:
 * - C1 control characters (U+0080–U+009F) in decoded text: windows-1252 bytes
 *   taken for ISO-8859-1 somewhere upstream. Nobody writes these controls on
 *   purpose, so they read as the windows-1252 characters (’ “ ” – …).
 * - character references spelling out UTF-8 bytes one by one (`&#226;&#128;&#166;`
 *   or `&acirc;&#128;&brvbar;` for `…`): UTF-8 read as ISO-8859-1 and escaped. Undone only when the run
 *   decodes as valid UTF-8 and holds a C1 code point, which no real text does.
 */
import { windows1252CodePoint } from './charset.js';
import { HTML_ENTITIES } from './html-entities.js';

const C1 = /[\u0080-\u009f]/g;

/** Maps C1 control characters to the windows-1252 characters they stand for. */
export function demoronize(text: string): string {
  return text.replace(C1, (char) => String.fromCodePoint(windows1252CodePoint(char.charCodeAt(0))));
}

/** Two or more character references in a row: numeric ones below 256, or HTML names (`&acirc;`). */
const REFERENCE_RUN = /(?:&(?:#x0*[0-9a-fA-F]{1,2}|#0*\d{1,3}|[A-Za-z][A-Za-z0-9]{1,7});){2,}/g;
const ONE_REFERENCE = /&(?:#(x?)([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));/g;

/** The code point each reference names (-1 for a name that is not an HTML entity). */
function codePointsOf(run: string): number[] {
  return [...run.matchAll(ONE_REFERENCE)].map((match) =>
    match[3] === undefined ? Number.parseInt(match[2] ?? '', match[1] ? 16 : 10) : (HTML_ENTITIES.get(match[3]) ?? -1),
  );
}

/** Rewrites runs of references that spell UTF-8 bytes into references to the characters they encode. */
export function repairDoubleEncodedReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE_RUN, (run) => {
    const bytes = codePointsOf(run);
    if (bytes.some((byte) => byte < 0 || byte > 0xff) || !bytes.some((byte) => byte >= 0x80 && byte <= 0x9f)) return run;
    let decoded: string;
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      return run;
    }
    return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
  });
}
