/**
 * Checking in (PROTOCOL.md §5): on the device, build each person's fixed-size 240-byte record,
 * encrypt it once per hour-slot of the stay to that slot's identity under the day's master key,
 * send only the ciphertexts with a deletion-token hash and an idempotency key, and accept the
 * service's answer only with a receipt signed by the deployment's receipt key that names exactly
 * the entrance, the slots and the hash of the ciphertexts that were sent (§6.2).
 *
 * Each companion (family, children) gets a record of their own (`recordedBy` "companion",
 * `companions` 0) and a submission of their own, with their own deletion secret; the head's
 * record counts the companions. The venue code says whether an ID number is asked for: when it
 * is not, none is recorded, whatever the app passes.
 *
 * `checkIn` is the online path: it throws LintelError("network") when the service cannot be
 * reached. For a check-in that must survive a lost connection or a reload, use the offline queue
 * (queue.ts), which keeps the prepared ciphertexts and retries with the same idempotency keys.
 */

import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import {
  type CheckInRecord,
  type Contact,
  constantTimeEqual,
  decodeBase64url,
  deletionTokenHash,
  encodeBase32,
  encodeBase64url,
  encodeCheckInRecord,
  encryptCheckIn,
  epochDay,
  hashCiphertexts,
  identityBytes,
  newDeletionSecret,
  type Receipt,
  slotsOverlapping,
  verifyReceipt,
  xchacha20poly1305Js,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { callRoute, type ServiceOptions } from "../http.ts";
import { defaultServiceClock, type ServiceClock } from "./clock.ts";
import type { EncryptionKeys } from "./keys.ts";
import { checked } from "./protocol-error.ts";
import type { ScannedCode } from "./scan.ts";
import { type CitizenDeployment, receiptPublicKey } from "./trust.ts";
import type {
  CheckInRequestBody,
  ConfirmedSubmission,
  PreparedCheckIn,
  PreparedSubmission,
  Visit,
} from "./visit.ts";

/** The service's answer to a check-in, as the API contract declares it. */
export type CheckInAnswer = RouteAnswer<typeof citizenRoutes.checkIn>;

/** The most companions one record can count (PROTOCOL.md §5.1). */
export const MAX_COMPANIONS = 20;
const IDEMPOTENCY_KEY_BYTES = 16;

/** What a person types. `idNumber` is used only when the venue code asks for it. */
export interface ContactDetails {
  readonly name: string;
  readonly phone: string;
  readonly idNumber?: string;
}

export interface PrepareCheckInOptions {
  /** The deployment answer (fetchDeployment), with its log and receipt keys. */
  readonly deployment: CitizenDeployment;
  /** From loadEncryptionKeys. */
  readonly keys: EncryptionKeys;
  /** From readCode or lookUpManualCode. */
  readonly code: ScannedCode;
  /** The person checking in. */
  readonly contact: ContactDetails;
  /** Everyone with them; each gets a record and a submission of their own. */
  readonly companions?: readonly ContactDetails[];
  /** Now by the service's clock (clock.ts) by default. */
  readonly arrival?: Date;
  /** The venue code's defaultStayMinutes by default; 1–1440. */
  readonly stayMinutes?: number;
  /** The service's clock as learned from its answers; the SDK's shared one by default. */
  readonly clock?: ServiceClock;
}

export interface CheckInOptions extends PrepareCheckInOptions {
  readonly service: ServiceOptions;
}

function bad(code: string, message: string): never {
  throw new LintelError(code, message);
}

function randomBase64url(bytes: number): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The contact as recorded: NFC, trimmed, and an ID number only where the venue asks for one. */
function recordedContact(details: ContactDetails, askId: boolean, head: boolean): Contact {
  const clean = (text: string | undefined) => (text ?? "").normalize("NFC").trim();
  const idNumber = askId ? clean(details.idNumber) : "";
  if (askId && head && idNumber === "") {
    bad("contact-incomplete", "This venue asks for an ID number.");
  }
  return { name: clean(details.name), phone: clean(details.phone), idNumber };
}

/**
 * Builds and encrypts every record of a check-in, without sending anything. Fails before any
 * encryption when the deployment has no receipt key ("deployment-incomplete"), when code, keys
 * and deployment disagree ("unknown-key"), or on invalid input (the protocol's codes, or
 * "contact-incomplete"); a day without an epoch key is "no-epoch-key".
 */
export async function prepareCheckIn(options: PrepareCheckInOptions): Promise<PreparedCheckIn> {
  const { deployment, keys, code: scanned } = options;
  const code = scanned.code;
  receiptPublicKey(deployment); // no receipt key, no check-in: it could never be confirmed
  if (code.deployment !== deployment.id || keys.deployment !== deployment.id) {
    bad("unknown-key", "The code, the keys and the deployment do not belong together.");
  }
  const slotSeconds = deployment.slotMinutes * 60;
  const clock = options.clock ?? defaultServiceClock;
  const arrivalMs = (options.arrival ?? clock.now()).getTime();
  if (!Number.isFinite(arrivalMs) || arrivalMs < 0) bad("bad-value", "arrival is not a valid time");
  const stayMinutes = options.stayMinutes ?? code.defaultStayMinutes;
  if (!Number.isInteger(stayMinutes) || stayMinutes < 1 || stayMinutes > 1440) {
    bad("bad-value", "the stay is 1–1440 minutes");
  }
  const companions = options.companions ?? [];
  if (companions.length > MAX_COMPANIONS) {
    bad("bad-value", `at most ${MAX_COMPANIONS} companions check in with one person`);
  }
  const arrival = Math.floor(arrivalMs / 1000);
  const expectedDeparture = arrival + stayMinutes * 60;
  const slots = checked("The stay", () =>
    slotsOverlapping(arrival, expectedDeparture, slotSeconds),
  );

  const askId = code.contactFields.idNumber;
  const parties: Array<{ party: "head" | "companion"; record: CheckInRecord }> = [
    {
      party: "head",
      record: {
        recordedBy: "self",
        companions: companions.length,
        arrival,
        expectedDeparture,
        contactKind: "contact",
        contact: recordedContact(options.contact, askId, true),
      },
    },
    ...companions.map((c) => ({
      party: "companion" as const,
      record: {
        recordedBy: "companion" as const,
        companions: 0,
        arrival,
        expectedDeparture,
        contactKind: "contact" as const,
        contact: recordedContact(c, askId, false),
      },
    })),
  ];
  // Every record is encoded (and so checked) before anything is encrypted.
  const encoded = parties.map(({ party, record }, i) => ({
    party,
    record: checked(i === 0 ? "The contact details" : `Companion ${i}'s details`, () =>
      encodeCheckInRecord(record),
    ),
  }));

  if (encoded.length > 1) {
    // Several records go to the same identities: one pairing per slot instead of one per record.
    for (const slotStart of slots) {
      keys.masterKeyForDay(epochDay(slotStart)).precomputeIdentity(
        identityBytes({
          deployment: deployment.id,
          entranceId: code.entranceId,
          slotStart,
          slotSeconds,
        }),
      );
    }
  }
  const submissions = encoded.map(({ party, record }): PreparedSubmission => {
    const ciphertexts = checked("Encrypting the check-in", () =>
      encryptCheckIn(xchacha20poly1305Js, {
        deployment: deployment.id,
        entranceId: code.entranceId,
        slotSeconds,
        arrival,
        departure: expectedDeparture,
        record,
        masterKeyForDay: (day) => keys.masterKeyForDay(day),
      }),
    );
    record.fill(0); // the plaintext is not needed any more
    const secret = newDeletionSecret();
    const idempotencyKey = randomBase64url(IDEMPOTENCY_KEY_BYTES);
    const body: CheckInRequestBody = {
      code: scanned.fragment,
      ...(scanned.kiosk ? { kiosk: encodeBase32(scanned.kiosk) } : {}),
      idempotencyKey,
      deletionHash: encodeBase64url(deletionTokenHash(secret)),
      recordedBy: "self",
      slots: ciphertexts.map((c) => ({
        slot: c.slotStart,
        ciphertext: encodeBase64url(c.ciphertext),
      })),
    };
    return { party, idempotencyKey, deletionSecret: encodeBase64url(secret), body };
  });

  return {
    id: randomBase64url(16),
    deployment: deployment.id,
    venueId: code.venueId,
    venueName: code.venueName,
    entranceId: code.entranceId,
    entranceName: code.entranceName,
    arrival,
    expectedDeparture,
    slotSeconds,
    slots,
    preparedAt: Math.floor(Date.now() / 1000),
    submissions,
  };
}

function badReceipt(message: string): LintelError {
  return new LintelError("bad-receipt", message);
}

/**
 * Checks a receipt against what was sent (§6.2 MUST): signed by the receipt key, for this
 * deployment and entrance, naming exactly the slots sent and the hash of exactly the ciphertexts
 * sent. Returns the receipt; throws "bad-receipt" otherwise.
 */
export interface ReceiptExpectation {
  readonly deployment: string;
  readonly entranceId: string;
  /** Exactly what was sent: the slots and their ciphertexts (base64url). */
  readonly slots: CheckInRequestBody["slots"];
}

export function checkReceipt(
  bytes: Uint8Array,
  receiptKey: Uint8Array,
  expected: ReceiptExpectation,
): Receipt {
  let receipt: Receipt;
  try {
    receipt = verifyReceipt(bytes, receiptKey);
  } catch {
    throw badReceipt("The receipt is not signed by this deployment's receipt key.");
  }
  const sent = expected.slots.map((s) => decodeBase64url(s.ciphertext));
  if (receipt.deployment !== expected.deployment || receipt.entranceId !== expected.entranceId) {
    throw badReceipt("The receipt names another deployment or entrance.");
  }
  if (
    receipt.firstSlot !== expected.slots[0]?.slot ||
    receipt.slotCount !== expected.slots.length
  ) {
    throw badReceipt("The receipt names other slots than the ones sent.");
  }
  if (!constantTimeEqual(receipt.ciphertextsHash, hashCiphertexts(sent))) {
    throw badReceipt("The receipt is for other ciphertexts than the ones sent.");
  }
  return receipt;
}

/**
 * The receipt of a check-in answer, checked against what was sent (§6.2). When it does not
 * check out, the submission is deleted again with its secret before the error is thrown: a
 * check-in the device cannot confirm must not stay behind.
 */
export async function confirmedReceipt(
  service: ServiceOptions,
  answer: CheckInAnswer,
  receiptKey: Uint8Array,
  expected: ReceiptExpectation,
  deletionSecret: string,
): Promise<{ readonly bytes: Uint8Array; readonly receipt: Receipt }> {
  const receiptText = answer.receipt;
  try {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64url(receiptText);
    } catch {
      throw badReceipt("The receipt is not base64url.");
    }
    // The receipt's own storedAt counts (the answer's `storedAt` is a convenience copy).
    return { bytes, receipt: checkReceipt(bytes, receiptKey, expected) };
  } catch (e) {
    await deleteSubmission(service, expected.entranceId, deletionSecret).catch(() => 0);
    throw e;
  }
}

