/**
 * The scope of an exposure query (PROTOCOL.md §11.1): every (entrance, hour-slot) identity it
 * names, in **scope order** — entrances in the order the query lists them, and for each entrance
 * the slots of [windowStart, windowEnd) in increasing order:
 *
 *   scope(q) = [ id(deployment, e, s, 3600) for e in q.entrances for s = windowStart, windowStart + 3600, … < windowEnd ]
 *
 * Trustees, the log and the authority all compute it themselves from the logged query; nobody is
 * told it. Releases carry one partial key per identity in exactly this order.
 */
import { ProtocolError } from "../errors.ts";
import { SLOT_SECONDS } from "../log/entries/policy.ts";
import { identityBytes } from "../tibe/identity.ts";

export interface QueryWindow {
  readonly entrances: readonly string[];
  /** Unix seconds, hour-aligned; the window is [windowStart, windowEnd). */
  readonly windowStart: number;
  readonly windowEnd: number;
}

export interface ScopeIdentity {
  readonly entranceId: string;
  readonly slotStart: number;
  /** The §4.2 identity bytes. */
  readonly idBytes: Uint8Array;
}

/** The most identities one query can name: 255 entrances × a week of hours (policy bounds are tighter). */
export const MAX_SCOPE_IDENTITIES = 255 * 24 * 7;

export function queryScope(deployment: string, q: QueryWindow): ScopeIdentity[] {
  if (
    !Number.isSafeInteger(q.windowStart) ||
    !Number.isSafeInteger(q.windowEnd) ||
    q.windowStart % SLOT_SECONDS !== 0 ||
    q.windowEnd % SLOT_SECONDS !== 0 ||
    q.windowEnd <= q.windowStart
  ) {
    throw new ProtocolError("bad-value", "a query window is a non-empty run of whole hours");
  }
  const slots = (q.windowEnd - q.windowStart) / SLOT_SECONDS;
  if (q.entrances.length === 0 || q.entrances.length * slots > MAX_SCOPE_IDENTITIES) {
    throw new ProtocolError("bad-value", "a query names 1 to 42,840 identities");
  }
  const out: ScopeIdentity[] = [];
  for (const entranceId of q.entrances) {
    for (let slotStart = q.windowStart; slotStart < q.windowEnd; slotStart += SLOT_SECONDS) {
      out.push({
        entranceId,
        slotStart,
        idBytes: identityBytes({ deployment, entranceId, slotStart, slotSeconds: SLOT_SECONDS }),
      });
    }
  }
  return out;
}

/** Whether (entrance, slot) is one of the query's identities. */
export function inScope(q: QueryWindow, entranceId: string, slotStart: number): boolean {
  return (
    q.entrances.includes(entranceId) &&
    Number.isSafeInteger(slotStart) &&
    slotStart % SLOT_SECONDS === 0 &&
    slotStart >= q.windowStart &&
    slotStart < q.windowEnd
  );
}
