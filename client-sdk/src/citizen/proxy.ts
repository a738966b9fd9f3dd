/**
 * Staff check-ins (PROTOCOL.md §5.1, §5.4): a venue's staff device checks in a person who has no
 * phone, either from their printed citizen card or from details typed at the door ("proxy"), or
 * from a row of the paper list kept while a device was broken ("paper", backdated up to 24 hours).
 *
 * A citizen card's sealed contact goes into the record unopened (contact kind 2): the staff device
 * never sees the name, phone or ID number on it, only the card's public masked name. Typed details
 * go into an ordinary contact record (kind 1). Either way the record is encrypted on the staff
 * device exactly as a person's own check-in is (checkin.ts), and sent to POST /api/checkins/staff
 * signed by the staff device key (auth/signed-fetch.ts), with a receipt verified as for every
 * check-in.
 *
 * Write-only by design: nothing here reads anything back from the service, and the result carries
 * only what the door may show — the masked name, the entrance and the times.
 *
 * The same card scanned twice in a row (a double tap, a second pass under the scanner) is refused
 * on this device with "card-already-scanned" for CARD_RESCAN_SECONDS at the same entrance: the
 * service cannot tell, since it never sees the card, and must not be given anything derived from
 * a card (it would link the card's visits). The device keeps, in memory only and only for that
 * window, a SHA-256 of the card's sealed contact (random per card, and the device already held
 * the card itself). A card whose check-in failed may be scanned again at once.
 */

