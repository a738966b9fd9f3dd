/**
 * C2SP transparency-log checkpoints (c2sp.org/tlog-checkpoint, "Note text"): the text of a
 * signed note made of at least three non-empty lines, each ending in U+000A:
 *
 *   <origin>              non-empty; identifies the log (a schema-less URL is only a SHOULD,
 *                         and clients MUST NOT assume it, so any non-empty line is accepted)
 *   <tree size>           ASCII decimal, no leading zeroes ("0" for the empty tree); RFC 9162
 *                         sizes are 64-bit, so 0 ≤ size ≤ 2^64 − 1
 *   <root hash>           standard padded base64 (RFC 4648 §4) of the 32-byte SHA-256
 *                         RFC 6962 / RFC 9162 Merkle tree hash at that size
 *   [<extension line>]*   opaque, OPTIONAL, each non-empty (and NOT RECOMMENDED)
 *
 * The note rules apply (signed-note "Format": UTF-8, no ASCII control character but newline).
 * This module handles the body only; signing and verification are in signed-checkpoint.ts.
 */
import { ProtocolError } from "../../errors.ts";
import {
  decodeBase64Exact,
  encodeHash,
  formatDecimal,
  HASH_BYTES,
  noteInput,
  noteTextBytes,
  parseDecimal,
} from "../note/text.ts";

/** A checkpoint body larger than this is refused before it is decoded. */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;

export interface Checkpoint {
  readonly origin: string;
  /** Number of leaves, 0 … 2^64 − 1. */
  readonly size: bigint;
  /** RFC 9162 root hash, 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Extension lines, without their newlines (usually none). */
  readonly extensions: readonly string[];
}

export interface CheckpointFields {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}

function checkLine(line: string, what: string): void {
  if (typeof line !== "string" || line.length === 0) {
    throw new ProtocolError("bad-value", `the checkpoint ${what} must be a non-empty string`);
  }
  if (line.includes("\n")) {
    throw new ProtocolError("bad-value", `the checkpoint ${what} must be a single line`);
  }
  noteTextBytes(line, `the checkpoint ${what}`);
}

/** Formats a checkpoint body (the note text a log signs), final newline included. */
export function formatCheckpoint(fields: CheckpointFields): string {
  checkLine(fields.origin, "origin");
  const size = formatDecimal(fields.size, "the checkpoint tree size");
  const root = encodeHash(fields.rootHash, "the checkpoint root hash");
  const extensions = fields.extensions ?? [];
  extensions.forEach((line, i) => {
    checkLine(line, `extension line ${i + 1}`);
  });
  const body = `${[fields.origin, size, root, ...extensions].join("\n")}\n`;
  if (new TextEncoder().encode(body).length > MAX_CHECKPOINT_BYTES) {
    throw new ProtocolError(
      "field-too-long",
      `a checkpoint is at most ${MAX_CHECKPOINT_BYTES} bytes`,
    );
  }
  return body;
}

/**
 * Parses a checkpoint body strictly. Throws ProtocolError: "field-too-long" (over 64 KiB),
 * "bad-text" (not UTF-8, control characters), "bad-encoding" (no final newline, fewer than three
 * lines, an empty line, a size with a sign / leading zero / non-digit, a root hash that is not
 * canonical padded base64), "bad-value" (size above 2^64 − 1), "bad-length" (root hash not 32
 * bytes).
 */
export function parseCheckpoint(body: Uint8Array | string): Checkpoint {
  const text = noteInput(body, MAX_CHECKPOINT_BYTES, "checkpoint");
  if (!text.endsWith("\n")) {
    throw new ProtocolError("bad-encoding", "a checkpoint must end with a newline");
  }
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) {
    throw new ProtocolError(
      "bad-encoding",
      `a checkpoint has at least three lines (origin, tree size, root hash), got ${lines.length}`,
    );
  }
  const empty = lines.indexOf("");
  if (empty >= 0) {
    throw new ProtocolError(
      "bad-encoding",
      `line ${empty + 1} of the checkpoint is empty; every checkpoint line must be non-empty`,
    );
  }
  const [origin, sizeText, rootText, ...extensions] = lines as [
    string,
    string,
    string,
    ...string[],
  ];
  const size = parseDecimal(sizeText, "the checkpoint tree size");
  const rootHash = decodeBase64Exact(rootText, HASH_BYTES, "the checkpoint root hash");
  return { origin, size, rootHash, extensions };
}
