/**
 * The body of a C2SP witness add-checkpoint request (c2sp.org/tlog-witness, "add-checkpoint"),
 * POSTed to <submission prefix>/add-checkpoint. Every line ends in U+000A:
 *
 *   old <size>              tree size of the checkpoint the witness last cosigned for this log
 *                           (0 if none), ASCII decimal without leading zeroes
 *   <base64 hash>*          RFC 6962 / RFC 9162 consistency proof from the old size to the
 *                           checkpoint's size, one 32-byte hash per line, at most 63 lines
 *   <empty line>
 *   <signed checkpoint>     may carry several signatures
 *
 * The witness answers 200 with cosignature lines (note/cosignature.ts cosignCheckpoint; the client
 * parses them with note/note.ts parseSignatureLines), or 409 with the size it last cosigned as
 * "<decimal>\n" (Content-Type text/x.tlog.size; formatLatestSize / parseLatestSize).
 *
 * What parsing refuses, and why not more: syntax errors, more than 63 proof lines, and an old
 * size above the checkpoint's size all warrant "400 Bad Request", so parseAddCheckpointRequest
 * refuses them. The spec gives other failures their own status codes, decided by the witness in
 * order: unknown origin 404, no trusted log signature 403, old size not the one it cosigned 409,
 * proof that does not verify 422 (a non-empty proof for old size 0 is such a proof). Those need
 * the witness's state and keys, so they are left to it.
 */
import { ProtocolError } from "../../errors.ts";
import type { Checkpoint } from "../checkpoint/checkpoint.ts";
import { checkpointOfNote } from "../checkpoint/signed-checkpoint.ts";
import { DEFAULT_MAX_NOTE_BYTES } from "../note/note.ts";
import {
  decodeBase64Exact,
  encodeHash,
  formatDecimal,
  HASH_BYTES,
  noteInput,
  parseDecimal,
} from "../note/text.ts";

/** tlog-witness: the client MUST NOT send more than 63 consistency proof lines. */
export const MAX_CONSISTENCY_PROOF_LINES = 63;
export const MAX_ADD_CHECKPOINT_BYTES = DEFAULT_MAX_NOTE_BYTES + 64 * 1024;

export interface AddCheckpointFields {
  readonly oldSize: bigint;
  /** Consistency proof hashes from oldSize to the checkpoint's size (empty when oldSize is 0). */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  readonly signedCheckpoint: string;
}

export interface AddCheckpointRequest extends AddCheckpointFields {
  /** The parsed body of signedCheckpoint (signatures not verified here). */
  readonly checkpoint: Checkpoint;
}

function checkOldSize(oldSize: bigint, checkpoint: Checkpoint): void {
  if (oldSize > checkpoint.size) {
    throw new ProtocolError(
      "bad-value",
      `the old size ${oldSize} is larger than the checkpoint's size ${checkpoint.size}`,
    );
  }
}

/**
 * Builds a request body. Besides the syntax it enforces the client's MUSTs: old size at most the
 * checkpoint size, at most 63 proof lines, and an empty proof when the old size is 0.
 */
export function formatAddCheckpointRequest(fields: AddCheckpointFields): string {
  if (typeof fields.signedCheckpoint !== "string") {
    throw new ProtocolError("bad-value", "the signed checkpoint must be a string");
  }
  const checkpoint = checkpointOfNote(fields.signedCheckpoint);
  const old = formatDecimal(fields.oldSize, "the old size");
  checkOldSize(fields.oldSize, checkpoint);
  if (fields.proof.length > MAX_CONSISTENCY_PROOF_LINES) {
    throw new ProtocolError(
      "field-too-long",
      `a consistency proof is sent as at most ${MAX_CONSISTENCY_PROOF_LINES} lines`,
    );
  }
  if (fields.oldSize === 0n && fields.proof.length > 0) {
    throw new ProtocolError("bad-value", "the consistency proof from size 0 must be empty");
  }
  const lines = fields.proof.map((h, i) => `${encodeHash(h, `consistency proof hash ${i}`)}\n`);
  return `old ${old}\n${lines.join("")}\n${fields.signedCheckpoint}`;
}

/** Parses a request body strictly (see the module comment for what is left to the witness). */
export function parseAddCheckpointRequest(input: Uint8Array | string): AddCheckpointRequest {
  const text = noteInput(input, MAX_ADD_CHECKPOINT_BYTES, "add-checkpoint request");
  let at = 0;
  const nextLine = (what: string): string => {
    const end = text.indexOf("\n", at);
    if (end < 0) throw new ProtocolError("bad-encoding", `the request ends inside ${what}`);
    const line = text.slice(at, end);
    at = end + 1;
    return line;
  };
  const first = nextLine("the old size line");
  if (!first.startsWith("old ")) {
    throw new ProtocolError("bad-encoding", "an add-checkpoint request starts with 'old <size>'");
  }
  const oldSize = parseDecimal(first.slice("old ".length), "the old size");
  const proof: Uint8Array[] = [];
  for (;;) {
    const line = nextLine("the consistency proof");
    if (line === "") break;
    if (proof.length === MAX_CONSISTENCY_PROOF_LINES) {
      throw new ProtocolError(
        "field-too-long",
        `a consistency proof is sent as at most ${MAX_CONSISTENCY_PROOF_LINES} lines`,
      );
    }
    proof.push(decodeBase64Exact(line, HASH_BYTES, `consistency proof hash ${proof.length}`));
  }
  const signedCheckpoint = text.slice(at);
  const checkpoint = checkpointOfNote(signedCheckpoint);
  checkOldSize(oldSize, checkpoint);
  return { oldSize, proof, signedCheckpoint, checkpoint };
}

/** The 409 Conflict body: the size the witness last cosigned, then a newline. */
export function formatLatestSize(size: bigint): string {
  return `${formatDecimal(size, "the cosigned tree size")}\n`;
}

export function parseLatestSize(input: Uint8Array | string): bigint {
  const text = noteInput(input, 64, "tree size response");
  if (!text.endsWith("\n")) {
    throw new ProtocolError("bad-encoding", "the tree size response ends with a newline");
  }
  return parseDecimal(text.slice(0, -1), "the cosigned tree size");
}
