/**
 * The contact list as CSV for a spreadsheet (RFC 4180), safe against formula injection: a name
 * typed as `=HYPERLINK(…)` must arrive as that text, not as a formula. The rule is the one the
 * service uses for its own exports (worker/src/venues/csv.ts), written again here because the SDK
 * does not import worker code: every cell quoted with quotes doubled; a text cell starting with
 * = + - @, tab or carriage return gets a leading apostrophe (OWASP "CSV injection"); a UTF-8 BOM
 * so spreadsheets read Chinese names; CRLF line ends.
 */
import type { FoundContact } from "./results.ts";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export const CONTACT_COLUMNS = [
  "entrance",
  "arrival (UTC)",
  "expected departure (UTC)",
  "recorded by",
  "companions",
  "name",
  "phone",
  "id number",
  "contact source",
  "slots (UTC)",
] as const;

function contactCells(c: FoundContact): [string, string, string, string] {
  switch (c.details.kind) {
    case "contact":
      return [c.details.contact.name, c.details.contact.phone, c.details.contact.idNumber, "typed"];
    case "card":
      return [
        c.details.contact.name,
        c.details.contact.phone,
        c.details.contact.idNumber,
        "citizen card",
      ];
    case "sealed-card":
      return ["", "", "", "sealed card, needs the authority key"];
    case "card-unreadable":
      return ["", "", "", `citizen card does not open (${c.details.code})`];
  }
}

export function contactsCsv(contacts: readonly FoundContact[]): string {
  return csvDocument(
    CONTACT_COLUMNS,
    contacts.map((c) => [
      c.entranceId,
      iso(c.arrival),
      iso(c.expectedDeparture),
      c.recordedBy,
      c.companions,
      ...contactCells(c),
      c.slots.map(iso).join(" "),
    ]),
  );
}
