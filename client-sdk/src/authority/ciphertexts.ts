/**
 * Fetching a logged query's ciphertexts (PROTOCOL.md §11.4): one (entrance, slot) of its scope at
 * a time, signed by the officer, paged with the `next` cursor until it is null. Every ciphertext
 * must be the 338-byte slot ciphertext; anything else is the service misbehaving.
 */

import { queryRoutes, type RouteAnswer, venueRequestRoutes } from "@lintel/contract";
import {
  CHECKIN_RECORD_BYTES,
  ciphertextBytes,
  decodeBase64url,
  type ScopeIdentity,
} from "@lintel/protocol";
import { signedCall } from "../auth/signed-fetch.ts";
import { LintelError } from "../errors.ts";
import { type OfficerOptions, signedOptions } from "./officer.ts";

const CIPHERTEXT_BYTES = ciphertextBytes(CHECKIN_RECORD_BYTES);
/** A bound on pages, so a service that never stops answering `next` cannot keep us forever. */
const MAX_PAGES = 10_000;

export const SLOT_CIPHERTEXT_BYTES = CIPHERTEXT_BYTES;

/**
 * One (entrance, slot)'s ciphertexts, a page at a time as the service sends them, each page
 * packed into one buffer of whole ciphertexts ({@link SLOT_CIPHERTEXT_BYTES} each). The next
 * page is asked for only when the caller asks for it: that is how decryptStream holds the
 * service back.
 */
export function ciphertextPages(
  officer: OfficerOptions,
  queryIndex: bigint,
  identity: Pick<ScopeIdentity, "entranceId" | "slotStart">,
): AsyncGenerator<Uint8Array, void, undefined> {
  return pagesOf((after) =>
    signedCall(signedOptions(officer), queryRoutes.queryCiphertexts, {
      params: { queryIndex: String(queryIndex) },
      query: {
        entrance: identity.entranceId,
        slot: String(identity.slotStart),
        ...(after === null ? {} : { after }),
      },
    }),
  );
}

/**
 * The same pages for a venue's approved contacts request (PROTOCOL.md §11.7), asked for by its
 * operator: `GET /api/venues/<venueId>/requests/<requestId>/ciphertexts`.
 */
export function venueRequestCiphertextPages(
  operator: OfficerOptions,
  venueId: string,
  requestId: string,
  identity: Pick<ScopeIdentity, "entranceId" | "slotStart">,
): AsyncGenerator<Uint8Array, void, undefined> {
  return pagesOf((after) =>
    signedCall(signedOptions(operator), venueRequestRoutes.venueRequestCiphertexts, {
      params: { id: venueId, rid: requestId },
      query: {
        entrance: identity.entranceId,
        slot: String(identity.slotStart),
        ...(after === null ? {} : { after }),
      },
    }),
  );
}

type Page = RouteAnswer<typeof queryRoutes.queryCiphertexts>;

async function* pagesOf(
  fetchPage: (after: string | null) => Promise<Page>,
): AsyncGenerator<Uint8Array, void, undefined> {
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: Page = await fetchPage(after);
    const packed = new Uint8Array(answer.ciphertexts.length * CIPHERTEXT_BYTES);
    answer.ciphertexts.forEach((text, i) => {
      let bytes: Uint8Array;
      try {
        bytes = decodeBase64url(text, CIPHERTEXT_BYTES);
      } catch {
        throw new LintelError("unexpected-response", "The service sent a malformed ciphertext.");
      }
      packed.set(bytes, i * CIPHERTEXT_BYTES);
    });
    if (answer.next !== null && answer.next === after) {
      throw new LintelError("unexpected-response", "The service repeated a page cursor.");
    }
    yield packed;
    if (answer.next === null) return;
    after = answer.next;
  }
  throw new LintelError("unexpected-response", "The service sent too many pages.");
}

/** Every ciphertext of one (entrance, slot), each its own array: the pages, unpacked. */
export async function fetchCiphertexts(
  officer: OfficerOptions,
  queryIndex: bigint,
  identity: Pick<ScopeIdentity, "entranceId" | "slotStart">,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const page of ciphertextPages(officer, queryIndex, identity)) {
    for (let at = 0; at < page.length; at += CIPHERTEXT_BYTES) {
      out.push(page.slice(at, at + CIPHERTEXT_BYTES));
    }
  }
  return out;
}
