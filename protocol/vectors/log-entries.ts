/**
 * Test vectors of the log entry kinds written when the registry supervises venues and when an
 * officer approves a venue's request (PROTOCOL.md §10.3, §8.3 `logEntries`): each entry signed by
 * one key — the vectors' registry key, or officer A's for a venue request — issued at the
 * vectors' `now`, for deployment `demo`. Built here and checked in check.ts.
 */
import type { EntryBody } from "../src/log/entries/bodies.ts";
import { encodeEntry, signEntry } from "../src/log/entries/entry.ts";
import { fromHex, toHex } from "./hex.ts";

type VenueRequestBody = Extract<EntryBody, { kind: "venue-request" }>;

/**
 * Bodies whose fields are all strings and numbers, so the vector file holds them as they are: a
 * venue request's release key in lowercase hex.
 */
export type PlainEntryBody =
  | Extract<
      EntryBody,
      { kind: "venue-suspension" | "venue-reinstatement" | "entrance-retired" | "code-replacement" }
    >
  | (Omit<VenueRequestBody, "releaseKey"> & { readonly releaseKey: string });

/** Who signs an entry of this kind: a venue request is an officer's approval. */
export type VectorSigner = "registry" | "officer";
export const signerOf = (body: PlainEntryBody): VectorSigner =>
  body.kind === "venue-request" ? "officer" : "registry";

export interface LogEntryVector {
  readonly fields: PlainEntryBody;
  readonly signer: VectorSigner;
  /** The whole encoded entry (§10.2), signature included. */
  readonly entry: string;
}

const ZERO_KEY = "00".repeat(32);

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
  {
    kind: "venue-request",
    venueId: "hbr-lib",
    entrances: ["hbr-main", "hbr-east"],
    windowStart: 1_763_600_400,
    windowEnd: 1_763_607_600,
    reason: "guest-case",
    grants: ["warning", "counts"],
    releaseKey: ZERO_KEY,
  },
  {
    kind: "venue-request",
    venueId: "hbr-lib",
    entrances: ["hbr-main"],
    windowStart: 1_763_600_400,
    windowEnd: 1_763_604_000,
    reason: "staff-case",
    grants: ["contacts"],
    releaseKey: "07".repeat(32),
  },
];

/** The entry body a vector's fields describe. */
export function entryBodyOf(fields: PlainEntryBody): EntryBody {
  return fields.kind === "venue-request" ? { ...fields, releaseKey: fromHex(fields.releaseKey) } : fields;
}

/** A decoded body in a vector's terms (keys in hex), for comparing with its fields. */
export function plainBodyOf(body: EntryBody): unknown {
  return body.kind === "venue-request" ? { ...body, releaseKey: toHex(body.releaseKey) } : body;
}

export interface VectorSigners {
  readonly registry: Uint8Array;
  readonly officer: Uint8Array;
}

export function signedLogEntry(body: PlainEntryBody, issuedAt: number, secrets: VectorSigners): Uint8Array {
  return encodeEntry(signEntry({ deployment: "demo", issuedAt, body: entryBodyOf(body) }, [secrets[signerOf(body)]]));
}

export function logEntryVectors(issuedAt: number, secrets: VectorSigners): LogEntryVector[] {
  return LOG_ENTRY_BODIES.map((fields) => ({
    fields,
    signer: signerOf(fields),
    entry: toHex(signedLogEntry(fields, issuedAt, secrets)),
  }));
}
