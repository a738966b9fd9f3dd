/**
 * C2SP transparency-log proofs (c2sp.org/tlog-proof, "Format"): an offline-verifiable proof that
 * an entry is in a log, as text lines separated by U+000A:
 *
 *   c2sp.org/tlog-proof@v1
 *   extra <base64>          OPTIONAL opaque, unauthenticated extra data (omitted when absent)
 *   index <N>               zero-based entry index, ASCII decimal without leading zeroes
 *   <base64 hash>*          the RFC 6962 §2.1.1 inclusion proof, leaf's sibling first, one
 *                           32-byte SHA-256 hash per line
 *   <empty line>
 *   <signed checkpoint>     the log's checkpoint note verbatim (tlog-checkpoint), usually with
 *                           witness cosignatures
 *
 * Base64 is RFC 4648 §4, padded. Files SHOULD use the extension .tlog-proof.
 *
 * Parsing checks syntax, including that the checkpoint is a well-formed signed note with a
 * well-formed checkpoint body, and that the index is below the tree size (no such entry could
 * otherwise be proved); the hashes are at most 64 (the depth of a tree of 2^64 − 1 entries).
 * Verifying the signatures (verifyCheckpoint) and the inclusion proof (the merkle module) is the
 * caller's next step; the extra data MUST NOT be trusted implicitly.
 */
import { ProtocolError } from "../../errors.ts";
import type { Checkpoint } from "../checkpoint/checkpoint.ts";
import { checkpointOfNote } from "../checkpoint/signed-checkpoint.ts";
import { DEFAULT_MAX_NOTE_BYTES } from "../note/note.ts";
import {
  base64Std,
  decodeBase64Exact,
  encodeHash,
  formatDecimal,
  fromBase64Std,
  HASH_BYTES,
  noteInput,
  parseDecimal,
} from "../note/text.ts";

export const TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1";
/** An inclusion proof in a tree of at most 2^64 − 1 entries has at most 64 hashes. */
export const MAX_INCLUSION_PROOF_HASHES = 64;
export const MAX_TLOG_PROOF_BYTES = DEFAULT_MAX_NOTE_BYTES + 64 * 1024;

export interface TlogProofFields {
  /** Opaque extra data (at least one byte; leave undefined when there is none). */
  readonly extra?: Uint8Array;
  readonly index: bigint;
  /** Inclusion proof hashes, 32 bytes each, leaf's sibling first. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  readonly signedCheckpoint: string;
}

export interface TlogProof extends TlogProofFields {
  /** The parsed body of signedCheckpoint (its signatures are not verified here). */
  readonly checkpoint: Checkpoint;
}

function checkIndex(index: bigint, checkpoint: Checkpoint): void {
  if (index >= checkpoint.size) {
    throw new ProtocolError(
      "bad-value",
      `entry ${index} is not in a tree of ${checkpoint.size} entries`,
    );
  }
}

export function formatTlogProof(fields: TlogProofFields): string {
  if (typeof fields.signedCheckpoint !== "string") {
    throw new ProtocolError("bad-value", "the signed checkpoint must be a string");
  }
  const checkpoint = checkpointOfNote(fields.signedCheckpoint);
  const index = formatDecimal(fields.index, "the entry index");
  checkIndex(fields.index, checkpoint);
  if (fields.proof.length > MAX_INCLUSION_PROOF_HASHES) {
    throw new ProtocolError(
      "field-too-long",
      `an inclusion proof has at most ${MAX_INCLUSION_PROOF_HASHES} hashes`,
    );
  }
  let out = `${TLOG_PROOF_HEADER}\n`;
  if (fields.extra !== undefined) {
    // An empty extra would print "extra " — neither absent (the line is then omitted) nor
    // data, so it has no spelling.
    if (!(fields.extra instanceof Uint8Array) || fields.extra.length === 0) {
      throw new ProtocolError("bad-value", "extra data must be at least one byte (or absent)");
    }
    out += `extra ${base64Std(fields.extra)}\n`;
  }
  out += `index ${index}\n`;
  for (const [i, hash] of fields.proof.entries()) {
    out += `${encodeHash(hash, `inclusion proof hash ${i}`)}\n`;
  }
  return `${out}\n${fields.signedCheckpoint}`;
}

function takeLine(text: string, at: number, what: string): { line: string; next: number } {
  const end = text.indexOf("\n", at);
  if (end < 0) throw new ProtocolError("bad-encoding", `the proof ends inside ${what}`);
  return { line: text.slice(at, end), next: end + 1 };
}

/**
 * Parses a tlog-proof strictly. Throws ProtocolError ("bad-encoding", "bad-text",
 * "bad-length", "field-too-long", "bad-value") for anything but the exact format above.
 */
export function parseTlogProof(input: Uint8Array | string): TlogProof {
  const text = noteInput(input, MAX_TLOG_PROOF_BYTES, "tlog-proof");
  let { line, next } = takeLine(text, 0, "the header line");
  if (line !== TLOG_PROOF_HEADER) {
    throw new ProtocolError(
      "bad-encoding",
      `a tlog-proof starts with the line ${TLOG_PROOF_HEADER}`,
    );
  }
  ({ line, next } = takeLine(text, next, "the index line"));
  let extra: Uint8Array | undefined;
  if (line.startsWith("extra ")) {
    const b64 = line.slice("extra ".length);
    try {
      extra = fromBase64Std(b64);
    } catch {
      throw new ProtocolError("bad-encoding", "the extra data is not canonical standard base64");
    }
    if (extra.length === 0) {
      throw new ProtocolError("bad-encoding", "an extra line must carry data (omit it otherwise)");
    }
    ({ line, next } = takeLine(text, next, "the index line"));
  }
  if (!line.startsWith("index ")) {
    throw new ProtocolError("bad-encoding", "the line after the header (and extra) is 'index <N>'");
  }
  const index = parseDecimal(line.slice("index ".length), "the entry index");
  const proof: Uint8Array[] = [];
  for (;;) {
    ({ line, next } = takeLine(text, next, "the inclusion proof"));
    if (line === "") break;
    if (proof.length === MAX_INCLUSION_PROOF_HASHES) {
      throw new ProtocolError(
        "field-too-long",
        `an inclusion proof has at most ${MAX_INCLUSION_PROOF_HASHES} hashes`,
      );
    }
    proof.push(decodeBase64Exact(line, HASH_BYTES, `inclusion proof hash ${proof.length}`));
  }
  const signedCheckpoint = text.slice(next);
  const checkpoint = checkpointOfNote(signedCheckpoint);
  checkIndex(index, checkpoint);
  return extra === undefined
    ? { index, proof, signedCheckpoint, checkpoint }
    : { extra, index, proof, signedCheckpoint, checkpoint };
}
