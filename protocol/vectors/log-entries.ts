/**
 * Test vectors of the log entry kinds the registry writes when it supervises venues (PROTOCOL.md
 * §10.3, §8.3 `logEntries`): each entry signed by the vectors' registry key alone, issued at the
 * vectors' `now`, for deployment `demo`. Built here and checked in check.ts.
 */
import type { EntryBody } from "../src/log/entries/bodies.ts";
import { encodeEntry, signEntry } from "../src/log/entries/entry.ts";
import { toHex } from "./hex.ts";

/** Bodies whose fields are all strings and numbers, so the vector file holds them as they are. */
export type PlainEntryBody = Extract<
  EntryBody,
  { kind: "venue-suspension" | "venue-reinstatement" | "entrance-retired" | "code-replacement" }
>;

export interface LogEntryVector {
  readonly fields: PlainEntryBody;
  /** The whole encoded entry (§10.2), signature included. */
  readonly entry: string;
}

export const LOG_ENTRY_BODIES: readonly PlainEntryBody[] = [
  { kind: "venue-suspension", venueId: "hbr-lib", reason: "inspection-failed" },
  { kind: "venue-reinstatement", venueId: "hbr-lib" },
  { kind: "entrance-retired", venueId: "hbr-lib", entranceId: "hbr-east", replacedBy: "hbr-main" },
  {
    kind: "code-replacement",
    venueId: "hbr-lib",
    entranceId: "hbr-main",
    newVersion: 4,
    reason: "amended",
  },
];

export function signedLogEntry(body: PlainEntryBody, issuedAt: number, registrySecret: Uint8Array): Uint8Array {
  return encodeEntry(signEntry({ deployment: "demo", issuedAt, body }, [registrySecret]));
}

export function logEntryVectors(issuedAt: number, registrySecret: Uint8Array): LogEntryVector[] {
  return LOG_ENTRY_BODIES.map((fields) => ({
    fields,
    entry: toHex(signedLogEntry(fields, issuedAt, registrySecret)),
  }));
}
