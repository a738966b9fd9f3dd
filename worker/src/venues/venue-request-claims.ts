/**
 * Finishing an approval claim that its worker left behind. Approving a venue request claims it,
 * appends the entry to the log, then records the index (venue-request-store.ts); a worker that
 * stops between the append and the record would leave the request decided with no index, pending
 * to everyone and approvable by no one. A reader that finds such a claim older than
 * {@link CLAIM_GRACE_SECONDS} looks for the claimed entry's exact bytes in the log from the size
 * the claim recorded: found, the approval is settled with that index; not found, the append never
 * happened and the claim is released, so the request is pending again.
 *
 * The grace outlasts any append (a request's worker waits seconds on the log, not minutes); an
 * append that still landed after it would settle through its own worker, which updates a request
 * only while it has no index.
 */
import { decodeBase64url } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { logWriterStub } from "../log/writer.ts";
import {
  settleApproval,
  undoApproval,
  type VenueRequestRow,
  venueRequestById,
} from "./venue-request-store.ts";

export const CLAIM_GRACE_SECONDS = 600;
/** Entries read at most to find one claim: a claim is looked for minutes after it was made. */
const MAX_SCAN = 10_000n;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function isLeftClaim(row: VenueRequestRow, at: number): boolean {
  return (
    row.logIndex === null &&
    row.refusal === null &&
    row.decidedAt !== null &&
    row.decidedBy !== null &&
    row.claimEntry !== null &&
    row.claimLogSize !== null &&
    at - row.decidedAt >= CLAIM_GRACE_SECONDS
  );
}

/** The request as it stands once a claim left behind is settled or released. */
export async function finishLeftClaim(
  env: Env,
  row: VenueRequestRow,
  at: number,
): Promise<VenueRequestRow> {
  if (!isLeftClaim(row, at)) return row;
  const writer = logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id);
  const claimed = decodeBase64url(row.claimEntry as string);
  const from = BigInt(row.claimLogSize as string);
  const size = BigInt((await writer.status()).size);
  if (size - from > MAX_SCAN) {
    console.error("venue request claim: too many entries to search; left as it is");
    return row;
  }
  let found: bigint | null = null;
  for (let i = from; i < size && found === null; i++) {
    const entry = await writer.entryAt(i);
    if (entry && sameBytes(entry, claimed)) found = i;
  }
  if (found === null) await undoApproval(env.DB, row);
  else await settleApproval(env.DB, row, found.toString(), row.decidedBy as string, at);
  return (await venueRequestById(env.DB, row.id)) ?? row;
}

/** {@link finishLeftClaim} for each of a list (claims left behind are rare: most pass through). */
export function finishLeftClaims(
  env: Env,
  rows: readonly VenueRequestRow[],
  at: number,
): Promise<VenueRequestRow[]> {
  return Promise.all(rows.map((r) => finishLeftClaim(env, r, at)));
}
