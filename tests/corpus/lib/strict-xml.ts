/**
 * A strict well-formedness check for rendered feeds: sax (the parser behind
 * xml2js) in strict mode with namespace processing, so an unbound prefix, a
 * bad character or an unbalanced tag is an error, never silently repaired.
 */
import { createRequire } from 'node:module';

// sax ships no types; this describes the members used here.
interface SaxParser {
  onerror: (error: Error) => void;
  write(chunk: string): SaxParser;
  close(): SaxParser;
}
interface SaxModule {
  parser(strict: boolean, options: { xmlns: boolean }): SaxParser;
}

const sax = createRequire(import.meta.url)('sax') as SaxModule;

/** Characters XML 1.0 forbids anywhere (sax does not check them), lone surrogates included. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first well-formedness error of `xml`, or null when it is well-formed XML with bound namespaces. */
export function xmlError(xml: string): string | null {
  const forbidden = FORBIDDEN.exec(xml);
  if (forbidden) return `forbidden character U+${(forbidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at ${forbidden.index}`;
  const parser = sax.parser(true, { xmlns: true });
  let error: string | null = null;
  parser.onerror = (reason) => {
    error ??= reason.message.split('\n')[0] ?? 'error';
    throw reason;
  };
  try {
    parser.write(xml).close();
  } catch (thrown) {
    error ??= thrown instanceof Error ? thrown.message : String(thrown);
  }
  return error;
}
