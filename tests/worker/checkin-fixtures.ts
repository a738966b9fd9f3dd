/** Stand-ins for what a device submits: the service checks sizes and headers, never decrypts. */
import { CHECKIN_RECORD_BYTES, ciphertextBytes } from "@lintel/protocol";

export const CIPHERTEXT_BYTES = ciphertextBytes(CHECKIN_RECORD_BYTES);
export const HOUR = 3600;

/** Random bytes of a check-in ciphertext's size, with the v1 header (type 0x45, version 1). */
export function fakeCiphertext(): Uint8Array {
  const ct = crypto.getRandomValues(new Uint8Array(CIPHERTEXT_BYTES));
  ct.set([0x45, 1]);
  return ct;
}

/** The start of the current one-hour slot, Unix seconds. */
export function currentSlot(): number {
  const now = Math.floor(Date.now() / 1000);
  return now - (now % HOUR);
}
