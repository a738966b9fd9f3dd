/**
 * What a device keeps about a check-in, before and after the service confirmed it. Plain data
 * (strings, numbers, byte arrays), so that IndexedDB can keep it as it is.
 *
 * Nothing here holds a contact detail: the names and phone numbers exist only inside the
 * ciphertexts, which this device cannot open once they are made.
 */
import type { citizenRoutes, Localized, RouteInput } from "@lintel/contract";

/** The JSON body of a person's own check-in (POST /api/checkins), as the API contract declares it. */
export type CheckInRequestBody = RouteInput<typeof citizenRoutes.checkIn>["body"] & {
  readonly recordedBy: "self";
};

/** One person's submission of a prepared check-in: the head's, or one companion's. */
export interface PreparedSubmission {
  readonly party: "head" | "companion";
  readonly idempotencyKey: string;
  /** base64url, 32 bytes. Whoever holds it can delete this person's check-in. */
  readonly deletionSecret: string;
  readonly body: CheckInRequestBody;
}

/** A check-in encrypted and ready to send (or to keep in the offline queue). */
export interface PreparedCheckIn {
  /** Random id; becomes the visit's id. */
  readonly id: string;
  readonly deployment: string;
  readonly venueId: string;
  /** As the registry signed it in the venue code, in both languages. */
  readonly venueName: Localized;
  readonly entranceId: string;
  /** As the registry signed it in the venue code, in both languages. */
  readonly entranceName: Localized;
  /** Unix seconds. */
  readonly arrival: number;
  /** Unix seconds. */
  readonly expectedDeparture: number;
  readonly slotSeconds: number;
  /** Slot starts (Unix seconds), ascending: one ciphertext per slot and person. */
  readonly slots: readonly number[];
  /** When the device prepared it, Unix seconds. */
  readonly preparedAt: number;
  /** The head's submission first, then one per companion. */
  readonly submissions: readonly PreparedSubmission[];
}

/** What the service confirmed for one person: the verified receipt and what deletes it. */
export interface ConfirmedSubmission {
  readonly idempotencyKey: string;
  /** base64url, 32 bytes. */
  readonly deletionSecret: string;
  /** The signed receipt (PROTOCOL.md §6.2), verified against what was sent. */
  readonly receipt: Uint8Array;
  /** Unix seconds, from the receipt. */
  readonly storedAt: number;
  /**
   * The day's check-in word the service answered with (the same on every pass of that day; door
   * staff see it too). Absent in diaries kept before the service sent it.
   */
  readonly dayWord?: Localized;
}

/** A confirmed visit, as the diary keeps it. The head's submission is the visit itself. */
export interface Visit extends ConfirmedSubmission {
  readonly id: string;
  readonly deployment: string;
  readonly venueId: string;
  /** As the registry signed it in the venue code, in both languages. */
  readonly venueName: Localized;
  readonly entranceId: string;
  /** As the registry signed it in the venue code, in both languages. */
  readonly entranceName: Localized;
  /** Unix seconds. */
  readonly arrival: number;
  /** Unix seconds: arrival plus the stay the person chose or the venue's default. */
  readonly expectedDeparture: number;
  readonly slotSeconds: number;
  readonly slots: readonly number[];
  /** 1 + the companions whose check-ins the service confirmed. */
  readonly headCount: number;
  /** One confirmed submission per companion, each with its own record and deletion secret. */
  readonly companions: readonly ConfirmedSubmission[];
  /** When the person checked out (Unix seconds); absent while the visit is open. */
  readonly checkedOutAt?: number;
}
