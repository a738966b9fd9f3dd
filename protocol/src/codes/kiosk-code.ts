/**
 * Rotating kiosk codes (PROTOCOL.md §3.5). A kiosk screen shows the entrance's signed code plus a
 * proof that it was on that screen within the last minute or so, so a photographed code stops
 * working almost at once.
 *
 *   step   = floor(unix seconds / 30)
 *   mac    = HMAC-SHA256(kiosk secret, "LINTEL-V1 kiosk" ‖ 0x00 ‖ SHA-256(signed code) ‖ u32 step)[0..16]
 *   suffix = u32 step ‖ mac            (20 bytes; the URL fragment becomes base32(code) "." base32(suffix))
 *
 * The server, which holds each entrance's 32-byte kiosk secret, accepts steps within ±1 of its
 * own and compares MACs in constant time.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase32 } from "../encoding/base32.ts";
import { concatBytes, constantTimeEqual, u32be, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { venueCodeUrl } from "./venue-code.ts";

export const KIOSK_STEP_SECONDS = 30;
export const KIOSK_WINDOW_STEPS = 1;
export const KIOSK_SECRET_BYTES = 32;
export const KIOSK_MAC_BYTES = 16;

export function kioskStep(nowMs: number): number {
  const step = Math.floor(nowMs / 1000 / KIOSK_STEP_SECONDS);
  // NaN would pass the window check (every comparison with NaN is false) and would be written as
  // step 0; steps are u32 on the wire.
  if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) {
    throw new ProtocolError("bad-value", "not a valid time for a kiosk code");
  }
  return step;
}

export function kioskMac(secret: Uint8Array, signedCode: Uint8Array, step: number): Uint8Array {
  if (secret.length !== KIOSK_SECRET_BYTES)
    throw new ProtocolError("bad-length", "kiosk secrets are 32 bytes");
  const message = concatBytes(
    utf8("LINTEL-V1 kiosk"),
    new Uint8Array([0]),
    sha256(signedCode),
    u32be(step),
  );
  return hmac(sha256, secret, message).slice(0, KIOSK_MAC_BYTES);
}

export function kioskSuffix(secret: Uint8Array, signedCode: Uint8Array, nowMs: number): Uint8Array {
  const step = kioskStep(nowMs);
  return concatBytes(u32be(step), kioskMac(secret, signedCode, step));
}

export function kioskCodeUrl(
  origin: string,
  secret: Uint8Array,
  signedCode: Uint8Array,
  nowMs: number,
): string {
  return `${venueCodeUrl(origin, signedCode)}.${encodeBase32(kioskSuffix(secret, signedCode, nowMs))}`;
}

/** Throws "bad-mac" for a wrong MAC and "expired" for a step outside the window. */
export function verifyKioskSuffix(
  secret: Uint8Array,
  signedCode: Uint8Array,
  suffix: Uint8Array,
  nowMs: number,
): void {
  if (suffix.length !== 4 + KIOSK_MAC_BYTES)
    throw new ProtocolError("bad-length", "a kiosk suffix is 20 bytes");
  const step = new DataView(suffix.buffer, suffix.byteOffset, 4).getUint32(0);
  const expected = kioskMac(secret, signedCode, step);
  // MAC first, then time: an attacker learns nothing about the window from a forged MAC.
  if (!constantTimeEqual(expected, suffix.subarray(4)))
    throw new ProtocolError("bad-mac", "the kiosk code is not genuine");
  if (Math.abs(step - kioskStep(nowMs)) > KIOSK_WINDOW_STEPS) {
    throw new ProtocolError("expired", "the kiosk code is too old or from the future");
  }
}
