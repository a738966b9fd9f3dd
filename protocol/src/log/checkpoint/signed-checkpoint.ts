/**
 * Signed checkpoints: a tlog-checkpoint body (checkpoint.ts) carried as a C2SP signed note
 * (note/note.ts), signed by the log's Ed25519 key (type 0x01) and cosigned by witnesses
 * (tlog-cosignature cosignature/v1, type 0x04; note/cosignature.ts).
 *
 * - tlog-checkpoint "Signatures": clients MUST ignore unknown signatures (this is what lets a
 *   log rotate keys and witnesses cosign); the log's key name SHOULD match the origin, so it is
 *   not required (sum.golang.org signs origin "go.sum database tree"), but verifyCheckpoint can
 *   pin the expected origin.
 * - tlog-cosignature: log clients verify a quorum of cosignatures to prevent split views. A
 *   witness is a configured (name, Ed25519 public key); several valid cosignatures by the same
 *   witness (e.g. at different times) count once toward the quorum.
 * - signed-note "Signatures": a signature by a known key that fails rejects the note, whether it
 *   is the log's or a trusted witness's.
 */
import { constantTimeEqual } from "../../encoding/bytes.ts";
import { ProtocolError } from "../../errors.ts";
import type { VerifierKey } from "../../keys/verifier-key.ts";
import { cosignatureTimestamp, cosignatureVerifier } from "../note/cosignature.ts";
import {
  ed25519NoteVerifier,
  type NoteLimits,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  openNote,
  parseNote,
  signNote,
} from "../note/note.ts";
import {
  type Checkpoint,
  type CheckpointFields,
  formatCheckpoint,
  parseCheckpoint,
} from "./checkpoint.ts";

/** Formats the checkpoint body and signs it (the log's signer first, then any others). */
export function signCheckpoint(
  checkpoint: CheckpointFields,
  signers: readonly NoteSigner[],
  limits?: NoteLimits,
): string {
  return signNote(formatCheckpoint(checkpoint), signers, limits);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * The checkpoint inside a signed note, parsed strictly, with its signatures left unverified: for
 * formats that carry a checkpoint (tlog-proof, tlog-witness) and check signatures later.
 */
export function checkpointOfNote(signedCheckpoint: string): Checkpoint {
  return parseCheckpoint(parseNote(signedCheckpoint).text);
}

/**
 * Opens a signed checkpoint with any set of note verifiers (see openNote for the errors) and
 * parses its body strictly (see parseCheckpoint).
 */
export function openCheckpoint(
  input: Uint8Array | string,
  verifiers: readonly NoteVerifier[],
  limits?: NoteLimits,
): OpenedCheckpoint {
  const note = openNote(input, verifiers, limits);
  return { checkpoint: parseCheckpoint(note.text), note };
}

export interface CheckpointPolicy {
  /** The log's Ed25519 verifier key (type 0x01); its signature is required. */
  readonly logKey: VerifierKey;
  /** Trusted witnesses, each a (name, Ed25519 public key); cosignature/v1 key IDs are derived. */
  readonly witnesses: readonly VerifierKey[];
  /** How many distinct trusted witnesses must have cosigned: 0 … witnesses.length. */
  readonly quorum: number;
  /** When set, the checkpoint's origin line must equal it. */
  readonly origin?: string;
  /**
   * The verifier's clock, in POSIX seconds. When set, cosignatures dated more than
   * `maxClockSkewSeconds` after it are not counted (tlog-cosignature allows rejecting
   * cosignatures with timestamps in the future).
   */
  readonly now?: bigint;
  /** Tolerance for witnesses' clocks running ahead; default 300 seconds. */
  readonly maxClockSkewSeconds?: bigint;
  readonly limits?: NoteLimits;
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint body exactly as signed. */
  readonly text: string;
  /** The trusted witnesses that cosigned, in the order of policy.witnesses. */
  readonly cosigners: readonly VerifierKey[];
  /** For each cosigner (same index), the latest time it cosigned this checkpoint. */
  readonly timestamps: readonly bigint[];
}

const DEFAULT_MAX_CLOCK_SKEW = 300n;

function checkPolicy(policy: CheckpointPolicy): void {
  const { witnesses, quorum } = policy;
  if (!Array.isArray(witnesses)) {
    throw new ProtocolError("bad-value", "witnesses must be a list of verifier keys");
  }
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw new ProtocolError(
      "bad-value",
      `the witness quorum must be a whole number from 0 to ${witnesses.length} (the number of trusted witnesses), got ${String(quorum)}`,
    );
  }
  const skew = policy.maxClockSkewSeconds;
  if (skew !== undefined && (typeof skew !== "bigint" || skew < 0n)) {
    throw new ProtocolError("bad-value", "maxClockSkewSeconds must be a non-negative bigint");
  }
  if (policy.now !== undefined && typeof policy.now !== "bigint") {
    throw new ProtocolError("bad-value", "now must be a bigint number of seconds");
  }
}

