/**
 * Appending to the transparency log from inside the service (code replacements now; epoch keys
 * and queries later) and from `POST /log/entries`: one place that turns the writer's outcome into
 * the right problem.
 */
import { loadDeployment } from "../config/deployment.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { type AppendResult, logWriterStub } from "./writer.ts";

export async function appendToLog(env: Env, entries: readonly Uint8Array[]): Promise<AppendResult> {
  const writer = logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id);
  const outcome = await writer.append(entries);
  if (!outcome.ok) {
    if (outcome.kind === "refused") throw new ProblemError("log-policy-violation", outcome.reason);
    console.error("log append failed");
    throw new ProblemError("log-unavailable");
  }
  return outcome;
}
