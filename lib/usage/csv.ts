// CSV cells (RFC 4180) that are also safe to open in a spreadsheet: text that a spreadsheet would read as
// a formula (= + - @, or a leading tab / carriage return) gets a leading apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Numbers and timestamps we produce ourselves: never quoted, never prefixed. */
export function csvNumber(value: number | bigint | string | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
