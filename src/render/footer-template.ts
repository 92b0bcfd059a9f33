/**
 * The credit footer template, parsed: lines of text, `{placeholder}` fields
 * and `[optional]` segments (the rules are in footer.ts). A feed renders
 * thousands of articles with one template, so it is parsed, and its literal
 * text HTML-escaped, once.
 */
import { escapeHtml } from './html-escape.js';

/**
 * The line added when an article came through an aggregator and the template
 * does not place `{via}` itself: upstream credit is part of the promise, so it
 * is never silently left out. It goes right after the first (source) line.
 */
export const VIA_LINE_TEMPLATE = '🔁 Via: {via}';

/** Every placeholder a template may use. */
const PLACEHOLDERS = ['name', 'site', 'siteUrl', 'link', 'credit', 'license', 'via'] as const;
/** One placeholder name, such as `name` or `link`. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Placeholders whose value is a URL and becomes a link in the HTML form. */
export const URL_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(['link', 'siteUrl']);

/** Literal text (with its HTML form) or one placeholder. */
export type Part = { kind: 'text'; value: string; html: string } | { kind: 'field'; name: Placeholder };
/** A part of a line, or an `[optional]` run of parts. */
export type Segment = Part | { kind: 'optional'; parts: Part[] };

const PLACEHOLDER_PATTERN = new RegExp(`\\{(${PLACEHOLDERS.join('|')})\\}`, 'g');

function textPart(value: string): Part {
  // Template text is the same for every article, so it is escaped once here.
  return { kind: 'text', value, html: escapeHtml(value) };
}

function parseParts(source: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(textPart(source.slice(last, index)));
    parts.push({ kind: 'field', name: match[1] as Placeholder });
    last = index + match[0].length;
  }
  if (last < source.length) parts.push(textPart(source.slice(last)));
  return parts;
}

function parseLine(line: string): Segment[] {
  const segments: Segment[] = [];
  let rest = line;
  for (;;) {
    const open = rest.indexOf('[');
    const close = open >= 0 ? rest.indexOf(']', open + 1) : -1;
    if (open < 0 || close < 0) break;
    segments.push(...parseParts(rest.slice(0, open)));
    segments.push({ kind: 'optional', parts: parseParts(rest.slice(open + 1, close)) });
    rest = rest.slice(close + 1);
  }
  segments.push(...parseParts(rest));
  return segments;
}

/** One template line, parsed. */
export interface CompiledLine {
  segments: Segment[];
  /** Placeholders outside brackets, then inside them: what decides whether the content already carries the line. */
  required: Placeholder[];
  optional: Placeholder[];
}

/** A whole template, parsed. */
export interface CompiledTemplate {
  lines: CompiledLine[];
  /** The line added after the first when the template does not place `{via}` itself; null when it does. */
  viaLine: CompiledLine | null;
}

function compileLine(line: string): CompiledLine {
  const segments = parseLine(line);
  const required: Placeholder[] = [];
  const optional: Placeholder[] = [];
  for (const segment of segments) {
    if (segment.kind === 'field') required.push(segment.name);
    else if (segment.kind === 'optional') for (const part of segment.parts) if (part.kind === 'field') optional.push(part.name);
  }
  return { segments, required, optional };
}

/** The last template compiled: a feed renders every article with the same one. */
let compiled: { template: string; result: CompiledTemplate } | null = null;

/** Parses a footer template (the last one parsed is reused). */
export function compileTemplate(template: string): CompiledTemplate {
  if (compiled?.template === template) return compiled.result;
  const lines = template.split(/\r?\n/).map(compileLine);
  const usesVia = lines.some((line) => line.required.includes('via') || line.optional.includes('via'));
  const result = { lines, viaLine: usesVia ? null : compileLine(VIA_LINE_TEMPLATE) };
  compiled = { template, result };
  return result;
}
