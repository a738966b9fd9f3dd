/**
 * Check-in receipts (PROTOCOL.md §6.2): the server signs what it stored, and the pass shows it as
 * a small QR that door staff can verify offline against the deployment's receipt key.
 *
 *   receipt = u8 0x56 ('V') ‖ u8 1 ‖ text8 deployment ‖ text8 entranceId ‖ u64 firstSlot
 *           ‖ u8 slotCount ‖ fixed(32) SHA-256(ciphertext_1 ‖ … ‖ ciphertext_n) ‖ u64 storedAt
 *   signed  = receipt ‖ Ed25519(server, "LINTEL-V1 receipt" ‖ 0x00 ‖ receipt)
 *
 * It names no person: only the entrance, the slots (1–25, as many as one stay may span) and a hash
 * of the ciphertexts the device sent, so the device can check that what was stored is exactly what
 * it encrypted.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { Reader, Writer } from "../encoding/binary.ts";
import { concatBytes } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_SIGNATURE_BYTES } from "../keys/ed25519.ts";
import { signAppended, verifyInContext } from "../keys/signing-context.ts";
import { MAX_SLOTS_PER_VISIT } from "../tibe/identity.ts";

export const RECEIPT_TYPE = 0x56;

export interface Receipt {
  readonly deployment: string;
  readonly entranceId: string;
  readonly firstSlot: number;
  readonly slotCount: number;
  readonly ciphertextsHash: Uint8Array;
  readonly storedAt: number;
}

export function hashCiphertexts(ciphertexts: readonly Uint8Array[]): Uint8Array {
  return sha256(concatBytes(...ciphertexts));
}

function checkSeconds(v: number, field: string): void {
  if (!Number.isSafeInteger(v) || v < 0)
    throw new ProtocolError("bad-value", `${field} is Unix seconds`);
}

/**
 * firstSlot is not checked for slot alignment: the receipt does not carry the slot length, and the
 * device compares firstSlot and slotCount with the slots it encrypted to (PROTOCOL.md §6.2).
 */
export function encodeReceipt(r: Receipt): Uint8Array {
  checkSeconds(r.firstSlot, "firstSlot");
  if (!Number.isInteger(r.slotCount) || r.slotCount < 1 || r.slotCount > MAX_SLOTS_PER_VISIT)
    throw new ProtocolError("bad-value", `slotCount is 1–${MAX_SLOTS_PER_VISIT}`);
  checkSeconds(r.storedAt, "storedAt");
  return new Writer()
    .u8(RECEIPT_TYPE)
    .u8(1)
    .text8(r.deployment, 32, "deployment")
    .text8(r.entranceId, 32, "entranceId")
    .u64(BigInt(r.firstSlot))
    .u8(r.slotCount)
    .fixed(r.ciphertextsHash, 32)
    .u64(BigInt(r.storedAt))
    .finish();
}

export function signReceipt(r: Receipt, serverSecretKey: Uint8Array): Uint8Array {
  return signAppended(serverSecretKey, "receipt", encodeReceipt(r));
}

export function verifyReceipt(bytes: Uint8Array, serverPublicKey: Uint8Array): Receipt {
  const rd = new Reader(bytes);
  if (rd.u8() !== RECEIPT_TYPE) throw new ProtocolError("unknown-type", "not a receipt");
  if (rd.u8() !== 1) throw new ProtocolError("unknown-version", "unsupported receipt version");
  const deployment = rd.text8(32, "deployment");
  const entranceId = rd.text8(32, "entranceId");
  const firstSlot = rd.u64();
  const slotCount = rd.u8();
  const ciphertextsHash = rd.fixed(32);
  const storedAt = rd.u64();
  const payloadLength = rd.offset;
  const signature = rd.fixed(ED25519_SIGNATURE_BYTES);
  rd.end();
  if (!verifyInContext(serverPublicKey, "receipt", bytes.subarray(0, payloadLength), signature)) {
    throw new ProtocolError("bad-signature", "the receipt is not signed by this server");
  }
  if (slotCount < 1 || slotCount > MAX_SLOTS_PER_VISIT)
    throw new ProtocolError("bad-value", `slotCount is 1–${MAX_SLOTS_PER_VISIT}`);
  if (firstSlot > BigInt(Number.MAX_SAFE_INTEGER) || storedAt > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProtocolError("bad-value", "time out of range");
  }
  return {
    deployment,
    entranceId,
    firstSlot: Number(firstSlot),
    slotCount,
    ciphertextsHash,
    storedAt: Number(storedAt),
  };
}
