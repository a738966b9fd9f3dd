/**
 * Encrypting one check-in (PROTOCOL.md §5.2): the fixed-size record is encrypted once per slot the
 * stay overlaps, each time to that slot's identity under the master key of the slot's UTC day.
 * The result is what the device submits: one equally long ciphertext per slot.
 */
import { ProtocolError } from "../errors.ts";
import type { Aead } from "../record/aead.ts";
import { epochDay } from "./epoch-key.ts";
import { encryptToIdentity } from "./ibe.ts";
import { identityBytes, slotsOverlapping } from "./identity.ts";
import type { PreparedMasterKey } from "./master-key.ts";

export interface SlotCiphertext {
  readonly slotStart: number;
  readonly ciphertext: Uint8Array;
}

export interface CheckInEncryption {
  readonly deployment: string;
  readonly entranceId: string;
  readonly slotSeconds: number;
  /** Unix seconds. */
  readonly arrival: number;
  /** Unix seconds; the expected departure (the venue's default stay unless the person chose). */
  readonly departure: number;
  /** The encoded fixed-size check-in record. */
  readonly record: Uint8Array;
  /** The prepared master key for a UTC day number; throw when that day's key is unknown. */
  readonly masterKeyForDay: (day: number) => PreparedMasterKey;
}

export function encryptCheckIn(aead: Aead, input: CheckInEncryption): SlotCiphertext[] {
  const slots = slotsOverlapping(input.arrival, input.departure, input.slotSeconds);
  return slots.map((slotStart) => {
    const mpk = input.masterKeyForDay(epochDay(slotStart));
    if (!mpk) throw new ProtocolError("unknown-key", "no master key for this day");
    const id = identityBytes({
      deployment: input.deployment,
      entranceId: input.entranceId,
      slotStart,
      slotSeconds: input.slotSeconds,
    });
    return { slotStart, ciphertext: encryptToIdentity(aead, mpk, id, input.record) };
  });
}
