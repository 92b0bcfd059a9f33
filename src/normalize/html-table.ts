/**
 * The HTML standard's table insertion modes, as far as they decide which open
 * elements a start tag closes. A browser places a table part relative to the
 * innermost open one (a `<td>` after a cell ends that cell, a `<tr>` ends the
 * row) and closes a whole table at a `<table>` start tag met outside its cells;
 * markup elsewhere in a table is moved before it but stays open in between.
 * Unless the sanitized output makes the same cuts, a browser closes elements
 * there that the output closes again later, and those later end tags close the
 * elements around the output instead.
 */
import { TABLE_PART, VOID } from './html-elements.js';
import { last, type OpenElements } from './html-open-elements.js';

/** The kind of a start tag that opens nothing. */
export const IGNORE = -1;

/**
 * A start tag named `name` (element flags `flags`) while a table part is open,
 * or a table part's start tag anywhere: closes what the innermost table part's
 * mode implies. Returns the kind the element opens as (IGNORE: it opens
 * nothing), or null when the body rules decide, as inside a cell.
 */
export function tableStart(stack: OpenElements, name: string, flags: number): number | null {
  for (;;) {
    const part = last(stack.tableParts);
    const mode = part < 0 ? '' : stack.nameAt(part);
    if ((flags & TABLE_PART) === 0) {
      if (mode === 'colgroup') {
        // A column group holds columns only: anything else ends it.
        stack.popThrough(part);
        continue;
      }
      // A form straight inside a table, a section or a row is an empty element.
      if (name === 'form' && mode !== 'td' && mode !== 'th' && mode !== 'caption') return flags | VOID;
      return null;
    }
    switch (mode) {
      case '':
        // Outside tables only `<table>` means anything.
        return name === 'table' ? null : IGNORE;
      case 'td': case 'th': case 'caption':
        // A table inside a cell is a new table; any other table part ends the cell.
        if (name === 'table') return null;
        stack.popThrough(part);
        continue;
      case 'colgroup':
        if (name === 'col') return flags;
        stack.popThrough(part);
        continue;
      default:
    }
    if (name === 'table') {
      stack.popThrough(last(stack.named('table').html));
      continue;
    }
    const isCell = name === 'td' || name === 'th';
    if (mode === 'tr' ? isCell : mode !== 'table' && (isCell || name === 'tr')) {
      stack.popAbove(part);
      return flags;
    }
    if (mode !== 'table') {
      stack.popThrough(part);
      continue;
    }
    // Straight in a table: whatever was moved before it is closed first.
    stack.popAbove(part);
    return flags;
  }
}
