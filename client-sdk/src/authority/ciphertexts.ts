/**
 * Fetching a logged query's ciphertexts (PROTOCOL.md §11.4): one (entrance, slot) of its scope at
 * a time, signed by the officer, paged with the `next` cursor until it is null. Every ciphertext
 * must be the 338-byte slot ciphertext; anything else is the service misbehaving.
 */

import { queryRoutes, type RouteAnswer } from "@lintel/contract";
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

export async function fetchCiphertexts(
  officer: OfficerOptions,
  queryIndex: bigint,
  identity: Pick<ScopeIdentity, "entranceId" | "slotStart">,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: RouteAnswer<typeof queryRoutes.queryCiphertexts> = await signedCall(
      signedOptions(officer),
      queryRoutes.queryCiphertexts,
      {
        params: { queryIndex: String(queryIndex) },
        query: {
          entrance: identity.entranceId,
          slot: String(identity.slotStart),
          ...(after === null ? {} : { after }),
        },
      },
    );
    for (const text of answer.ciphertexts) {
      try {
        out.push(decodeBase64url(text, CIPHERTEXT_BYTES));
      } catch {
        throw new LintelError("unexpected-response", "The service sent a malformed ciphertext.");
      }
    }
    if (answer.next === null) return out;
    if (answer.next === after) {
      throw new LintelError("unexpected-response", "The service repeated a page cursor.");
    }
    after = answer.next;
  }
  throw new LintelError("unexpected-response", "The service sent too many pages.");
}
