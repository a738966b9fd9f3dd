/**
 * Whether a pass shown at the door is a genuine check-in at this venue, made today and still
 * running: decided on the staff device alone, from the receipt in the pass's QR code (PROTOCOL.md
 * §6.2: base32 of the signed receipt), the deployment's receipt key and the venue's entrances. No
 * network: a door with no signal checks passes the same way.
 *
 * The checks, in order, each with its own refusal so staff can say what is wrong:
 *   1. the text decodes and the receipt verifies under the receipt key, for this deployment
 *      ("not-genuine": not a Lintel receipt, altered, or signed by another key);
 *   2. its entrance is one of this venue's ("another-venue");
 *   3. it was stored today, in the deployment's time zone ("another-day");
 *   4. its slots cover now ("stay-over", with when the stay ended; "not-started" for slots that
 *      begin later than a fast clock explains).
 * A screenshot of a genuine pass passes 1–4 while it is fresh: the pass's liveness cue (a clock
 * stepping every second) is what staff look at for that.
 */
import { decodeBase32, isProtocolError, type Receipt, verifyReceipt } from "@lintel/protocol";
import type { Bi } from "./i18n.ts";
import { localDate } from "./staff-time.ts";

/** Slots that start this far ahead of the staff device's clock are still taken (clock skew). */
export const PASS_CLOCK_SKEW_SECONDS = 120;

export interface PassCheckContext {
  /** The deployment id the receipt must name. */
  readonly deployment: string;
  /** The deployment's receipt public key (Ed25519, 32 bytes). */
  readonly receiptKey: Uint8Array;
  /** The deployment's time zone: "today" is the local day there. */
  readonly timeZone: string;
  /** The length of one slot in seconds (the deployment's slotMinutes × 60). */
  readonly slotSeconds: number;
  /** Every entrance of the staff member's venue. */
  readonly entrances: ReadonlyArray<{ readonly id: string; readonly label: Bi }>;
}

export type PassRefusal =
  | "not-genuine"
  | "another-venue"
  | "another-day"
  | "stay-over"
  | "not-started";

export type PassVerdict =
  | {
      readonly ok: true;
      readonly entrance: { readonly id: string; readonly label: Bi };
      /** Unix seconds. */
      readonly storedAt: number;
      /** Unix seconds: the end of the receipt's last slot. */
      readonly until: number;
    }
  | {
      readonly ok: false;
      readonly reason: PassRefusal;
      /** The entrance, when the receipt is genuine and names one of this venue's. */
      readonly entrance?: { readonly id: string; readonly label: Bi };
      readonly storedAt?: number;
      readonly until?: number;
    };

/** Decodes and verifies a QR text as a receipt of this deployment, or null. */
function genuineReceipt(text: string, context: PassCheckContext): Receipt | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > 400) return null;
  let receipt: Receipt;
  try {
    const bytes = decodeBase32(trimmed);
    receipt = verifyReceipt(bytes, context.receiptKey);
  } catch (e) {
    if (isProtocolError(e)) return null;
    throw e;
  }
  return receipt.deployment === context.deployment ? receipt : null;
}

/** The verdict on the pass whose receipt QR reads `text`, at `nowSeconds` (Unix seconds). */
export function checkPass(
  text: string,
  context: PassCheckContext,
  nowSeconds: number,
): PassVerdict {
  const receipt = genuineReceipt(text, context);
  if (!receipt) return { ok: false, reason: "not-genuine" };
  const entrance = context.entrances.find((e) => e.id === receipt.entranceId);
  if (!entrance) return { ok: false, reason: "another-venue" };
  const storedAt = receipt.storedAt;
  const until = receipt.firstSlot + receipt.slotCount * context.slotSeconds;
  const facts = { entrance, storedAt, until };
  if (localDate(storedAt, context.timeZone) !== localDate(nowSeconds, context.timeZone)) {
    return { ok: false, reason: "another-day", ...facts };
  }
  if (nowSeconds >= until) return { ok: false, reason: "stay-over", ...facts };
  if (receipt.firstSlot > nowSeconds + PASS_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: "not-started", ...facts };
  }
  return { ok: true, ...facts };
}
