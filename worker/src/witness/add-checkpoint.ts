/**
 * The witness role (C2SP tlog-witness; PROTOCOL.md §10.1): POST /witness/add-checkpoint. The same
 * worker code runs as a witness when its deployment's role is "witness" and LINTEL_WITNESS names
 * the logs it witnesses.
 *
 * The spec's checks, in its order, each with its status (declared in `@lintel/contract`; its text
 * request and answers are written here, not through `reply`):
 *   400  the body is not an add-checkpoint request
 *   404  the checkpoint's origin is not a log this witness knows
 *   403  no valid signature by that log's key
 *   409  `old` is not the size this witness last cosigned (the body says which, text/x.tlog.size)
 *   422  the consistency proof from that size to the new checkpoint does not verify
 *   200  the cosignature line(s), text/plain
 * The stored size advances by compare-and-swap in one D1 statement, so concurrent requests from
 * the same old size cannot both succeed: the loser gets 409 and retries from the new size.
 */
import { witnessRoutes as witnessContract } from "@lintel/contract";
import {
  cosignCheckpoint,
  ed25519NoteVerifier,
  formatLatestSize,
  openNote,
  parseAddCheckpointRequest,
  parseVerifierKey,
  verifyConsistency,
} from "@lintel/protocol";
import { Hono } from "hono";
import { loadDeployment, loadWitnessRole } from "../config/deployment.ts";
import { secretSeed } from "../config/secrets.ts";
import type { AppBindings } from "../env.ts";
import { validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { advance, stored } from "./store.ts";

const MAX_BODY = 1 << 20;

function text(body: string, status: number, type = "text/plain; charset=utf-8"): Response {
  return new Response(body, {
    status,
    headers: { "content-type": type, "cache-control": "no-store" },
  });
}

export const witnessRoutes = new Hono<AppBindings>().post(
  "/add-checkpoint",
  validated(witnessContract.addCheckpoint),
  async (c) => {
    if (loadDeployment(c.env.LINTEL_DEPLOYMENT).role !== "witness") {
      throw new ProblemError("not-found", "This instance is not a witness.");
    }
    const role = loadWitnessRole(c.env.LINTEL_WITNESS);
    const secret = secretSeed(c.env, "WITNESS_SIGNING_KEY");
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.length > MAX_BODY) return text("request too large\n", 413);

    let request: ReturnType<typeof parseAddCheckpointRequest>;
    try {
      request = parseAddCheckpointRequest(raw);
    } catch (e) {
      return text(`${e instanceof Error ? e.message : "malformed request"}\n`, 400);
    }
    const { checkpoint } = request;
    const log = role.logs.find((l) => l.origin === checkpoint.origin);
    if (!log) return text("unknown log origin\n", 404);
    try {
      openNote(request.signedCheckpoint, [ed25519NoteVerifier(parseVerifierKey(log.key))]);
    } catch {
      return text("the checkpoint carries no valid signature by the log\n", 403);
    }

    const old = await stored(c.env.DB, checkpoint.origin);
    if (request.oldSize !== old.size)
      return text(formatLatestSize(old.size), 409, "text/x.tlog.size");
    try {
      verifyConsistency(
        old.size,
        checkpoint.size,
        old.rootHash,
        checkpoint.rootHash,
        request.proof,
      );
    } catch {
      return text("the consistency proof does not verify\n", 422);
    }
    if (
      !(await advance(c.env.DB, checkpoint.origin, old, {
        size: checkpoint.size,
        rootHash: checkpoint.rootHash,
      }))
    ) {
      const now = await stored(c.env.DB, checkpoint.origin);
      return text(formatLatestSize(now.size), 409, "text/x.tlog.size");
    }
    const line = cosignCheckpoint(
      checkpoint,
      { name: role.name, secretKey: secret },
      BigInt(Math.floor(Date.now() / 1000)),
    );
    // formatSignatureLine ends the line with its newline already.
    return text(line, 200);
  },
);
