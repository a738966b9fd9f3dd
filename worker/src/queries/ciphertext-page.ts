/**
 * One page of one (entrance, hour) slot's ciphertexts for a logged scope: an exposure query's
 * (PROTOCOL.md §11.4) or a venue's own contacts request's (§11.7). Anything outside the scope is
 * `out-of-scope`; at most 1,000 per page, in storage order, `next` passed back as `after`.
 */
import { encodeBase64url, inScope, type QueryWindow } from "@lintel/protocol";
import { checkinStoreFor } from "../checkins/shards.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

const PAGE = 1000;

export interface CiphertextPageQuery {
  readonly entrance: string;
  /** The slot's start, decimal Unix seconds. */
  readonly slot: string;
  readonly after?: string | undefined;
}

export async function scopedCiphertextPage(
  env: Env,
  scope: QueryWindow,
  query: CiphertextPageQuery,
  what: "query" | "request",
): Promise<{ ciphertexts: string[]; next: string | null }> {
  const slot = Number(query.slot);
  if (!inScope(scope, query.entrance, slot)) {
    throw new ProblemError(
      "out-of-scope",
      `This entrance and hour are not in the ${what}'s scope.`,
    );
  }
  const page = await checkinStoreFor(env, query.entrance).slotCiphertextPage(
    query.entrance,
    slot,
    query.after === undefined ? null : Number(query.after),
    PAGE,
  );
  return {
    ciphertexts: page.ciphertexts.map(encodeBase64url),
    next: page.next === null ? null : String(page.next),
  };
}
