/**
 * CSV for spreadsheets (RFC 4180), safe against formula injection — one rule for every export
 * (the service's venue list, the authority's contact list): a venue named
 * `=HYPERLINK("http://evil","click")` must arrive in Excel or LibreOffice as that text, not as a
 * formula. Every cell is quoted; a cell whose first character a spreadsheet would treat as the
 * start of a formula (= + - @, tab, carriage return) gets a leading apostrophe, which the
 * spreadsheet shows as text and does not display (OWASP "CSV injection" guidance).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** A UTF-8 BOM first, so that spreadsheets read Chinese names correctly; CRLF line ends. */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