/** POST /api/checkins/delete for one submission; the number of ciphertexts deleted. */
export async function deleteSubmission(
  service: ServiceOptions,
  entranceId: string,
  deletionSecret: string,
  fromSlot?: number,
): Promise<number> {
  const { deleted } = await callRoute(service, citizenRoutes.deleteCheckIn, {
    body: { entranceId, deletionSecret, ...(fromSlot === undefined ? {} : { fromSlot }) },
  });
  return deleted;
}

/**
 * Sends one prepared submission (the same body, hence the same idempotency key, on every try)
 * and verifies the receipt. A receipt that does not match is "bad-receipt": what the service
 * stored is then deleted again with the deletion secret (best effort), and nothing is confirmed.
 */
export async function submitOne(
  service: ServiceOptions,
  receiptKey: Uint8Array,
  prepared: PreparedCheckIn,
  submission: PreparedSubmission,
  clock: ServiceClock = defaultServiceClock,
): Promise<ConfirmedSubmission> {
  let answer: CheckInAnswer;
  try {
    answer = await callRoute(service, citizenRoutes.checkIn, { body: submission.body });
  } catch (e) {
    if (e instanceof LintelError && e.serviceTime !== undefined) clock.observe(e.serviceTime);
    throw e;
  }
  const { bytes, receipt } = await confirmedReceipt(
    service,
    answer,
    receiptKey,
    {
      deployment: prepared.deployment,
      entranceId: prepared.entranceId,
      slots: submission.body.slots,
    },
    submission.deletionSecret,
  );
  clock.observe(receipt.storedAt);
  return {
    idempotencyKey: submission.idempotencyKey,
    deletionSecret: submission.deletionSecret,
    receipt: bytes,
    storedAt: receipt.storedAt,
    dayWord: answer.dayWord,
  };
}

