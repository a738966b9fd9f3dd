/**
 * The contact list as CSV for a spreadsheet, with the protocol's one formula-safe rule
 * (protocol/src/encoding/csv.ts: every cell quoted, a text cell starting with = + - @, tab or
 * carriage return gets a leading apostrophe, a UTF-8 BOM, CRLF line ends) — the same the service
 * uses for its own exports.
 */
import { csvCell, csvDocument } from "@lintel/protocol";
import type { FoundContact } from "./results.ts";

export { csvCell, csvDocument };

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