/**
 * Verifies a signed checkpoint against a log key and a witness policy. Returns the checkpoint
 * with the witnesses that cosigned it, or throws ProtocolError with a message meant for people:
 * - "unknown-key": no signature by the log key (even if witnesses cosigned);
 * - "bad-signature": a signature by the log key or by a trusted witness does not verify;
 * - "no-quorum": fewer than `quorum` distinct trusted witnesses cosigned;
 * - "bad-value": the origin is not the expected one, or the policy itself is inconsistent
 *   (quorum out of range, a witness listed twice);
 * - the note and checkpoint syntax errors of openNote and parseCheckpoint.
 */
export function verifyCheckpoint(
  input: Uint8Array | string,
  policy: CheckpointPolicy,
): VerifiedCheckpoint {
  checkPolicy(policy);
  const logVerifier = ed25519NoteVerifier(policy.logKey);
  const notAfter =
    policy.now === undefined
      ? undefined
      : policy.now + (policy.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW);

  // Cosignatures dated after notAfter must not count, but they are not forgeries either: a
  // verifier that refuses them would make openNote reject the whole note. So witnesses are
  // verified without the date limit and the date is applied when counting.
  const witnessVerifiers = policy.witnesses.map((w) => cosignatureVerifier(w));
  const seen = new Map<string, string>();
  witnessVerifiers.forEach((v, i) => {
    const id = `${v.name}+${Array.from(v.keyId, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw new ProtocolError(
        "bad-value",
        `the witness ${v.name} is listed twice (entries ${earlier} and ${i + 1})`,
      );
    }
    seen.set(id, String(i + 1));
    // The cosignature/v1 message does not commit to the witness name, so a cosignature by a key
    // can be relabelled with any name that key is configured under: one key, one witness.
    const j = policy.witnesses.findIndex((w) =>
      constantTimeEqual(w.publicKey, policy.witnesses[i]!.publicKey),
    );
    if (j !== i) {
      throw new ProtocolError(
        "bad-value",
        `the witnesses ${policy.witnesses[j]!.name} and ${v.name} share one public key, so one cosignature would count for both`,
      );
    }
  });

  const note = openNote(input, [logVerifier, ...witnessVerifiers], policy.limits);
  if (!note.verified.some((s) => s.verifier === logVerifier)) {
    throw new ProtocolError(
      "unknown-key",
      `the checkpoint is not signed by the log key ${policy.logKey.name}`,
    );
  }
  const checkpoint = parseCheckpoint(note.text);
  if (policy.origin !== undefined && checkpoint.origin !== policy.origin) {
    throw new ProtocolError(
      "bad-value",
      `the checkpoint is for the log ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(policy.origin)}`,
    );
  }

  const cosigners: VerifierKey[] = [];
  const timestamps: bigint[] = [];
  const tooLate: string[] = [];
  witnessVerifiers.forEach((verifier, i) => {
    let latest: bigint | undefined;
    for (const sig of note.verified) {
      if (sig.verifier !== verifier) continue;
      const time = cosignatureTimestamp(sig.signature);
      if (notAfter !== undefined && time > notAfter) {
        tooLate.push(`${verifier.name} (dated ${time}, after ${notAfter})`);
        continue;
      }
      if (latest === undefined || time > latest) latest = time;
    }
    if (latest !== undefined) {
      cosigners.push(policy.witnesses[i]!);
      timestamps.push(latest);
    }
  });

  if (cosigners.length < policy.quorum) {
    const missing = policy.witnesses.filter((w) => !cosigners.includes(w)).map((w) => w.name);
    let message =
      `only ${cosigners.length} of the ${policy.quorum} required witness cosignatures are present ` +
      `(${policy.witnesses.length} witnesses are trusted)`;
    message +=
      cosigners.length > 0
        ? `; cosigned by: ${cosigners.map((w) => w.name).join(", ")}`
        : "; no trusted witness cosigned";
    if (missing.length > 0) message += `; missing: ${missing.join(", ")}`;
    if (tooLate.length > 0) message += `; not counted, dated in the future: ${tooLate.join(", ")}`;
    throw new ProtocolError("no-quorum", message);
  }
  return { checkpoint, text: note.text, cosigners, timestamps };
}
