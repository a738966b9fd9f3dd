/**
 * Epoch keys (PROTOCOL.md §4.6): the log's own key share, different every day.
 *
 *   e_d ← random scalar (never derived from a longer-lived seed: destroying e_d must destroy the
 *         only way to compute it)
 *   E_d = e_d · g1, with a proof of possession like any trustee key
 *   mpk_d = Σ P_i + E_d      for every slot that starts on UTC day d
 *
 * The public half is published ahead (epochKeysAheadDays, 7 by default) as a statement signed by
 * the log key and appended to the log, so offline devices can still encrypt a week later:
 *
 *   statement = u8 0x4B ('K') ‖ u8 1 ‖ text8 deployment ‖ u16 day ‖ fixed(48) E_d ‖ fixed(96) π_d
 *   signed    = statement ‖ Ed25519(log key, "LINTEL-V1 epoch key" ‖ 0x00 ‖ statement)
 *
 * "Destroyed" means: when day d + retentionDays + 1 begins (UTC), the holder deletes e_d from
 * every store it was written to and appends a retention receipt naming d. After that, even all
 * trustees together hold only Σ s_i·Q, which lacks e_d·Q: every ciphertext of day d is noise.
 */
import { Reader, Writer } from "../encoding/binary.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_SIGNATURE_BYTES } from "../keys/ed25519.ts";
import { signAppended, verifyInContext } from "../keys/signing-context.ts";
import type { KeyShare } from "./master-key.ts";
import {
  generateTrusteeKey,
  PROOF_OF_POSSESSION_BYTES,
  SHARE_KEY_BYTES,
  verifyProofOfPossession,
} from "./trustee-key.ts";

export const EPOCH_STATEMENT_TYPE = 0x4b;
const DAY_SECONDS = 86_400;

export interface EpochKey {
  readonly day: number;
  readonly secretShare: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

export interface EpochKeyStatement extends KeyShare {
  readonly deployment: string;
  readonly day: number;
}

/** UTC day number of a Unix time in seconds. */
export function epochDay(unixSeconds: number): number {
  return Math.floor(unixSeconds / DAY_SECONDS);
}

/** First UTC day on which the epoch secret of `day` must no longer exist. */
export function epochDestructionDay(day: number, retentionDays: number): number {
  return day + retentionDays + 1;
}

/** `seed`, for reproducible test vectors only: as for generateTrusteeKey (48 bytes, else "bad-length"). */
export function generateEpochKey(day: number, seed?: Uint8Array): EpochKey {
  if (!Number.isInteger(day) || day < 0 || day > 0xffff)
    throw new ProtocolError("bad-value", "day is 0–65535");
  return { day, ...generateTrusteeKey(seed) };
}

export function encodeEpochStatement(s: EpochKeyStatement): Uint8Array {
  return new Writer()
    .u8(EPOCH_STATEMENT_TYPE)
    .u8(1)
    .text8(s.deployment, 32, "deployment")
    .u16(s.day)
    .fixed(s.publicKey, SHARE_KEY_BYTES)
    .fixed(s.proofOfPossession, PROOF_OF_POSSESSION_BYTES)
    .finish();
}

export function signEpochStatement(s: EpochKeyStatement, logSecretKey: Uint8Array): Uint8Array {
  return signAppended(logSecretKey, "epoch key", encodeEpochStatement(s));
}

/** Parses and verifies a signed epoch statement, including the key's proof of possession. */
export interface VerifyEpochStatementOptions {
  /**
   * false: leave the proof of possession to the caller, who must check it before the key is used
   * (PreparedMasterKey.fromShares always does). A device that keeps a week of statements checks
   * each day's proof on the day it first encrypts to it, not all of them on every load.
   */
  readonly checkProofOfPossession?: boolean;
}

export function verifyEpochStatement(
  bytes: Uint8Array,
  logPublicKey: Uint8Array,
  options: VerifyEpochStatementOptions = {},
): EpochKeyStatement {
  const r = new Reader(bytes);
  if (r.u8() !== EPOCH_STATEMENT_TYPE)
    throw new ProtocolError("unknown-type", "not an epoch key statement");
  if (r.u8() !== 1)
    throw new ProtocolError("unknown-version", "unsupported epoch statement version");
  const deployment = r.text8(32, "deployment");
  const day = r.u16();
  const publicKey = r.fixed(SHARE_KEY_BYTES);
  const proofOfPossession = r.fixed(PROOF_OF_POSSESSION_BYTES);
  const payloadLength = r.offset;
  const signature = r.fixed(ED25519_SIGNATURE_BYTES);
  r.end();
  if (!verifyInContext(logPublicKey, "epoch key", bytes.subarray(0, payloadLength), signature)) {
    throw new ProtocolError("bad-signature", "the epoch statement is not signed by the log key");
  }
  if (
    options.checkProofOfPossession !== false &&
    !verifyProofOfPossession(publicKey, proofOfPossession)
  ) {
    throw new ProtocolError(
      "bad-proof-of-possession",
      "the epoch key has no valid proof of possession",
    );
  }
  return { deployment, day, publicKey, proofOfPossession };
}
