/**
 * C2SP tlog-proof bundles of one entry against the newest checkpoint, as the log serves them:
 * plain (`GET /log/proof/<index>`) or carrying the entry itself as `extra`
 * (`GET /api/log/entries/<index>/proof`, what trustees are shown with a query, PROTOCOL.md §11.2).
 */
import { formatTlogProof } from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { logWriterStub } from "./writer.ts";

const U64_TEXT = /^(0|[1-9][0-9]{0,19})$/;

/** A log index from a path segment; anything else is a 404, as no such entry exists. */
export function parseLogIndex(text: string, what: string): bigint {
  if (!U64_TEXT.test(text) || BigInt(text) > 0xffff_ffff_ffff_ffffn) {
    throw new ProblemError("not-found", `${what} is a decimal number without leading zeroes.`);
  }
  return BigInt(text);
}

/** The proof of entry `index`, or null when the log does not hold it yet. */
export async function entryProof(
  env: Env,
  index: bigint,
  options: { readonly withEntry: boolean },
): Promise<string | null> {
  const writer = logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id);
  const [bundle, entry] = await Promise.all([
    writer.inclusionBundle(index),
    options.withEntry ? writer.entryAt(index) : Promise.resolve(undefined),
  ]);
  if (!bundle || entry === null) return null;
  return formatTlogProof({
    ...(entry ? { extra: entry } : {}),
    index,
    proof: bundle.proof,
    signedCheckpoint: bundle.checkpoint,
  });
}