/** The diary entry for a prepared check-in whose head (and some companions) were confirmed. */
export function visitOf(
  prepared: PreparedCheckIn,
  head: ConfirmedSubmission,
  companions: readonly ConfirmedSubmission[],
): Visit {
  return {
    id: prepared.id,
    deployment: prepared.deployment,
    venueId: prepared.venueId,
    venueName: prepared.venueName,
    entranceId: prepared.entranceId,
    entranceName: prepared.entranceName,
    arrival: prepared.arrival,
    expectedDeparture: prepared.expectedDeparture,
    slotSeconds: prepared.slotSeconds,
    slots: [...prepared.slots],
    headCount: 1 + companions.length,
    idempotencyKey: head.idempotencyKey,
    deletionSecret: head.deletionSecret,
    receipt: head.receipt,
    storedAt: head.storedAt,
    ...(head.dayWord === undefined ? {} : { dayWord: head.dayWord }),
    companions: [...companions],
  };
}

/**
 * Checks in: prepares (see {@link prepareCheckIn}), sends the head's submission and then each
 * companion's, and returns the visit once every receipt verified. When a companion's submission
 * fails, what was already stored for this check-in is deleted again (best effort) and the error
 * is thrown: a check-in is confirmed for the whole party or not at all.
 */
export async function checkIn(options: CheckInOptions): Promise<Visit> {
  const receiptKey = receiptPublicKey(options.deployment);
  const prepared = await prepareCheckIn(options);
  const confirmed: ConfirmedSubmission[] = [];
  try {
    for (const submission of prepared.submissions) {
      confirmed.push(
        await submitOne(options.service, receiptKey, prepared, submission, options.clock),
      );
    }
  } catch (e) {
    for (const c of confirmed) {
      await deleteSubmission(options.service, prepared.entranceId, c.deletionSecret).catch(() => 0);
    }
    throw e;
  }
  const [head, ...companions] = confirmed;
  return visitOf(prepared, head!, companions);
}
