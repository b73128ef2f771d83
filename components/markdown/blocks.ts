// Splits Markdown into top-level blocks (paragraphs, fenced code, lists, tables, quotes) so each block
// can be rendered and memoised on its own: while an answer streams only the last block changes.
// Pure and conservative: when unsure, it keeps lines together (one bigger block is always correct).

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const INDENTED = /^(?: {2,}|\t)\S/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * Returns the source split into blocks; joining them with "\n\n" renders the same document
 * (modulo blank lines between blocks).
 */
export function splitBlocks(source: string): string[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; length: number } | null = null;
  let inList = false;

  const flush = () => {
    // Drop trailing blank lines kept while deciding whether a list continues.
    while (current.length > 0 && isBlank(current[current.length - 1] ?? '')) current.pop();
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
    inList = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';

    if (fence) {
      current.push(line);
      const close = line.match(FENCE);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length && line.trim() === close[1]) {
        fence = null;
        flush();
      }
      continue;
    }

    const open = line.match(FENCE);
    if (open?.[1]) {
      // A fence starts its own block, unless it is nested inside a list item (indented).
      if (!(inList && /^\s{2,}/.test(line))) flush();
      fence = { char: open[1][0] ?? '`', length: open[1].length };
      current.push(line);
      continue;
    }

    if (isBlank(line)) {
      if (current.length === 0) continue;
      if (inList) {
        // A blank line inside a list: the list goes on if the next non-blank line is an item or indented.
        let j = i + 1;
        while (j < lines.length && isBlank(lines[j] ?? '')) j++;
        const next = lines[j];
        if (next !== undefined && (LIST_ITEM.test(next) || INDENTED.test(next))) {
          current.push(line);
          continue;
        }
      }
      flush();
      continue;
    }

    if (current.length === 0 && LIST_ITEM.test(line)) inList = true;
    current.push(line);
  }
  flush();
  return blocks;
}
