// Display formatting shared by server pages: plain functions of their arguments, no imports.

/** A decimal string without trailing zeros ("1.5000000000" → "1.5", "2.0" → "2"). */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
