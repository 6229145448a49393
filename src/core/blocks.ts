// The block a hover describes: a Markdown section when hovering its heading, otherwise the paragraph (the run of
// non-blank lines) under the cursor.

export interface LineBlock {
  /** First line, inclusive. */
  start: number;
  /** Last line, inclusive. */
  end: number;
  kind: 'section' | 'paragraph';
}

const HEADING = /^ {0,3}(#{1,6})(?:\s|$)/;
const FENCE = /^ {0,3}(```|~~~)/;

export function headingLevel(line: string): number {
  const m = HEADING.exec(line);
  return m ? m[1].length : 0;
}

/** `getLine(i)` returns line i (0-based) of a document with `lineCount` lines. Undefined on a blank line. */
export function findBlock(getLine: (i: number) => string, lineCount: number, line: number): LineBlock | undefined {
  if (line < 0 || line >= lineCount) return undefined;
  const text = getLine(line);
  const level = headingLevel(text);
  if (level > 0 && !insideFence(getLine, line)) {
    // A section runs to the next heading of the same or a higher level, skipping "#" lines inside code fences.
    let end = lineCount - 1;
    let fenced = false;
    for (let i = line + 1; i < lineCount; i++) {
      const l = getLine(i);
      if (FENCE.test(l)) fenced = !fenced;
      const lv = fenced ? 0 : headingLevel(l);
      if (lv > 0 && lv <= level) {
        end = i - 1;
        break;
      }
    }
    while (end > line && getLine(end).trim() === '') end--;
    return { start: line, end, kind: 'section' };
  }
  if (text.trim() === '') return undefined;
  // A paragraph stops at blank lines and at headings (a heading belongs to its section, not to the text below it).
  const joins = (l: string) => l.trim() !== '' && headingLevel(l) === 0;
  let start = line;
  while (start > 0 && joins(getLine(start - 1))) start--;
  let end = line;
  while (end < lineCount - 1 && joins(getLine(end + 1))) end++;
  return { start, end, kind: 'paragraph' };
}

function insideFence(getLine: (i: number) => string, line: number): boolean {
  let fenced = false;
  for (let i = 0; i < line; i++) if (FENCE.test(getLine(i))) fenced = !fenced;
  return fenced;
}