import { citizenRoutes, type Localized, type RouteInput } from "@lintel/contract";
import {
  type CheckInRecord,
  type CitizenCard,
  type Contact,
  cardFromText,
  constantTimeEqual,
  decodeBase64url,
  deletionTokenHash,
  encodeBase64url,
  encodeCheckInRecord,
  encryptCheckIn,
  hashCiphertexts,
  maskName,
  newDeletionSecret,
  authorityKeyId as protocolAuthorityKeyId,
  slotsOverlapping,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { type SignedServiceOptions, signedCall } from "../auth/signed-fetch.ts";
import { LintelError } from "../errors.ts";
import { type CheckInAnswer, type ContactDetails, confirmedReceipt } from "./checkin.ts";
import { defaultServiceClock, type ServiceClock } from "./clock.ts";
import { objectField } from "./fields.ts";
import type { EncryptionKeys } from "./keys.ts";
import { checked } from "./protocol-error.ts";
import type { ScannedCode } from "./scan.ts";
import { type CitizenDeployment, receiptPublicKey } from "./trust.ts";

/** How a staff check-in was recorded: at the door for someone ("proxy") or from a paper list. */
export type StaffRecordedBy = "proxy" | "paper";

/** A paper-list row may start this far back (the service's rule, worker/src/routes/checkins.ts). */
export const PAPER_BACKDATE_SECONDS = 24 * 3600;

const IDEMPOTENCY_KEY_BYTES = 16;

/** Whom the check-in is for: a citizen card (its QR text or decoded), or typed details. */
export type StaffPerson =
  | { readonly card: CitizenCard | string }
  | { readonly contact: ContactDetails };

export interface PrepareStaffCheckInOptions {
  /** The deployment answer (fetchDeployment), with its log, receipt and authority keys. */
  readonly deployment: CitizenDeployment;
  /** From loadEncryptionKeys. */
  readonly keys: EncryptionKeys;
  /** The entrance's code, from readCode (GET /api/entrances/:id/code gives its URL). */
  readonly code: ScannedCode;
  readonly recordedBy: StaffRecordedBy;
  readonly person: StaffPerson;
  /** Now by default; for "paper", the time written on the list (within the last 24 hours). */
  readonly arrival?: Date;
  /** The venue code's defaultStayMinutes by default; 1–1440. */
  readonly stayMinutes?: number;
  /** The clock for the slot checks; the service's time (clock.ts) by default. */
  readonly now?: Date;
}

export interface StaffCheckInOptions extends PrepareStaffCheckInOptions {
  /** Signed by the staff device: POST /api/checkins/staff needs a staff key of this entrance. */
  readonly service: SignedServiceOptions;
}

/** The JSON body of POST /api/checkins/staff, as the API contract declares it. */
export type StaffCheckInRequestBody = Omit<
  RouteInput<typeof citizenRoutes.staffCheckIn>["body"],
  "recordedBy" | "kiosk"
> & { readonly recordedBy: StaffRecordedBy };

/** A staff check-in encrypted and ready to send. */
export interface PreparedStaffCheckIn {
  readonly deployment: string;
  readonly venueName: Localized;
  readonly entranceId: string;
  readonly entranceName: Localized;
  readonly recordedBy: StaffRecordedBy;
  /** What the door may show: the card's masked name, or the typed name masked the same way. */
  readonly maskedName: string;
  /** Unix seconds. */
  readonly arrival: number;
  /** Unix seconds. */
  readonly expectedDeparture: number;
  readonly slotSeconds: number;
  readonly slots: readonly number[];
  readonly idempotencyKey: string;
  /** base64url, 32 bytes: deletes this check-in. Give it to the person (or drop it). */
  readonly deletionSecret: string;
  readonly body: StaffCheckInRequestBody;
  /** For a card: which card it was, as the repeated-scan guard knows it (see the header). */
  readonly cardTag?: string;
}

/** What the service confirmed: nothing about the person beyond the masked name. */
export interface StaffCheckInResult {
  readonly entranceId: string;
  readonly venueName: Localized;
  readonly entranceName: Localized;
  readonly recordedBy: StaffRecordedBy;
  readonly maskedName: string;
  readonly arrival: number;
  readonly expectedDeparture: number;
  readonly slots: readonly number[];
  /** Unix seconds, from the verified receipt. */
  readonly storedAt: number;
  /** The signed receipt, verified against what was sent. */
  readonly receipt: Uint8Array;
  readonly deletionSecret: string;
}

function bad(code: string, message: string): never {
  throw new LintelError(code, message);
}

/** How long the same card is refused again at the same entrance (see the header). */
export const CARD_RESCAN_SECONDS = 60;
/** Card tag → when (device ms) it was last sent; entries older than the window are dropped. */
const recentCards = new Map<string, number>();

function cardTagOf(entranceId: string, sealedContact: Uint8Array): string {
  // SHA-256 of the parts concatenated (the entrance id ends at its 0 byte).
  const entrance = new TextEncoder().encode(entranceId);
  const tag = hashCiphertexts([entrance, Uint8Array.of(0), sealedContact]);
  return encodeBase64url(tag.subarray(0, 16));
}

function refuseRecentCard(tag: string | undefined, nowMs: number): void {
  for (const [t, at] of recentCards) {
    if (nowMs - at >= CARD_RESCAN_SECONDS * 1000 || nowMs < at) recentCards.delete(t);
  }
  if (tag !== undefined && recentCards.has(tag)) {
    bad(
      "card-already-scanned",
      `This card was checked in at this entrance less than ${CARD_RESCAN_SECONDS} seconds ago.`,
    );
  }
}

/**
 * The authority key id the deployment publishes (GET /api/deployment → authority.boxPublicKey),
 * computed from the key itself; "deployment-incomplete" when there is none.
 */
export function authorityKeyIdOf(deployment: CitizenDeployment): Uint8Array {
  const text = objectField(objectField(deployment, "authority"), "boxPublicKey");
  if (typeof text !== "string" || text === "") {
    bad("deployment-incomplete", "The deployment publishes no health-authority key for cards.");
  }
  try {
    return protocolAuthorityKeyId(decodeBase64url(text, 32));
  } catch {
    return bad("deployment-incomplete", "The deployment's health-authority key is malformed.");
  }
}

/**
 * Reads a citizen card's QR text (or takes a decoded card) and checks that it belongs here: made
 * for this deployment ("unknown-key" otherwise) and sealed to the authority key this deployment
 * publishes ("unknown-key": a card for another or an older key, which the authority may not be
 * able to open — the person needs a new card). Malformed text throws the protocol's codes
 * ("bad-encoding", "truncated", …).
 */
export function readCitizenCard(card: CitizenCard | string, deployment: CitizenDeployment) {
  const decoded =
    typeof card === "string"
      ? checked("This is not a citizen card", () => cardFromText(card.trim()))
      : card;
  if (decoded.deployment !== deployment.id) {
    bad("unknown-key", "This citizen card was made for another deployment.");
  }
  if (!constantTimeEqual(decoded.authorityKeyId, authorityKeyIdOf(deployment))) {
    bad("unknown-key", "This citizen card is sealed to another health-authority key.");
  }
  return decoded;
}

/** The contact as recorded: NFC, trimmed, and an ID number only where the venue asks for one. */
function recordedContact(details: ContactDetails, askId: boolean): Contact {
  const clean = (text: string | undefined) => (text ?? "").normalize("NFC").trim();
  const idNumber = askId ? clean(details.idNumber) : "";
  if (askId && idNumber === "") bad("contact-incomplete", "This venue asks for an ID number.");
  return { name: clean(details.name), phone: clean(details.phone), idNumber };
}

/**
 * The service's slot rule for staff check-ins, checked before anything is encrypted: the first
 * slot is the current one for "proxy" (or one of the two before it, as for a person's own), and
 * within the last 24 hours for "paper"; never in the future. "bad-slots" otherwise.
 */
function checkFirstSlot(
  first: number,
  slotSeconds: number,
  recordedBy: StaffRecordedBy,
  now: number,
) {
  const current = now - (now % slotSeconds);
  if (first > current) bad("bad-slots", "A check-in cannot start in the future.");
  const earliest =
    recordedBy === "paper" ? current - PAPER_BACKDATE_SECONDS : current - 2 * slotSeconds;
  if (first < earliest) {
    bad(
      "bad-slots",
      recordedBy === "paper"
        ? "A paper-list check-in starts within the last 24 hours."
        : "A proxy check-in starts now.",
    );
  }
}

/**
 * Builds and encrypts a staff check-in without sending anything. Fails before any encryption
 * when the deployment has no receipt key ("deployment-incomplete"), when code, keys and
 * deployment disagree or the card is not for this deployment and authority ("unknown-key"), for
 * slots the service would refuse ("bad-slots"), or on invalid input (the protocol's codes, or
 * "contact-incomplete").
 */
export async function prepareStaffCheckIn(
  options: PrepareStaffCheckInOptions,
): Promise<PreparedStaffCheckIn> {
  const { deployment, keys, code: scanned, recordedBy } = options;
  const code = scanned.code;
  receiptPublicKey(deployment); // no receipt key, no check-in: it could never be confirmed
  if (code.deployment !== deployment.id || keys.deployment !== deployment.id) {
    bad("unknown-key", "The code, the keys and the deployment do not belong together.");
  }
  if (scanned.kiosk !== undefined) {
    bad("bad-value", "Staff check in with the entrance's code, not a kiosk screen's.");
  }
  if (recordedBy !== "proxy" && recordedBy !== "paper") bad("bad-value", "proxy or paper");
  const slotSeconds = deployment.slotMinutes * 60;
  const nowSeconds = Math.floor((options.now ?? defaultServiceClock.now()).getTime() / 1000);
  const arrivalMs = (options.arrival ?? new Date(nowSeconds * 1000)).getTime();
  if (!Number.isFinite(arrivalMs) || arrivalMs < 0) bad("bad-value", "arrival is not a valid time");
  const stayMinutes = options.stayMinutes ?? code.defaultStayMinutes;
  if (!Number.isInteger(stayMinutes) || stayMinutes < 1 || stayMinutes > 1440) {
    bad("bad-value", "the stay is 1–1440 minutes");
  }
  const arrival = Math.floor(arrivalMs / 1000);
  const expectedDeparture = arrival + stayMinutes * 60;
  const slots = checked("The stay", () =>
    slotsOverlapping(arrival, expectedDeparture, slotSeconds),
  );
  checkFirstSlot(slots[0]!, slotSeconds, recordedBy, nowSeconds);

  const common = { recordedBy, companions: 0, arrival, expectedDeparture } as const;
  let record: CheckInRecord;
  let maskedName: string;
  let cardTag: string | undefined;
  if ("card" in options.person) {
    const card = readCitizenCard(options.person.card, deployment);
    cardTag = cardTagOf(code.entranceId, card.sealedContact);
    refuseRecentCard(cardTag, Date.now());
    record = { ...common, contactKind: "sealed-card", sealedCard: card.sealedContact };
    maskedName = card.maskedName;
  } else {
    const contact = recordedContact(options.person.contact, code.contactFields.idNumber);
    record = { ...common, contactKind: "contact", contact };
    maskedName = checked("The contact details", () => maskName(contact.name));
  }
  const encoded = checked(
    "card" in options.person ? "The citizen card" : "The contact details",
    () => encodeCheckInRecord(record),
  );

  await ready();
  const ciphertexts = checked("Encrypting the check-in", () =>
    encryptCheckIn(xchacha20poly1305, {
      deployment: deployment.id,
      entranceId: code.entranceId,
      slotSeconds,
      arrival,
      departure: expectedDeparture,
      record: encoded,
      masterKeyForDay: (day) => keys.masterKeyForDay(day),
    }),
  );
  encoded.fill(0); // the plaintext is not needed any more
  const secret = newDeletionSecret();
  const idempotencyKey = encodeBase64url(
    crypto.getRandomValues(new Uint8Array(IDEMPOTENCY_KEY_BYTES)),
  );
  return {
    deployment: deployment.id,
    venueName: code.venueName,
    entranceId: code.entranceId,
    entranceName: code.entranceName,
    recordedBy,
    maskedName,
    arrival,
    expectedDeparture,
    slotSeconds,
    slots,
    idempotencyKey,
    deletionSecret: encodeBase64url(secret),
    ...(cardTag === undefined ? {} : { cardTag }),
    body: {
      code: scanned.fragment,
      idempotencyKey,
      deletionHash: encodeBase64url(deletionTokenHash(secret)),
      recordedBy,
      slots: ciphertexts.map((c) => ({
        slot: c.slotStart,
        ciphertext: encodeBase64url(c.ciphertext),
      })),
    },
  };
}

/**
 * Sends a prepared staff check-in (the same bytes, hence the same idempotency key, on every try)
 * to POST /api/checkins/staff, signed by the staff device, and verifies the receipt. A receipt
 * that does not match what was sent is "bad-receipt": what the service stored is then deleted
 * again with the deletion secret (best effort).
 */
export async function submitStaffCheckIn(
  service: SignedServiceOptions,
  deployment: CitizenDeployment,
  prepared: PreparedStaffCheckIn,
  clock: ServiceClock = defaultServiceClock,
): Promise<StaffCheckInResult> {
  const receiptKey = receiptPublicKey(deployment);
  // Checked and marked in one step, before any await: two taps race to one check-in.
  const nowMs = Date.now();
  refuseRecentCard(prepared.cardTag, nowMs);
  if (prepared.cardTag !== undefined) recentCards.set(prepared.cardTag, nowMs);
  let bytes: Uint8Array;
  let receipt: Awaited<ReturnType<typeof confirmedReceipt>>["receipt"];
  try {
    let answer: CheckInAnswer;
    try {
      answer = await signedCall(service, citizenRoutes.staffCheckIn, { body: prepared.body });
    } catch (e) {
      if (e instanceof LintelError && e.serviceTime !== undefined) clock.observe(e.serviceTime);
      throw e;
    }
    ({ bytes, receipt } = await confirmedReceipt(
      service,
      answer,
      receiptKey,
      {
        deployment: prepared.deployment,
        entranceId: prepared.entranceId,
        slots: prepared.body.slots,
      },
      prepared.deletionSecret,
    ));
  } catch (e) {
    // Not checked in: the same card may be scanned again at once.
    if (prepared.cardTag !== undefined && recentCards.get(prepared.cardTag) === nowMs) {
      recentCards.delete(prepared.cardTag);
    }
    throw e;
  }
  clock.observe(receipt.storedAt);
  return {
    entranceId: prepared.entranceId,
    venueName: prepared.venueName,
    entranceName: prepared.entranceName,
    recordedBy: prepared.recordedBy,
    maskedName: prepared.maskedName,
    arrival: prepared.arrival,
    expectedDeparture: prepared.expectedDeparture,
    slots: [...prepared.slots],
    storedAt: receipt.storedAt,
    receipt: bytes,
    deletionSecret: prepared.deletionSecret,
  };
}

/** Prepares ({@link prepareStaffCheckIn}) and submits ({@link submitStaffCheckIn}) in one call. */
export async function staffCheckIn(options: StaffCheckInOptions): Promise<StaffCheckInResult> {
  const prepared = await prepareStaffCheckIn(options);
  return submitStaffCheckIn(options.service, options.deployment, prepared);
}
