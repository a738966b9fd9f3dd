/**
 * Slot identities (PROTOCOL.md §4.2). A check-in is encrypted once per hour-slot it overlaps, each
 * time to the identity of (deployment, entrance, slot):
 *
 *   id = u8 0x49 ('I') ‖ u8 version 1 ‖ text8 deployment ‖ text8 entranceId ‖ u64 slotStart ‖ u32 slotSeconds
 *   Q  = hash_to_curve_G2(id) with DST "LINTEL-V1-IBE-ID-BLS12381G2_XMD:SHA-256_SSWU_RO_"   (RFC 9380)
 *
 * Slots are aligned to multiples of slotSeconds since the Unix epoch (UTC), so they do not depend
 * on time zones or daylight-saving changes: the local hour 01:00–02:00 on a night the clocks go
 * back is simply two different UTC slots. Entrance ids, not code versions, name identities, so
 * replacing a damaged code does not split an entrance's history.
 */
import { Writer } from "../encoding/binary.ts";
import { ProtocolError } from "../errors.ts";
import { curves, type G2Handle } from "./backend.ts";

export const IDENTITY_DST = "LINTEL-V1-IBE-ID-BLS12381G2_XMD:SHA-256_SSWU_RO_";
export const DEFAULT_SLOT_SECONDS = 3600;
/**
 * The most slots one stay may span. A record announces at most 86 400 s (checkin-record.ts), and a
 * 24-hour stay that does not start on a slot boundary overlaps 25 hour-slots.
 */
export const MAX_SLOTS_PER_VISIT = 25;
const MIN_SLOT_SECONDS = 60;
const MAX_SLOT_SECONDS = 86_400;

function checkSlotSeconds(slotSeconds: number): void {
  if (
    !Number.isInteger(slotSeconds) ||
    slotSeconds < MIN_SLOT_SECONDS ||
    slotSeconds > MAX_SLOT_SECONDS
  ) {
    throw new ProtocolError("bad-value", "slotSeconds is an integer 60–86400");
  }
}

export interface SlotIdentity {
  readonly deployment: string;
  readonly entranceId: string;
  /** Unix seconds; a multiple of slotSeconds. */
  readonly slotStart: number;
  readonly slotSeconds: number;
}

export function identityBytes(id: SlotIdentity): Uint8Array {
  if (!Number.isSafeInteger(id.slotStart) || id.slotStart < 0)
    throw new ProtocolError("bad-value", "slotStart is Unix seconds");
  checkSlotSeconds(id.slotSeconds);
  if (id.slotStart % id.slotSeconds !== 0)
    throw new ProtocolError("bad-value", "slotStart must be aligned to the slot length");
  return new Writer()
    .u8(0x49)
    .u8(1)
    .text8(id.deployment, 32, "deployment")
    .text8(id.entranceId, 32, "entranceId")
    .u64(BigInt(id.slotStart))
    .u32(id.slotSeconds)
    .finish();
}

/** Q = H2(id), in the active backend. */
export function identityPoint(idBytes: Uint8Array): G2Handle {
  return curves().hashToG2(idBytes, IDENTITY_DST);
}

/**
 * The slot starts a stay [arrival, departure) overlaps, in order. Arrival and departure are Unix
 * seconds (safe integers ≥ 0), slotSeconds an integer 60–86400; anything else, a departure not
 * after arrival, or more than {@link MAX_SLOTS_PER_VISIT} slots is "bad-value".
 */
export function slotsOverlapping(
  arrival: number,
  departure: number,
  slotSeconds = DEFAULT_SLOT_SECONDS,
): number[] {
  checkSlotSeconds(slotSeconds);
  if (!Number.isSafeInteger(arrival) || arrival < 0)
    throw new ProtocolError("bad-value", "arrival is Unix seconds");
  if (!Number.isSafeInteger(departure) || departure < 0)
    throw new ProtocolError("bad-value", "departure is Unix seconds");
  if (!(departure > arrival))
    throw new ProtocolError("bad-value", "departure must be after arrival");
  const first = Math.floor(arrival / slotSeconds) * slotSeconds;
  const slots: number[] = [];
  for (let s = first; s < departure; s += slotSeconds) {
    slots.push(s);
    if (slots.length > MAX_SLOTS_PER_VISIT) {
      throw new ProtocolError("bad-value", `a visit spans at most ${MAX_SLOTS_PER_VISIT} slots`);
    }
  }
  return slots;
}
